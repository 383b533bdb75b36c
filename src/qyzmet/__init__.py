"""qyzmet — public-service delivery platform (catalogue, register, process engine, EDS)."""

__version__ = "0.1.0"
