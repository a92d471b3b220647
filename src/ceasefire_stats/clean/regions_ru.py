"""Places named in Russian MoD posts -> region ids: Russian federal subjects (ISO 3166-2:RU),
seas, and occupied Ukrainian territory as the posts name it (ISO 3166-2:UA).

Region ids are shared with the label set and the Ukrainian-side tables: ``RU-xxx`` for
Russian subjects (Moscow city ``RU-MOW``, Moscow oblast ``RU-MOS``), ``UA-xx`` for Ukrainian
territory (Crimea ``UA-43``, Sevastopol ``UA-40``), ``SEA-BLACK``, ``SEA-AZOV``,
``SEA-CASPIAN``. Each row of :data:`REGIONS` carries a stem pattern that matches every case
form the posts use, in lower case with «е» for «ё» («курская», «курской», «над курской
областью», «республики крым», «крымским полуостровом»). Posts name places in lists that
share the noun («над территориями курской, брянской и тамбовской областей»), so a bare
adjective resolves too.

Known naming habits, handled by name: «Московский регион» (the MoD's name for Moscow city
and oblast together, from 2025) resolves to Moscow oblast ``RU-MOS``, as in the label set;
«Москва» (the city, e.g. «летевших на Москву») to ``RU-MOW``. Stems that are also ordinary
words or town names need their noun: «московск-» (also «московского времени»; the bare
feminine «московской» of a shared-noun list is Moscow oblast), «кировск-»,
«приморск-» (also Приморско-Ахтарск), «алтайск-».

>>> resolve("Курской"), resolve("над Курской областью"), resolve("Республики Крым")
('RU-KRS', 'RU-KRS', 'UA-43')
>>> resolve("акваторией Азовского моря"), resolve("Московского региона"), resolve("Москву")
('SEA-AZOV', 'RU-MOS', 'RU-MOW')
>>> resolve("московского времени") is None
True
>>> REGIONS.loc["RU-BEL", "name_ru"]
'Белгородская область'
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

# id, English name, Russian name (nominative), kind, stem pattern (lower case, Python re)
_TABLE: tuple[tuple[str, str, str, str, str], ...] = (
    # republics
    ("RU-AD", "Adygea", "Республика Адыгея", "republic", "адыге"),
    ("RU-AL", "Altai Republic", "Республика Алтай", "republic", "республик[а-я]* алта"),
    ("RU-BA", "Bashkortostan", "Республика Башкортостан", "republic", "башкортостан|башкири"),
    ("RU-BU", "Buryatia", "Республика Бурятия", "republic", "бурят"),
    ("RU-CE", "Chechnya", "Чеченская Республика", "republic", "чеченск|чечн"),
    ("RU-CU", "Chuvashia", "Чувашская Республика", "republic", "чуваш"),
    ("RU-DA", "Dagestan", "Республика Дагестан", "republic", "дагестан"),
    ("RU-IN", "Ingushetia", "Республика Ингушетия", "republic", "ингушети"),
    ("RU-KB", "Kabardino-Balkaria", "Кабардино-Балкарская Республика", "republic", "кабардино-балкар"),
    ("RU-KL", "Kalmykia", "Республика Калмыкия", "republic", "калмыки"),
    ("RU-KC", "Karachay-Cherkessia", "Карачаево-Черкесская Республика", "republic", "карачаево-черкес"),
    ("RU-KR", "Karelia", "Республика Карелия", "republic", "карели"),
    ("RU-KK", "Khakassia", "Республика Хакасия", "republic", "хакаси"),
    ("RU-KO", "Komi", "Республика Коми", "republic", "республик[а-я]* коми"),
    ("RU-ME", "Mari El", "Республика Марий Эл", "republic", "марий эл"),
    ("RU-MO", "Mordovia", "Республика Мордовия", "republic", "мордови"),
    ("RU-SA", "Sakha (Yakutia)", "Республика Саха (Якутия)", "republic", "якути|республик[а-я]* саха"),
    ("RU-SE", "North Ossetia-Alania", "Республика Северная Осетия — Алания", "republic", "северн[а-я]* осети|осети"),
    ("RU-TA", "Tatarstan", "Республика Татарстан", "republic", "татарстан"),
    ("RU-TY", "Tuva", "Республика Тыва", "republic", "тыва|тыве|тывы|тув[аеы]"),
    ("RU-UD", "Udmurtia", "Удмуртская Республика", "republic", "удмурт"),
    # krais
    ("RU-ALT", "Altai Krai", "Алтайский край", "krai", "алтайск[а-я]* кра"),
    ("RU-KAM", "Kamchatka Krai", "Камчатский край", "krai", "камчатск"),
    ("RU-KHA", "Khabarovsk Krai", "Хабаровский край", "krai", "хабаровск"),
    ("RU-KDA", "Krasnodar Krai", "Краснодарский край", "krai", "краснодарск|кубан"),
    ("RU-KYA", "Krasnoyarsk Krai", "Красноярский край", "krai", "красноярск"),
    ("RU-PER", "Perm Krai", "Пермский край", "krai", "пермск"),
    ("RU-PRI", "Primorsky Krai", "Приморский край", "krai", "приморск[а-я]* кра"),
    ("RU-STA", "Stavropol Krai", "Ставропольский край", "krai", "ставропольск"),
    ("RU-ZAB", "Zabaykalsky Krai", "Забайкальский край", "krai", "забайкальск"),
    # oblasts
    ("RU-AMU", "Amur Oblast", "Амурская область", "oblast", "амурск"),
    ("RU-ARK", "Arkhangelsk Oblast", "Архангельская область", "oblast", "архангельск"),
    ("RU-AST", "Astrakhan Oblast", "Астраханская область", "oblast", "астраханск"),
    ("RU-BEL", "Belgorod Oblast", "Белгородская область", "oblast", "белгородск"),
    ("RU-BRY", "Bryansk Oblast", "Брянская область", "oblast", "брянск"),
    ("RU-CHE", "Chelyabinsk Oblast", "Челябинская область", "oblast", "челябинск"),
    ("RU-IRK", "Irkutsk Oblast", "Иркутская область", "oblast", "иркутск"),
    ("RU-IVA", "Ivanovo Oblast", "Ивановская область", "oblast", "ивановск"),
    ("RU-KGD", "Kaliningrad Oblast", "Калининградская область", "oblast", "калининградск"),
    ("RU-KLU", "Kaluga Oblast", "Калужская область", "oblast", "калужск"),
    ("RU-KEM", "Kemerovo Oblast", "Кемеровская область", "oblast", "кемеровск|кузбасс"),
    ("RU-KIR", "Kirov Oblast", "Кировская область", "oblast", "кировск[а-я]* област"),
    ("RU-KOS", "Kostroma Oblast", "Костромская область", "oblast", "костромск"),
    ("RU-KGN", "Kurgan Oblast", "Курганская область", "oblast", "курганск"),
    ("RU-KRS", "Kursk Oblast", "Курская область", "oblast", "курск"),
    ("RU-LEN", "Leningrad Oblast", "Ленинградская область", "oblast", "ленинградск"),
    ("RU-LIP", "Lipetsk Oblast", "Липецкая область", "oblast", "липецк"),
    ("RU-MAG", "Magadan Oblast", "Магаданская область", "oblast", "магаданск"),
    ("RU-MOS", "Moscow Oblast", "Московская область", "oblast", "московск(?:ой|ая|ую|ою)(?![а-я])|московск[а-я]* (?:област|регион)|подмосков"),
    ("RU-MUR", "Murmansk Oblast", "Мурманская область", "oblast", "мурманск"),
    ("RU-NIZ", "Nizhny Novgorod Oblast", "Нижегородская область", "oblast", "нижегородск"),
    ("RU-NGR", "Novgorod Oblast", "Новгородская область", "oblast", "новгородск"),
    ("RU-NVS", "Novosibirsk Oblast", "Новосибирская область", "oblast", "новосибирск"),
    ("RU-OMS", "Omsk Oblast", "Омская область", "oblast", "омск"),
    ("RU-ORE", "Orenburg Oblast", "Оренбургская область", "oblast", "оренбургск"),
    ("RU-ORL", "Oryol Oblast", "Орловская область", "oblast", "орловск"),
    ("RU-PNZ", "Penza Oblast", "Пензенская область", "oblast", "пензенск"),
    ("RU-PSK", "Pskov Oblast", "Псковская область", "oblast", "псковск"),
    ("RU-ROS", "Rostov Oblast", "Ростовская область", "oblast", "ростовск"),
    ("RU-RYA", "Ryazan Oblast", "Рязанская область", "oblast", "рязанск"),
    ("RU-SAK", "Sakhalin Oblast", "Сахалинская область", "oblast", "сахалинск"),
    ("RU-SAM", "Samara Oblast", "Самарская область", "oblast", "самарск"),
    ("RU-SAR", "Saratov Oblast", "Саратовская область", "oblast", "саратовск"),
    ("RU-SMO", "Smolensk Oblast", "Смоленская область", "oblast", "смоленск"),
    ("RU-SVE", "Sverdlovsk Oblast", "Свердловская область", "oblast", "свердловск"),
    ("RU-TAM", "Tambov Oblast", "Тамбовская область", "oblast", "тамбовск"),
    ("RU-TOM", "Tomsk Oblast", "Томская область", "oblast", "томск"),
    ("RU-TUL", "Tula Oblast", "Тульская область", "oblast", "тульск"),
    ("RU-TVE", "Tver Oblast", "Тверская область", "oblast", "тверск"),
    ("RU-TYU", "Tyumen Oblast", "Тюменская область", "oblast", "тюменск"),
    ("RU-ULY", "Ulyanovsk Oblast", "Ульяновская область", "oblast", "ульяновск"),
    ("RU-VLA", "Vladimir Oblast", "Владимирская область", "oblast", "владимирск"),
    ("RU-VGG", "Volgograd Oblast", "Волгоградская область", "oblast", "волгоградск"),
    ("RU-VLG", "Vologda Oblast", "Вологодская область", "oblast", "вологодск"),
    ("RU-VOR", "Voronezh Oblast", "Воронежская область", "oblast", "воронежск"),
    ("RU-YAR", "Yaroslavl Oblast", "Ярославская область", "oblast", "ярославск"),
    # autonomous oblast and okrugs
    ("RU-YEV", "Jewish Autonomous Oblast", "Еврейская автономная область", "autonomous", "еврейск[а-я]* автономн"),
    ("RU-KHM", "Khanty-Mansi Autonomous Okrug", "Ханты-Мансийский автономный округ — Югра", "autonomous", "ханты-мансийск|югр[аеыу]"),
    ("RU-NEN", "Nenets Autonomous Okrug", "Ненецкий автономный округ", "autonomous", "ненецк"),
    ("RU-YAN", "Yamalo-Nenets Autonomous Okrug", "Ямало-Ненецкий автономный округ", "autonomous", "ямало-ненецк"),
    ("RU-CHU", "Chukotka Autonomous Okrug", "Чукотский автономный округ", "autonomous", "чукотск"),
    # federal cities
    ("RU-MOW", "Moscow", "Москва", "city", "москв"),
    ("RU-SPE", "Saint Petersburg", "Санкт-Петербург", "city", "санкт-петербург|петербург"),
    # occupied Ukrainian territory, as the MoD names it
    ("UA-43", "Crimea", "Республика Крым", "ua_occupied", "крым"),
    ("UA-40", "Sevastopol", "Севастополь", "ua_occupied", "севастопол"),
    ("UA-23", "Zaporizhzhia Oblast", "Запорожская область", "ua_occupied", "запорожск"),
    ("UA-65", "Kherson Oblast", "Херсонская область", "ua_occupied", "херсонск"),
    ("UA-14", "Donetsk (DNR)", "Донецкая Народная Республика", "ua_occupied", "донецк|днр"),
    ("UA-09", "Luhansk (LNR)", "Луганская Народная Республика", "ua_occupied", "луганск|лнр"),
    # seas
    ("SEA-BLACK", "Black Sea", "Черное море", "sea", "черн[а-я]* мор"),
    ("SEA-AZOV", "Sea of Azov", "Азовское море", "sea", "азовск[а-я]* мор"),
    ("SEA-CASPIAN", "Caspian Sea", "Каспийское море", "sea", "каспийск[а-я]* мор"),
)

REGIONS: pd.DataFrame = pd.DataFrame(
    _TABLE, columns=["region_id", "name_en", "name_ru", "kind", "stem"]
).set_index("region_id")
"""One row per region id: English and Russian names, kind, and the stem pattern."""

REGION_NAMES: dict[str, str] = REGIONS["name_en"].to_dict()
"""Region id -> canonical English name."""

_NOUNS = (
    r"(?: (?:област[а-я]*|кра[а-я]*|республик[а-я]*|автономн[а-я]* (?:округ|област)[а-я]*"
    r"|мор[а-я]*|регион[а-я]*|полуостров[а-я]*|народн[а-я]* республик[а-я]*))?"
)
def _top_level(stem: str) -> list[str]:
    """Split a stem pattern on its top-level ``|``."""
    parts, depth, current = [], 0, ""
    for char in stem:
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _grouped(stems: list[str]) -> str:
    """One alternation of all stems, grouped by first letter (so a regex engine tries only
    the stems that can start at a position)."""
    by_first: dict[str, list[str]] = {}
    for stem in stems:
        for alt in _top_level(stem):
            by_first.setdefault(alt[0], []).append(alt[1:])
    groups = [first + "(?:" + "|".join(sorted(rests, key=len, reverse=True)) + ")"
              for first, rests in sorted(by_first.items())]
    return "(?:" + "|".join(groups) + ")"


MENTION_PATTERN = _grouped([stem for *_, stem in _TABLE]) + "[а-я-]*" + _NOUNS
"""Regex (lower-case text, Python ``re``) for one place mention: a stem, the
rest of its word, and an optional place noun. Match it after a non-letter; resolve the
matched text with :func:`resolve`."""

_RESOLVERS = tuple((region_id, re.compile(f"(?:^|[^а-я-])(?:{stem})")) for region_id, *_, stem in _TABLE)
_SPECIFIC_FIRST = ("RU-MOS", "RU-YAN", "RU-KB", "RU-KC", "RU-SE", "RU-SPE")


@cache
def resolve(mention: str) -> str | None:
    """The region id of a place mention in any case («Курской», «над Курской областью»,
    «акваторией Черного моря»), or None when it names no known region.

    >>> resolve("Ямало-Ненецкого автономного округа"), resolve("Кабардино-Балкарской Республики")
    ('RU-YAN', 'RU-KB')
    """
    text = " " + mention.lower().replace("ё", "е").replace("*", "")
    hits = [region_id for region_id, pattern in _RESOLVERS if pattern.search(text)]
    if not hits:
        return None
    for region_id in _SPECIFIC_FIRST:
        if region_id in hits:
            return region_id
    return hits[0]
