"""The demo people and organisations: one source for the demo PKI (``demo/pki.py``: the
names, IINs and BINs in the key holders' certificates), the GBD FL/UL registry simulator's
seed (``demo/registry_simulator.py`` adds them to its seed file) and the sample cases of
``make run`` (``demo/data.py``). A look-up of a demo key holder's IIN or BIN therefore answers
the person or organisation named in the certificate (issue 13, item 2).

Names are written as the registry writes them (title case, the patronymic apart); the
certificates carry them in capitals, as NCA's do. Everything here is fictitious.
"""

from __future__ import annotations

from dataclasses import dataclass

from qyzmet.core.identifiers import check_digit


def with_check_digit(first_eleven: str) -> str:
    """A 12-digit IIN/BIN: the 11 digits given plus their check digit."""
    digit = check_digit(first_eleven)
    if digit is None:
        raise ValueError(f"{first_eleven} has no valid check digit")
    return first_eleven + str(digit)


@dataclass(frozen=True)
class DemoIndividual:
    surname: str
    given_name: str
    patronymic: str
    iin: str
    birth_date: str
    address: str

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)

    def registry_record(self) -> dict:
        """The person as GBD FL answers (the simulator's seed format)."""
        return {
            "iin": self.iin,
            "surname": self.surname,
            "name": self.given_name,
            "patronymic": self.patronymic,
            "birthDate": self.birth_date,
            "address": self.address,
        }


@dataclass(frozen=True)
class DemoOrganization:
    bin: str
    name: str
    registration_date: str
    head: str  # the key of the first head in INDIVIDUALS
    address: str

    def registry_record(self) -> dict:
        """The organisation as GBD UL answers (the simulator's seed format)."""
        head = INDIVIDUALS[self.head]
        return {
            "bin": self.bin,
            "name": self.name,
            "registrationDate": self.registration_date,
            "headIin": head.iin,
            "headName": head.full_name,
            "address": self.address,
        }


INDIVIDUALS: dict[str, DemoIndividual] = {
    "abenova": DemoIndividual(
        "Абенова",
        "Дана",
        "Ерлановна",
        "900101300007",
        "1990-01-01",
        "г. Алматы, Медеуский район, пр. Достык, д. 85, кв. 12",
    ),
    "nurlanov": DemoIndividual(
        "Нұрланов",
        "Әлихан",
        "Серікұлы",
        "850715450105",
        "1985-07-15",
        "г. Алматы, Бостандыкский район, ул. Тимирязева, д. 42, кв. 7",
    ),
    "ivanova": DemoIndividual(
        "Иванова",
        "Ольга",
        "Петровна",
        "051231600007",
        "2005-12-31",
        "г. Алматы, Алмалинский район, ул. Толе би, д. 101, кв. 33",
    ),
    "serikbaev": DemoIndividual(
        "Серікбаев",
        "Асхат",
        "Маратұлы",
        with_check_digit("78031530001"),
        "1978-03-15",
        "г. Алматы, Медеуский район, ул. Кабанбай батыра, д. 12, кв. 4",
    ),
    "ospanova": DemoIndividual(
        "Оспанова",
        "Гүлнар",
        "Әскерқызы",
        with_check_digit("95070740001"),
        "1995-07-07",
        "г. Алматы, Ауэзовский район, мкр. Жетысу-2, д. 14, кв. 56",
    ),
    "kim": DemoIndividual(
        "Ким",
        "Денис",
        "Викторович",
        with_check_digit("88112230002"),
        "1988-11-22",
        "г. Алматы, Бостандыкский район, ул. Розыбакиева, д. 247, кв. 90",
    ),
    "zhumabaev": DemoIndividual(
        "Жумабаев",
        "Ерлан",
        "Маратович",
        with_check_digit("75060430003"),
        "1975-06-04",
        "г. Алматы, Медеуский район, ул. Шевченко, д. 28, кв. 3",
    ),
    "tolegenova": DemoIndividual(
        "Төлегенова",
        "Айгүл",
        "Нұрланқызы",
        with_check_digit("92030340004"),
        "1992-03-03",
        "г. Алматы, Турксибский район, ул. Сейфуллина, д. 30, кв. 2",
    ),
    "eskenov": DemoIndividual(
        "Ескенов",
        "Болат",
        "Қайратұлы",
        with_check_digit("80121230005"),
        "1980-12-12",
        "г. Алматы, Алмалинский район, ул. Абылай хана, д. 55, кв. 18",
    ),
}

# The applicant legal entity and the provider (valid BINs from SERVICES.md).
COMPANY = DemoOrganization(
    "150340000109",
    "ТОО «Алматы Реставрация» (DEMO)",
    "2015-03-20",
    "serikbaev",
    "г. Алматы, Медеуский район, ул. Кабанбай батыра, д. 12, офис 3",
)
PROVIDER = DemoOrganization(
    "070840007503",
    "ГУ «Управление культуры города Алматы» (DEMO)",
    "2007-08-14",
    "zhumabaev",
    "г. Алматы, Алмалинский район, пр. Абылай хана, д. 91",
)
ORGANIZATIONS: tuple[DemoOrganization, ...] = (COMPANY, PROVIDER)


def registry_seed() -> dict[str, list[dict]]:
    """The demo people and organisations as the registry simulator's seed adds them."""
    return {
        "persons": [person.registry_record() for person in INDIVIDUALS.values()],
        "organizations": [organization.registry_record() for organization in ORGANIZATIONS],
    }
