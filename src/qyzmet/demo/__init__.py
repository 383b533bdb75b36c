"""Demo tooling, outside the production code paths: the demo data of `make run` (``data``)
and the NCALayer simulator (``ncalayer``)."""
