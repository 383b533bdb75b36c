"""Demo tooling, outside the production code paths: the demo data of `make run` (``data``)
and the eGov mobile phone simulator (``egov_mobile``)."""
