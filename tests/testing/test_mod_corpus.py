"""The corpus generator: real posts recombined, with expected totals the parser must recover."""

from __future__ import annotations

import pandas as pd
import pytest

from ceasefire_stats.clean import mod_posts as mp
from ceasefire_stats.testing import mod_corpus as mc


@pytest.fixture(scope="module")
def real_raw(real_mod_raw):
    return real_mod_raw


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


@pytest.mark.realdata
def test_a_corpus_written_in_chunks_is_the_corpus_generated_in_memory(real_raw, tmp_path):
    raw, expected = mc.generate(500, seed=5, raw=real_raw)
    whole = mc.write(tmp_path / "whole.csv", raw)
    exp, regions = mc.write_corpus(tmp_path / "chunked.csv", 500, seed=5, raw=real_raw, chunk_rows=70)
    assert (tmp_path / "chunked.csv").read_bytes() == whole.read_bytes()
    assert exp.equals(expected.drop(columns="breakdown"))
    assert regions.equals(mc.expected_regions(expected["breakdown"].tolist()))


@pytest.mark.realdata
def test_check_counts_a_breakdown_wrong_when_a_region_is_wrong_missing_or_extra(real_raw, tmp_path):
    raw, expected = mc.generate(200, seed=8, raw=real_raw)
    posts, regions, _ = mp.tables(mp.read_raw(mc.write(tmp_path / "corpus.csv", raw)))
    assert mc.check(posts, regions, expected)["breakdown"] == 1.0
    ids = posts["post_id"].tolist()
    wrong_count = regions.assign(drones_destroyed=regions["drones_destroyed"].mask(regions["post_id"] == ids[0], 999))
    missing = regions[~((regions["post_id"] == ids[1]) & ~regions["post_id"].duplicated())]
    extra = pd.concat([regions, regions[regions["post_id"] == ids[2]].head(1).assign(region_id="RU-XXX")])
    for parsed in (wrong_count, missing, extra):
        score = mc.check(posts, parsed, expected)
        assert score["breakdown"] == pytest.approx(199 / 200) and score["total"] == 1.0
    assert mc.check(posts.iloc[1:], regions, expected)["all"] == pytest.approx(199 / 200)  # a post not in the table
