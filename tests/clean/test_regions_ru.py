"""The region table: ids, names, and resolution of the case forms the posts use."""

from __future__ import annotations

import re

import pytest

from ceasefire_stats.clean import regions_ru as rr


def test_ids_are_unique_and_well_formed():
    ids = rr.REGIONS.index
    assert ids.is_unique
    assert all(re.fullmatch(r"RU-[A-Z]{2,3}|UA-\d{2}|SEA-(BLACK|AZOV|CASPIAN)", i) for i in ids)
    assert (rr.REGIONS["kind"] != "").all() and rr.REGIONS["name_ru"].str.len().gt(0).all()


def test_all_russian_subjects_are_covered():
    russian = [i for i in rr.REGIONS.index if i.startswith("RU-")]
    assert len(russian) == 83  # the 83 subjects of ISO 3166-2:RU (Crimea and Sevastopol listed as UA)
    assert {"RU-MOW", "RU-MOS", "RU-SPE", "RU-KL", "RU-CU", "RU-NIZ", "RU-STA"} <= set(russian)


@pytest.mark.parametrize(
    ("mention", "region_id"),
    [
        ("Курской", "RU-KRS"), ("курская область", "RU-KRS"), ("над Курской областью", "RU-KRS"),
        ("Белгородскую область", "RU-BEL"), ("Краснодарского края", "RU-KDA"), ("краснодарским краем", "RU-KDA"),
        ("Республики Крым", "UA-43"), ("Крымским полуостровом", "UA-43"), ("Севастополя", "UA-40"),
        ("акваторией Черного моря", "SEA-BLACK"), ("Чёрном море", "SEA-BLACK"), ("Азовского моря", "SEA-AZOV"),
        ("Каспийского моря", "SEA-CASPIAN"), ("Московской области", "RU-MOS"), ("Московским регионом", "RU-MOS"),
        ("Москвой", "RU-MOW"), ("Республики Калмыкия", "RU-KL"), ("Чувашской Республики", "RU-CU"),
        ("Нижегородской", "RU-NIZ"), ("Ставропольского края", "RU-STA"), ("Ямало-Ненецкого", "RU-YAN"),
        ("Ненецкого автономного округа", "RU-NEN"), ("Запорожской области", "UA-23"), ("Херсонской", "UA-65"),
        ("Республики Татарстан", "RU-TA"), ("Санкт-Петербурга", "RU-SPE"), ("Ленинградской", "RU-LEN"),
    ],
)
def test_resolve_case_forms(mention, region_id):
    assert rr.resolve(mention) == region_id


@pytest.mark.parametrize("mention", ["московского времени", "Кировского района", "Приморско-Ахтарска",
                                     "черноморского флота", "области"])
def test_ambiguous_words_do_not_resolve(mention):
    assert rr.resolve(mention) is None


def test_every_canonical_russian_name_resolves_to_its_id():
    for region_id, name in rr.REGIONS["name_ru"].items():
        assert rr.resolve(name) == region_id, name


def test_mention_pattern_matches_the_canonical_names():
    pattern = re.compile(rr.MENTION_PATTERN)
    for name in rr.REGIONS["name_ru"]:
        assert pattern.search(name.lower().replace("ё", "е")), name
