"""The Government's transfers of days off that the `holidays` package does not know.

Kazakhstan's Government moves days off by decree (Labour Code art. 85 p.3 since 2015;
art. 87 of the 2007 Code before that). A decree always has two halves: a weekday becomes a
day off, and a Saturday or Sunday becomes a working day. ``holidays.KZ`` (0.109) carries the
first half as a "Демалыс күні (… бастап ауыстырылды)" holiday for every year it knows, but not
the second half, so a calendar built on it alone treats e.g. Sat 28.12.2013 as a day off.
These rows are that second half. They are seeded into the ``DayOverride`` table by migration
0002 and are the fallback when the table does not exist yet (an unmigrated database).

Rule for this file: a row is confirmed (``assumed=False``) only when the transfer was read in
the decree itself or in a contemporary news report quoting it; rows taken only from the
references of the ``holidays`` package are ``assumed=True`` until someone checks the decree.
Years checked and found to need no row: 2015 (egov.kz calendar of 2015: no transfers) and 2026
(egov.kz calendar of 2026: only the statutory moves of holidays that fall on a weekend, which
``holidays`` computes itself).

Do not edit the tuple a migration imports; a new decree is a new row in the admin (or a new
tuple and a new data migration), see README.md.
"""

from __future__ import annotations

from typing import NamedTuple


class SeedOverride(NamedTuple):
    date: str  # ISO date
    kind: str  # "working" | "day_off"
    basis: str
    assumed: bool
    note: str = ""


ADILET = "https://adilet.zan.kz/rus/docs/"

# Imported by migration 0002: frozen. Add new years in a new tuple and a new migration.
TRANSFERS_2012_2025: tuple[SeedOverride, ...] = (
    SeedOverride(
        "2012-12-29",
        "working",
        f"Постановление Правительства РК от 2012 г. № 1538 ({ADILET}P1200001538): "
        "день отдыха перенесён с субботы 29.12.2012 на понедельник 31.12.2012.",
        False,
        "Text of the decree read on adilet.zan.kz.",
    ),
    SeedOverride(
        "2013-05-04",
        "working",
        f"Постановление Правительства РК 2013 г. ({ADILET}P1300000345): "
        "день отдыха перенесён с субботы 04.05.2013 на пятницу 10.05.2013.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2013-10-12",
        "working",
        f"Постановление Правительства РК 2013 г. ({ADILET}P1300001068): "
        "день отдыха перенесён с субботы 12.10.2013 на понедельник 14.10.2013 (Курбан айт 15.10).",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2013-12-28",
        "working",
        f"Постановление Правительства РК 2013 г. ({ADILET}P1300001322): "
        "день отдыха перенесён с субботы 28.12.2013 на пятницу 03.01.2014.",
        False,
        "Confirmed: primeminister.kz / KazTAG, 06.12.2013; domain/SERVICES.md.",
    ),
    SeedOverride(
        "2014-05-04",
        "working",
        f"Постановление Правительства РК 2014 г. ({ADILET}P1400000365): "
        "день отдыха перенесён с воскресенья 04.05.2014 на пятницу 02.05.2014.",
        False,
        "Confirmed: decree quoted by profinance.kz, 18.04.2014; domain/SERVICES.md.",
    ),
    SeedOverride(
        "2014-05-11",
        "working",
        f"Постановление Правительства РК 2014 г. ({ADILET}P1400000365): "
        "день отдыха перенесён с воскресенья 11.05.2014 на четверг 08.05.2014.",
        False,
        "Confirmed: decree quoted by profinance.kz, 18.04.2014; domain/SERVICES.md.",
    ),
    SeedOverride(
        "2016-03-05",
        "working",
        f"Постановление Правительства РК 2016 г. ({ADILET}P1600000067): "
        "с субботы 05.03.2016 на понедельник 07.03.2016.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2017-03-18",
        "working",
        f"Постановление Правительства РК 2017 г. ({ADILET}P1700000005): "
        "с субботы 18.03.2017 на понедельник 20.03.2017.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2017-07-01",
        "working",
        f"Постановление Правительства РК 2017 г. ({ADILET}P1700000005): "
        "с субботы 01.07.2017 на пятницу 07.07.2017.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2018-03-03",
        "working",
        f"Постановление Правительства РК 2017 г. № 864 ({ADILET}P1700000864): "
        "с субботы 03.03.2018 на пятницу 09.03.2018.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2018-04-28",
        "working",
        f"Постановление Правительства РК 2017 г. № 864 ({ADILET}P1700000864): "
        "с субботы 28.04.2018 на понедельник 30.04.2018.",
        True,
        "Also reported by KazInform (kyzylorda-news.kz); decree text not read.",
    ),
    SeedOverride(
        "2018-05-05",
        "working",
        f"Постановление Правительства РК 2017 г. № 864 ({ADILET}P1700000864): "
        "с субботы 05.05.2018 на вторник 08.05.2018.",
        True,
        "Also reported by KazInform (kyzylorda-news.kz); decree text not read.",
    ),
    SeedOverride(
        "2018-08-25",
        "working",
        f"Постановление Правительства РК 2017 г. № 864 ({ADILET}P1700000864): "
        "с субботы 25.08.2018 на пятницу 31.08.2018.",
        True,
        "Also reported by syr-media.kz; decree text not read.",
    ),
    SeedOverride(
        "2018-12-29",
        "working",
        f"Постановление Правительства РК 2017 г. № 864 ({ADILET}P1700000864): "
        "с субботы 29.12.2018 на понедельник 31.12.2018.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2019-05-04",
        "working",
        f"Постановление Правительства РК 2018 г. № 888 ({ADILET}P1800000888): "
        "с субботы 04.05.2019 на пятницу 10.05.2019.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2020-01-05",
        "working",
        f"Постановление Правительства РК 2019 г. № 820 ({ADILET}P1900000820): "
        "с воскресенья 05.01.2020 на пятницу 03.01.2020.",
        True,
        "Draft quoted by ianews.kz; final text not read. The May 2020 item of the same decree "
        "is not seeded: the draft moved Sat 16.05 while holidays has 'from 11.05' — unresolved.",
    ),
    SeedOverride(
        "2020-12-20",
        "working",
        f"Постановление Правительства РК 2019 г. № 820 ({ADILET}P1900000820): "
        "с воскресенья 20.12.2020 на пятницу 18.12.2020.",
        True,
        "Draft quoted by ianews.kz; final text not read.",
    ),
    SeedOverride(
        "2021-07-03",
        "working",
        f"Постановление Правительства РК 2020 г. № 930 ({ADILET}P2000000930): "
        "с субботы 03.07.2021 на понедельник 05.07.2021.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2022-03-05",
        "working",
        "Постановление Правительства РК 2022 г. (номер не проверен): "
        "с субботы 05.03.2022 на понедельник 07.03.2022.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2022-08-27",
        "working",
        "Постановление Правительства РК 2022 г. (номер не проверен): "
        "с субботы 27.08.2022 на понедельник 29.08.2022.",
        True,
        "From the references of the holidays package; decree text not read.",
    ),
    SeedOverride(
        "2022-10-22",
        "working",
        f"Постановление Правительства РК 2022 г. № 796 ({ADILET}P2200000796): "
        "с субботы 22.10.2022 на понедельник 24.10.2022.",
        True,
        "Also reported by ortcom.kz quoting the decree; decree text not read.",
    ),
    SeedOverride(
        "2023-07-01",
        "working",
        f"Постановление Правительства РК 2023 г. ({ADILET}P2300000326): "
        "с субботы 01.07.2023 на пятницу 07.07.2023.",
        True,
        "Also reported by aqparat.info / atpress.kz; decree text not read.",
    ),
    SeedOverride(
        "2024-05-04",
        "working",
        f"Постановление Правительства РК 2024 г. ({ADILET}G24G0000109): "
        "«Перенести день отдыха с субботы 4 мая 2024 года на среду 8 мая 2024 года».",
        False,
        "Confirmed: decree text quoted by alataunews.kz, April 2024.",
    ),
    SeedOverride(
        "2025-01-05",
        "working",
        f"Постановление Правительства РК 2024 г. ({ADILET}G24G0000436): "
        "день отдыха перенесён с воскресенья 05.01.2025 на пятницу 03.01.2025.",
        False,
        "Confirmed: Ministry of Labour announcement (informburo.kz).",
    ),
)

# Every seeded row, for the fallback when the table does not exist yet.
ALL_SEEDS: tuple[SeedOverride, ...] = TRANSFERS_2012_2025
