"""The version in force is chosen by the date an application was submitted."""

import datetime as dt

import pytest
from django.test import override_settings

from qyzmet.catalog.loader import load_catalog
from qyzmet.catalog.queries import all_versions, services_in_force, version_in_force
from qyzmet.core.refusals import Refused

from .conftest import version_files

D = dt.date


@pytest.fixture
def loaded(db, real_catalog):
    load_catalog(real_catalog, include_demo=True)


# Boundaries: the day before, of and after each effective date (`until` is exclusive).
CASES = [
    (D(2014, 6, 15), None),
    (D(2014, 6, 16), "2014-06"),
    (D(2014, 6, 17), "2014-06"),
    (D(2014, 12, 7), "2014-06"),
    (D(2014, 12, 8), "2014-12"),
    (D(2014, 12, 9), "2014-12"),
    (D(2015, 9, 19), "2014-12"),
    (D(2015, 9, 20), "demo-2026"),
    (D(2015, 9, 21), "demo-2026"),
    (D(2026, 3, 18), "demo-2026"),
]


@pytest.mark.parametrize("service", ["temporary-export", "restoration-approval"])
@pytest.mark.parametrize(("day", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_version_in_force_by_date(loaded, service, day, expected):
    if expected is None:
        with pytest.raises(Refused) as refused:
            version_in_force(service, day)
        assert refused.value.code == "service_not_in_force"
    else:
        version = version_in_force(service, day)
        assert (version.service_code, version.version) == (service, expected)
        assert version.is_in_force_on(day)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2015, 9, 19), "2014-12"), (D(2015, 9, 20), None), (D(2026, 1, 5), None)],
)
def test_demo_versions_ignored_when_the_setting_is_off(loaded, day, expected):
    with override_settings(QYZMET_CATALOG_DEMO=False):
        if expected is None:
            with pytest.raises(Refused):
                version_in_force("temporary-export", day)
        else:
            assert version_in_force("temporary-export", day).version == expected


def test_aware_datetime_is_taken_in_local_time(loaded):
    # 2014-12-07 20:00 UTC is 2014-12-08 02:00 in Almaty: the amended version applies.
    submitted = dt.datetime(2014, 12, 7, 20, 0, tzinfo=dt.UTC)
    assert version_in_force("temporary-export", submitted).version == "2014-12"


def test_unknown_service_is_refused_with_texts_in_three_languages(loaded):
    with pytest.raises(Refused) as refused:
        version_in_force("fishing-licence", D(2015, 1, 1))
    assert refused.value.code == "service_not_in_force"
    for language in ("ru", "kk", "en"):
        text = refused.value.message(language)
        assert "fishing-licence" in text and "2015-01-01" in text
    assert refused.value.message("en") != refused.value.message("ru")


def test_services_in_force(loaded, real_catalog):
    on_2015 = [(v.service_code, v.version) for v in services_in_force(D(2015, 1, 1))]
    assert {("restoration-approval", "2014-12"), ("temporary-export", "2014-12")} <= set(on_2015)
    assert len({service for service, _ in on_2015}) == len(on_2015)  # one version a service
    assert services_in_force(D(2014, 1, 1)) == []
    with override_settings(QYZMET_CATALOG_DEMO=False):
        assert services_in_force(D(2026, 1, 1)) == []
    services = {service for service, _ in version_files(real_catalog)}
    assert {v.service_code for v in services_in_force(D(2026, 1, 1))} == services


def test_all_versions_ordered(loaded, real_catalog):
    # Ordered by service, then by entry into force (a demo version comes last).
    assert [(v.service_code, v.version) for v in all_versions()] == version_files(real_catalog)


def test_is_repealed_on(loaded):
    version = version_in_force("temporary-export", D(2015, 1, 1))
    assert not version.is_repealed_on(D(2015, 9, 19))
    assert version.is_repealed_on(D(2015, 9, 20))
    assert not version_in_force("temporary-export", D(2026, 1, 1)).is_repealed_on(D(2099, 1, 1))
