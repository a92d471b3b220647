"""claims_extract: short phrases written by us, and the seed article read from ../shared/seed at
test time (skipped locally when absent, failing under CI=true). The article is never copied here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire_stats.clean import claim_proposals as ce
from ceasefire_stats.clean import claims

REPO = Path(__file__).resolve().parents[2]


def seed_texts() -> list[Path]:
    shared = os.environ.get("CEASEFIRE_STATS_SHARED", "").strip()
    folder = (Path(shared) if shared else REPO.parent / "shared") / "seed"
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        if os.environ.get("CI"):
            pytest.fail(f"seed article not found in {folder} (set CEASEFIRE_STATS_SHARED)")
        pytest.skip(f"seed article not found in {folder}")
    return files


def _rows(text):
    p = ce.propose(text)
    return [(r.value_low, None if r.value_high is None or r.value_high != r.value_high else r.value_high,
             r.counted, r.speaker) for r in p.astype(object).itertuples()]


def test_numbers_words_and_qualifiers():
    p = ce.propose("The minister said more than 20 homes and seven schools were hit.")
    assert p["number_text"].tolist() == ["more than 20", "seven"]
    assert p["counted"].tolist() == ["homes", "schools"]
    assert p["value_low"].tolist() == [21, 7] and p["qualifier"].tolist() == ["more_than", "exact"]


def test_skips_years_times_and_one_of():
    p = ce.propose("Annexed in 2014, one of its depots burned at 04:36 on 2025-03-19.")
    assert p.empty


def test_list_item_a_counts_one_only_beside_numbers():
    p = ce.propose("Officials said two schools, a bridge, and 12 homes were hit. A man said a dog barked.")
    assert ("a", 1, "bridge") in [(r.number_text, r.value_stated, r.counted) for r in p.itertuples()]
    assert "dog" not in p["counted"].tolist()


def test_enumeration_of_names():
    p = ce.propose("Drones were reportedly seen over the regions of Alpha, Beta, Gamma and Delta.")
    [row] = p.itertuples()
    assert (row.kind, row.value_stated, row.counted, row.speaker) == ("enumeration", 4, "regions", "unattributed")


def test_speakers_named_pronoun_and_quote():
    text = ('Peskov said nothing new. "We downed 12 drones," the ministry said. '
            'Stubb said that two ways remain. He added that 3 talks were held.')
    p = ce.propose(text)
    assert p[["value_stated", "speaker"]].values.tolist() == [[12, "ru_mod"], [2, "stubb"], [3, "stubb"]]


_PIECES = st.sampled_from(list("abcAZ 0123456789,.;:-\"'\n") + ["said", " he ", "Zelensky", "more than",
                                                                   "several", " and ", "a ", "regions of "])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=80).map("".join))
def test_propose_never_raises_and_offsets_point_into_the_text(text):
    proposals = ce.propose(text)
    assert list(proposals.columns) == ce.COLUMNS
    for row in proposals.itertuples():
        assert 0 <= row.start < row.end <= len(text)


def test_seed_article_every_listed_number():
    for path in seed_texts():
        proposals = ce.propose(path.read_text(encoding="utf-8"))
        found = {(int(r.value_low), r.counted) for r in proposals.itertuples()}
        expected = {(150, "drones"), (2, "hospitals"), (1, "railway"), (21, "homes"), (9, "regions"),
                    (7, "drones"), (3, "drones"), (57, "drones")}
        assert expected <= found, expected - found
        homes = proposals[proposals["counted"] == "homes"].iloc[0]
        assert homes["qualifier"] == "more_than" and homes["value_stated"] == 20


def test_seed_article_precision_and_recall_against_the_ledger():
    table, _ = claims.read_claims()
    seed = table[table["source_doc"] == "2025-03-20_seed_trump_zelenskyy_call"]
    for path in seed_texts():
        result = ce.score(ce.propose(path.read_text(encoding="utf-8")), seed)
        print(f"seed precision {result['precision']:.2f} recall {result['recall']:.2f} "
              f"speaker agreement {result['speaker_agreement']:.2f}")
        assert result["recall"] == 1.0  # every curated number is proposed
        assert result["precision"] >= 0.6  # a floor, not a target; the benchmark prints the figure
        table_ = result["table"]
        assert table_.loc[table_["claim_id"] == "seed-zelenskyy-150-drones", "speaker"].tolist() == ["zelenskyy"]
