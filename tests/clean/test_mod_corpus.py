"""The corpus generator: real posts recombined, with expected totals the parser must recover."""

from __future__ import annotations

import pytest

from ceasefire_stats.clean import mod_corpus as mc
from ceasefire_stats.clean import mod_posts as mp


@pytest.fixture(scope="module")
def real_raw(raw_file):
    return mp.read_raw(raw_file(mp.SOURCE))


@pytest.mark.realdata
def test_parser_recovers_every_expected_total_of_a_generated_corpus(real_raw, tmp_path):
    raw, expected = mc.generate(2000, seed=11, raw=real_raw)
    assert len(raw) == 2000 and not raw.duplicated(["datetime", "text_snippet"]).any()
    # every expected total is the sum of its regional items
    assert all(t == sum(b.values()) for t, b in zip(expected["drones_destroyed"], expected["breakdown"], strict=True))
    posts, regions, ledger = mp.tables(mp.read_raw(mc.write(tmp_path / "corpus.csv", raw)))
    assert ledger.summary()["kept"] == 2000
    assert mc.check(posts, regions, expected) == {"posts": 2000, "total": 1.0, "breakdown": 1.0, "window": 1.0,
                                                   "all": 1.0}


@pytest.mark.realdata
def test_generation_is_seeded_and_redraws_numerals_regions_and_windows(real_raw):
    first, expected = mc.generate(300, seed=3, raw=real_raw)
    again, _ = mc.generate(300, seed=3, raw=real_raw)
    assert first.equals(again)
    assert expected["window_kind"].nunique() == 3  # range, moment, night
    assert expected["breakdown"].map(len).max() >= 3
    assert len({r for b in expected["breakdown"] for r in b}) >= 20
    words = first["text_snippet"].str.contains(r"(?:уничтожены|уничтожено) (?:два|три|пять|шесть|семь|десять)")
    digits = first["text_snippet"].str.contains(r"[0-9]+ – над")
    assert words.any() and digits.any()
