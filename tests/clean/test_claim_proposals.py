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


# --- whole claims (issue 22 section 3): short phrases written by us ------------------------------

def _one(text, value):
    p = ce.propose(text)
    sel = p[p["value_stated"] == value]
    assert len(sel) == 1, p[["number_text", "counted"]].values.tolist()
    return sel.iloc[0]


@pytest.mark.parametrize("text,value,noun", [
    ("He said 1,882 shellings hit positions, 812 of them with heavy weapons.", 812, "shellings"),
    ("The ministry said 158 drones were downed, 67 over Krasnodar and 29 over the Rostov region.", 29, "drones"),
    ("Air defences shot down 42 drones, while 47 others were lost from radar.", 47, "drones"),
    ("Troops destroyed 60 of the 108 drones launched overnight.", 60, "drones"),
    ("Russia fired 87 attack drones at Ukraine.", 87, "drones"),
    ("Kyiv reported 3,316 drone strikes on its positions.", 3316, "strikes"),
])
def test_the_counted_noun_is_the_noun_counted_not_the_next_word(text, value, noun):
    assert _one(text, value)["counted"] == noun


@pytest.mark.parametrize("text", [
    "The truce began on April 19 and ended on 21 April.",
    "Officials met at 6 p.m. and again at 09:30.",
    "The ceasefire was to last 30 days, or at least 72 hours.",
    "Photo 1 of 4",
    "Updated 10:42 GMT",
    "By Staff Writers | 5 min read | 2 comments",
])
def test_dates_times_durations_and_page_furniture_are_not_counts(text):
    assert ce.propose(text).empty


@pytest.mark.parametrize("text,value,metric,direction", [
    ("Air defences shot down 42 drones, while 47 others were lost from radar, Ukraine's Air Force said.", 47,
     "lost_from_radar", "ru_to_ua"),
    ("Russia launched 96 drones and three missiles at Ukraine, the Air Force said.", 3, "launched", "ru_to_ua"),
    ("Russia's defence ministry said it destroyed 57 Ukrainian drones over Kursk.", 57, "intercepted", "ua_to_ru"),
    ("Zelenskyy said Russian troops had violated the truce 2,935 times.", 2935, "violations", "ru_to_ua"),
    ("Moscow accused Kyiv of striking Russian energy facilities five times.", 5, "energy_strikes", "ua_to_ru"),
    ("Three people were killed and 11 injured in a Russian drone attack on Odesa, the governor said.", 11,
     "injured", "ru_to_ua"),
])
def test_metric_and_direction(text, value, metric, direction):
    row = _one(text, value)
    assert (row["metric"], row["direction"]) == (metric, direction)


@pytest.mark.parametrize("text,value,speaker", [
    ("Russia’s defence ministry said it destroyed 57 Ukrainian drones.", 57, "ru_mod"),  # curly apostrophe
    ("Russia launched 96 drones overnight, according to the Ukrainian Air Force.", 96, "ua_air_force"),
    ("Dmytro Lytvyn, an adviser to Zelenskyy, said Russia had hit energy sites eight times.", 8, "lytvyn"),
    ("Sybiha said Russia had broken the truce 730 times.", 730, "sybiha"),  # Russia is said about, not speaking
])
def test_speaker_resolution(text, value, speaker):
    assert _one(text, value)["speaker"] == speaker


def test_an_unknown_speaker_is_not_given_to_the_last_named():
    text = ("Zelenskyy said Russia launched 100 drones. Three people were killed in Odesa, regional governor "
            "Oleh Kiper said. He said 11 were injured.")
    p = ce.propose(text)
    assert p.loc[p["value_stated"] == 100, "speaker"].item() == "zelenskyy"
    assert p.loc[p["value_stated"] == 3, "speaker"].isna().all()
    assert p.loc[p["value_stated"] == 3, "speaker_basis"].item() == "named_unknown"
    assert p.loc[p["value_stated"] == 11, "speaker"].isna().all()  # "he" is the governor, not Zelenskyy


LABELS = REPO / "src" / "ceasefire_stats" / "curated" / "labels"


@pytest.mark.parametrize("name", ["claim_proposals_dev.yaml", "claim_proposals_heldout.yaml"])
def test_label_sets_meet_the_targets(name):
    # the targets; the held-out set was written before tuning and never tuned on
    result = ce.score_labels(ce.read_labels(LABELS / name))
    assert result["claims"] >= 25
    assert result["number_and_noun"] >= 0.85 and result["precision"] >= 0.75
    assert result["direction"] >= 0.80 and result["speaker"] >= 0.80


def test_label_sets_are_separate():
    dev = {d["text"] for d in ce.read_labels(LABELS / "claim_proposals_dev.yaml")}
    held = {d["text"] for d in ce.read_labels(LABELS / "claim_proposals_heldout.yaml")}
    assert not dev & held


def test_draft_is_a_claims_file_that_builds(tmp_path):
    [doc] = [d for d in ce.read_labels(LABELS / "claim_proposals_dev.yaml") if d["id"] == "dev-02"]
    path = tmp_path / "draft.yaml"
    path.write_text(ce.draft(doc["text"], published="2025-04-09T07:30:00+03:00", doc_id="t"), encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith("# PROPOSALS")
    table, _ = claims.read_claims(files=[path])
    assert table["claim_type"].eq("count").all() and table["notes"].str.startswith("PROPOSAL").all()
    assert table.sort_values("value_stated")[["value_stated", "count_noun", "count_metric", "direction",
                                             "claimant"]].values.tolist() == [
        [29, "drones", "intercepted", "ua_to_ru", "ru_mod"], [67, "drones", "intercepted", "ua_to_ru", "ru_mod"],
        [158, "drones", "intercepted", "ua_to_ru", "ru_mod"]]


def _cli(args, cwd):
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "ceasefire_stats", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120, check=False)


def test_cli_propose_writes_the_draft_and_refuses_bad_input_in_one_line(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("KYIV, 21.04.2025 - Russia launched 96 drones at Ukraine, the Air Force said.\n",
                       encoding="utf-8")
    ok = _cli(["claims", "propose", str(article)], tmp_path)
    assert ok.returncode == 0 and "number: '96'" in ok.stdout and "published: '2025-04-21'" in ok.stdout
    undated = tmp_path / "undated.txt"
    undated.write_text("Russia launched 96 drones at Ukraine.\n", encoding="utf-8")
    for args in (["claims", "propose", str(undated)], ["claims", "propose", str(tmp_path / "missing.txt")],
                 ["claims", "propose", str(article), "--published", "21/04/2025"]):
        bad = _cli(args, tmp_path)
        assert bad.returncode == 2 and bad.stdout == "" and "Traceback" not in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1 and "ceasefire-stats: error:" in bad.stderr
