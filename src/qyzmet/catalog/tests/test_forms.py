"""The application forms' JSON Schemas accept realistic applications and reject bad ones."""

import copy

import pytest

from qyzmet.catalog import conf
from qyzmet.catalog.loader import read_catalog
from qyzmet.catalog.validation import validate_form_data


@pytest.fixture(scope="module")
def schemas():
    return {
        v.service_code: v.form_schema
        for v in read_catalog(conf.catalog_dir())
        if v.version == "2014-12"
    }


EXPORT = {
    "receiving_party": "Государственный Эрмитаж, Дворцовая наб. 34, Санкт-Петербург",
    "country": "RU",
    "purpose": "temporary_exhibition",
    "purpose_details": "Выставка «Искусство Великой степи», 01.03–30.06.2015",
    "export_period": {"from": "2015-02-20", "until": "2015-07-15"},
    "items": [
        {
            "name": "Портрет Абая",
            "author": "А. Кастеев",
            "dating": "1945",
            "material_technique": "холст, масло",
            "dimensions": "80 × 60 см",
            "inventory_number": "ГМИ-Ж-0123",
            "quantity": 1,
            "insured_value": {"amount": 150000, "currency": "USD"},
            "photo": "kasteev-abai.jpg",
        },
        {
            "name": "Саукеле",
            "author": "неизвестен",
            "dating": "XIX век",
            "material_technique": "войлок, серебро, кораллы; чеканка",
            "dimensions": "высота 70 см",
            "quantity": 1,
            "insured_value": {"amount": 40000.5, "currency": "EUR"},
            "photo": "saukele.png",
        },
    ],
}

RESTORATION = {
    "monument": {
        "name": "Здание Дома офицеров (бывший Дом Красной Армии)",
        "address": "г. Алматы, ул. Бегалина, 1",
        "category": "local",
        "register_entry": "№ 43",
    },
    "works": {
        "kinds": ["conservation", "restoration"],
        "description": "Реставрация фасадов, замена кровли с сохранением исторического силуэта",
        "planned_start": "2015-04-01",
        "planned_end": "2015-10-30",
    },
    "project_documentation": {
        "title": "Проект реставрации фасадов",
        "developer": "ТОО «Реставрационная мастерская»",
        "date": "2014-11-20",
        "attachment": "project.pdf",
    },
    "contractor": {
        "name": "ТОО «Реставратор»",
        "bin": "150340000109",
        "licence": {"number": "14012345", "date": "2014-02-10", "attachment": "licence.pdf"},
    },
}


def fields(issues):
    return {(issue.field, issue.message) for issue in issues}


def test_realistic_applications_are_valid(schemas):
    assert validate_form_data(schemas["temporary-export"], EXPORT) == []
    assert validate_form_data(schemas["restoration-approval"], RESTORATION) == []


def _broken(base, change):
    data = copy.deepcopy(base)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda d: d.update(purpose="tourism"), "purpose", "'tourism' is not one of"),
        (lambda d: d.pop("items"), "items", "required field is missing"),
        (lambda d: d.update(items=[]), "items", "should be non-empty"),
        (
            lambda d: d["items"][0].update(quantity=-1),
            "items[0].quantity",
            "less than the minimum of 1",
        ),
        (
            lambda d: d["items"][1].update(quantity=1.5),
            "items[1].quantity",
            "is not of type 'integer'",
        ),
        (lambda d: d["items"][0].pop("photo"), "items[0].photo", "required field is missing"),
        (
            lambda d: d["items"][0]["insured_value"].update(amount=0),
            "items[0].insured_value.amount",
            "less than or equal to the minimum of 0",
        ),
        (lambda d: d.update(country="KZ"), "country", "should not be valid"),
        (lambda d: d.update(country="Russia"), "country", "does not match"),
        (
            lambda d: d["export_period"].update(until="15.07.2015"),
            "export_period.until",
            "is not a 'date'",
        ),
        (lambda d: d.update(receiving_party="   "), "receiving_party", "does not match"),
        (lambda d: d.update(extra="x"), "extra", "unknown field"),
    ],
)
def test_export_form_rejects(schemas, change, field, message):
    issues = validate_form_data(schemas["temporary-export"], _broken(EXPORT, change))
    assert any(f == field and message in m for f, m in fields(issues)), fields(issues)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda d: d["monument"].update(category="republican"),
            "monument.category",
            "is not one of",
        ),
        (lambda d: d["contractor"].update(bin="12345"), "contractor.bin", "does not match"),
        (
            lambda d: d["contractor"].pop("licence"),
            "contractor.licence",
            "required field is missing",
        ),
        (lambda d: d["works"].update(kinds=[]), "works.kinds", "should be non-empty"),
        (lambda d: d["works"].update(kinds=["demolition"]), "works.kinds[0]", "is not one of"),
        (
            lambda d: d.pop("project_documentation"),
            "project_documentation",
            "required field is missing",
        ),
    ],
)
def test_restoration_form_rejects(schemas, change, field, message):
    issues = validate_form_data(schemas["restoration-approval"], _broken(RESTORATION, change))
    assert any(f == field and message in m for f, m in fields(issues)), fields(issues)


def test_not_an_object_is_rejected(schemas):
    assert validate_form_data(schemas["temporary-export"], ["not", "an", "object"])
