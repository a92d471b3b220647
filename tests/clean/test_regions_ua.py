"""Ukrainian region names -> ISO 3166-2:UA codes, sectors and groups."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ceasefire_stats.clean import regions_ua
from ceasefire_stats.clean.regions_ua import resolve_one


@pytest.mark.parametrize(("name", "region_id", "kind"), [
    ("Dnipro oblast", "UA-12", "oblast"),
    ("Dnipropetrovsk oblast", "UA-12", "oblast"),
    ("Dnipropetrovsk oblas", "UA-12", "oblast"),
    ("Dnipropetrovsk oblast, Kryvyi Rih Raion", "UA-12", "raion"),
    ("Kyiv oblast (south)", "UA-32", "oblast"),
    ("Kyiv", "UA-30", "city"),
    ("Kryvyi Rih", "UA-12", "city"),
    ("Odesa oblast, Black Sea", "UA-51", "oblast"),
    ("Lutsk oblast", "UA-07", "oblast"),
    ("south", "UA-SECTOR-SOUTH", "sector"),
    ("north-east", "UA-SECTOR-NORTHEAST", "sector"),
    ("front line", "UA-SECTOR-FRONTLINE", "sector"),
    ("Ukraine", "UA", "country"),
    ("Kursk oblast", "RU-KRS", "foreign"),
    ("belarus", "BY", "foreign"),
    ("Mykolaiv oblast and Kherson oblast", "UA-48+UA-65", "group"),
    ("  Odesa   oblast  ", "UA-51", "oblast"),
])
def test_resolve(name, region_id, kind):
    region = resolve_one(name)
    assert (region.region_id, region.region_kind) == (region_id, kind)


def test_raion_kept_as_subregion():
    assert resolve_one("Dnipropetrovsk oblast, Kryvyi Rih Raion").subregion == "Kryvyi Rih Raion"


def test_unknown_names_resolve_to_none():
    assert resolve_one("Atlantis") is None
    assert resolve_one("Odesa oblast and Atlantis") is None
    assert resolve_one("") is None
    table = regions_ua.resolve(["Atlantis", "Sumy oblast", ""])
    assert table["name"].tolist() == ["Atlantis", "Sumy oblast"]
    assert table["region_id"].isna().tolist() == [True, False]


def test_every_oblast_code_is_iso_shaped():
    assert all(re.fullmatch(r"UA-\d\d", code) for code in regions_ua.OBLASTS)
    assert len(regions_ua.OBLASTS) == 27


@pytest.mark.realdata
def test_every_place_in_the_real_file_resolves(raw_file):
    frame = pd.read_csv(raw_file("airforce_strikes"), dtype="str", keep_default_na=False)
    names = list(frame["target"])
    for column in ("destroyed_details", "affected region"):
        for cell in frame[column].unique():
            names += re.findall(r"'([^']*)'\s*(?::|,|\])", cell)
    table = regions_ua.resolve(names)
    assert table["region_id"].notna().all(), table[table["region_id"].isna()]
