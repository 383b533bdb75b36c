"""Demo tooling, outside the production code paths: the demo data of `make run` (``data``)
and the simulators of the peers that cannot run here: NCALayer (``ncalayer``) and the eGov
mobile app (``egov_mobile``)."""
