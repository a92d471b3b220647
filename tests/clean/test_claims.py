"""clean.claims: the seed ledger, the claimant table, and every documented error (library and CLI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ceasefire_stats import pipeline
from ceasefire_stats.clean import claimants, claims
from ceasefire_stats.core.errors import InputError
from ceasefire_stats.core.fields import validate

SEED = "2025-03-20_seed_trump_zelenskyy_call"
SRC = Path(claims.__file__).resolve().parents[3]  # (clean/claims/__init__.py)


@pytest.fixture(scope="module")
def ledger():
    """Every curated document: the seed is one of many, never assumed to be the only one."""
    table, ledgers = claims.read_claims()
    return validate(table, claims.SCHEMA, "claim_id"), ledgers


@pytest.fixture(scope="module")
def seed(ledger):
    """The seed article's claims (and every ledger)."""
    table, ledgers = ledger
    return table[table["source_doc"] == SEED].reset_index(drop=True), ledgers


def _claim(table, claim_id):
    sel = table[table["claim_id"] == claim_id]
    assert len(sel) == 1, claim_id
    return sel.iloc[0]


# --- the seed ledger ---------------------------------------------------------------------------

def test_every_document_validates_and_its_ledger_balances(ledger):
    table, ledgers = ledger
    assert table["claim_id"].is_unique
    assert {led.source for led in ledgers} == {f"claims_{d}" for d in table["source_doc"].unique()}
    for led in ledgers:
        n = int((table["source_doc"] == led.source.removeprefix("claims_")).sum())
        led.check(n_in=n)
        assert led.summary()["kept"] == n and led.summary()["rejected"] == 0


def test_seed_validates_and_ledger_balances(seed):
    table, ledgers = seed
    assert (table["source_doc"] == SEED).all()
    assert len(table) >= 20 and table["claim_id"].is_unique
    [ledger] = [led for led in ledgers if led.source == f"claims_{SEED}"]
    ledger.check(n_in=len(table))
    assert ledger.summary()["kept"] == len(table) and ledger.summary()["rejected"] == 0


def test_seed_names_every_speaker(seed):
    table, _ = seed
    assert {"trump", "zelenskyy", "peskov", "ru_mod", "white_house", "isw", "stubb", "waltz", "leavitt",
            "gould_davies"} <= set(table["claimant"])
    assert set(table["claim_type"]) == set(claims.CLAIM_TYPES)


def test_seed_source_time_is_an_interval_of_every_reading_of_a_stamp_without_zone(seed):
    table, _ = seed
    assert (table["source_published_stamp"] == "2025-03-20 00:47:00").all()
    assert (table["source_published_tz"] == claims.UNKNOWN_TZ).all()
    # the stamp read at UTC+14 .. UTC-12 (plus its minute): no single zone is assumed
    assert (table["source_published_from"] == pd.Timestamp("2025-03-19 10:47", tz="UTC")).all()
    assert (table["source_published_to"] == pd.Timestamp("2025-03-20 12:48", tz="UTC")).all()
    assert str(table["source_published_to"].dtype) == "datetime64[us, UTC]"


def test_no_statement_is_after_its_own_source(seed):
    # the reviewer's finding: read as AEDT (13:47 UTC on 19 March) the stamp put Trump's, Waltz's,
    # Leavitt's and Gould-Davies' statements after the article reporting them
    table, _ = seed
    assert (table["said_from"] < table["source_published_to"]).all()
    assert (table["said_to"] <= table["source_published_to"]).all()
    late = _claim(table, "seed-goulddavies-contest")  # approx: the London day +-1 would run to 21 March
    assert late["said_to"] == late["source_published_to"]
    for claim_id in ("seed-trump-good-progress", "seed-waltz-riyadh-talks", "seed-leavitt-intelligence-continues"):
        assert _claim(table, claim_id)["said_from"] < pd.Timestamp("2025-03-19 13:47", tz="UTC")


def test_putins_claim_reported_in_zelenskyys_words_keeps_both(seed):
    table, _ = seed
    putin = _claim(table, "seed-putin-ordered-energy-stop")
    assert (putin["claimant"], putin["speaker"], putin["quote_kind"]) == ("putin", "zelenskyy", "direct")
    assert putin["speaker_name"] == "Volodymyr Zelenskyy" and putin["claimant_name"] == "Vladimir Putin"
    own = table[table["speaker"] == table["claimant"]]
    assert set(table["claim_id"]) - set(own["claim_id"]) == {"seed-putin-ordered-energy-stop",
                                                             "seed-putin-condition-aid-halt"}
    assert (table["quote"].isna() == table["quote_kind"].isna()).all()
    # the outlet's words are marked as such (no quotation marks in the article)
    assert _claim(table, "seed-rumod-57-intercepted")["quote_kind"] == "paraphrase"
    assert _claim(table, "seed-zelenskyy-two-hospitals")["quote_kind"] == "paraphrase"


def test_seed_curates_gould_davies_indiscreet_and_the_mods_seven_launched(seed):
    table, _ = seed
    gd = _claim(table, "seed-goulddavies-indiscreet")
    assert gd["claimant"] == "gould_davies" and "indiscreet" in gd["quote"] and gd["quote_kind"] == "direct"
    launched = _claim(table, "seed-rumod-seven-own-launched")
    shot = _claim(table, "seed-rumod-seven-own-drones")
    for row, metric in ((launched, "launched"), (shot, "intercepted")):
        assert (row["claimant"], row["count_metric"], row["direction"], row["value_stated"],
                row["count_regions"]) == ("ru_mod", metric, "ru_to_ua", 7, "UA-48")


def test_seed_flags_the_former_president_error():
    _, errors, _ = claims.read_documents()
    validate(errors, claims.ERROR_SCHEMA)
    row = errors[(errors["source_doc"] == SEED) & (errors["error_code"] == "wrong_title")].iloc[0]
    assert row["error_text"] == "Former U.S. President Donald Trump"
    assert "sitting President" in row["error_note"]


def test_a_stamp_of_known_zone_is_one_minute(tmp_path):
    _write(tmp_path, GOOD, "good_doc.yaml")
    table, errors, _ = claims.read_documents(tmp_path)
    assert (table["source_published_from"] == pd.Timestamp("2025-03-19 08:00", tz="UTC")).all()
    assert (table["source_published_to"] == pd.Timestamp("2025-03-19 08:01", tz="UTC")).all()
    assert errors.empty and list(errors.columns) == claims.ERROR_COLUMNS


@pytest.mark.parametrize("claim_id,claimant,noun,metric,direction,stated,low,high,qualifier,regions", [
    ("seed-zelenskyy-150-drones", "zelenskyy", "drones", "launched", "ru_to_ua", 150, 150, 150, "exact", None),
    ("seed-zelenskyy-two-hospitals", "zelenskyy", "hospitals", "hit", "ru_to_ua", 2, 2, 2, "exact", None),
    ("seed-zelenskyy-railway", "zelenskyy", "railways", "hit", "ru_to_ua", 1, 1, 1, "exact", None),
    ("seed-zelenskyy-20-homes", "zelenskyy", "homes", "hit", "ru_to_ua", 20, 21, None, "more_than", None),
    ("seed-reportedly-nine-regions", "unattributed", "regions", "overflown", "ru_to_ua", 9, 9, 9, "exact",
     "UA-32|UA-18|UA-59|UA-74|UA-53|UA-63|UA-35|UA-12|UA-71"),
    ("seed-rumod-seven-own-drones", "ru_mod", "drones", "intercepted", "ru_to_ua", 7, 7, 7, "exact", "UA-48"),
    ("seed-rumod-cpc-three-drones", "ru_mod", "drones", "struck", "ua_to_ru", 3, 3, 3, "exact", "RU-KDA"),
    ("seed-rumod-57-intercepted", "ru_mod", "drones", "intercepted", "ua_to_ru", 57, 57, 57, "exact",
     "SEA-AZOV|RU-KRS|RU-BRY|RU-ORL|RU-TUL"),
])
def test_seed_numeric_claims(seed, claim_id, claimant, noun, metric, direction, stated, low, high, qualifier, regions):
    row = _claim(seed[0], claim_id)
    assert (row["claimant"], row["count_noun"], row["count_metric"], row["direction"]) == (claimant, noun, metric, direction)
    assert row["value_stated"] == stated and row["value_low"] == low and row["qualifier"] == qualifier
    assert (pd.isna(row["value_high"]) and high is None) or row["value_high"] == high
    assert (pd.isna(row["count_regions"]) and regions is None) or row["count_regions"] == regions
    assert row["attribution_date"] == pd.Timestamp("2025-03-19")  # the night 18->19 March


def test_seed_night_windows_are_local(seed):
    table, _ = seed
    ua = _claim(table, "seed-zelenskyy-150-drones")
    ru = _claim(table, "seed-rumod-57-intercepted")
    assert ua["window_tz"] == "Europe/Kyiv" and ru["window_tz"] == "Europe/Moscow"
    assert ua["window_start"] == pd.Timestamp("2025-03-18 18:00", tz="Europe/Kyiv")
    assert ru["said_from"] == pd.Timestamp("2025-03-19 04:36", tz="UTC") and ru["said_precision"] == "minute"
    assert _claim(table, "seed-reportedly-nine-regions")["count_number_derived"]


def test_quotes_are_short(seed):
    assert seed[0]["quote"].dropna().str.len().max() <= claims.QUOTE_MAX_CHARS


# --- claimants ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Zelenskyy", "Zelensky", "Volodymyr Zelenskyy", "  volodymyr   ZELENSKY ",
                                  "zelenskyy", "President Zelensky"])
def test_zelenskyy_spellings(name):
    assert claimants.canonical(name) == "zelenskyy"


def test_claimant_table_is_consistent():
    claimants.alias_index()  # no alias names two claimants
    assert all(c.side in claimants.SIDES for c in claimants.CLAIMANTS.values())
    assert all(claimants.ID_PATTERN.match(c) for c in claimants.CLAIMANTS)
    assert claimants.canonical("Nobody Known") is None


# --- bad files ---------------------------------------------------------------------------------

GOOD = """\
format: 1
source:
  title: A test document
  outlet: test
  published: "2025-03-19T10:00:00+02:00"
  published_tz: Europe/Kyiv
claims:
  - id: t-1
    said: 2025-03-19
    said_tz: Europe/Kyiv
    said_precision: day
    claimant: Zelensky
    type: assertion
    subject_side: RU
    topic: energy_strikes
  - id: t-2
    said: "2025-03-19T09:15:00+02:00"
    said_precision: minute
    claimant: ru_mod
    type: count
    subject_side: UA
    topic: air_strikes
    count:
      number: more than 20
      counted: drones
      metric: intercepted
      weapon_class: drone
      direction: ua_to_ru
      night: 2025-03-19
"""

BAD_CASES = {
    # case: (old text, new text, claim id, field, message fragment)
    "missing_field": ("    topic: energy_strikes\n", "", "t-1", "topic", "missing required field"),
    "unknown_side": ("claims:\n", "claimants:\n  - id: new_body\n    name: New Body\n    role: test\n"
                     "    side: XX\nclaims:\n", "-", "claimants.side", "unknown claimant side 'XX'"),
    "unknown_subject_side": ("    subject_side: RU\n", "    subject_side: Mars\n", "t-1", "subject_side", "unknown side"),
    "unparseable_date": ("    said: 2025-03-19\n", "    said: 19th of March\n", "t-1", "said", "unparseable date"),
    "impossible_date": ("    said: 2025-03-19\n", "    said: 2025-02-30\n", "t-1", "said", "unparseable date"),
    "naive_datetime": ('    said: "2025-03-19T09:15:00+02:00"\n', '    said: "2025-03-19T09:15:00"\n', "t-2", "said",
                       "no time zone"),
    "offset_disagrees_with_zone": ('    said: "2025-03-19T09:15:00+02:00"\n',
                                   '    said: "2025-03-19T09:15:00+02:00"\n    said_tz: Europe/Moscow\n', "t-2",
                                   "said", "disagrees with Europe/Moscow"),
    "duplicated_id": ("  - id: t-2\n", "  - id: t-1\n", "t-1", "id", "duplicated id"),
    "qualifier_contradiction": ("      counted: drones\n", "      qualifier: exact\n      counted: drones\n", "t-2",
                                "count.qualifier", "contradicts"),
    "value_contradiction": ("      counted: drones\n", "      value: 25\n      counted: drones\n", "t-2",
                            "count.value", "contradicts"),
    "unparseable_number": ("      number: more than 20\n", "      number: loads\n", "t-2", "count.number", "not a quantity"),
    "unknown_claimant": ("    claimant: Zelensky\n", "    claimant: Mystery Man\n", "t-1", "claimant", "unknown claimant"),
    "unknown_region": ("      night: 2025-03-19\n", "      night: 2025-03-19\n      regions: [Kursk]\n", "t-2",
                       "count.regions", "not region ids"),
    "unknown_field": ("    topic: energy_strikes\n", "    topic: energy_strikes\n    speeker: x\n", "t-1", "speeker",
                      "unknown field"),
    "unknown_speaker": ("    topic: energy_strikes\n", "    topic: energy_strikes\n    speaker: Mystery Man\n", "t-1",
                        "speaker", "unknown speaker"),
    "quote_without_kind": ("    topic: energy_strikes\n", "    topic: energy_strikes\n    quote: words\n", "t-1",
                           "quote_kind", "a quote needs quote_kind"),
    "unknown_quote_kind": ("    topic: energy_strikes\n",
                           "    topic: energy_strikes\n    quote: words\n    quote_kind: hearsay\n", "t-1",
                           "quote_kind", "unknown quote kind"),
    "said_after_its_source": ("    said: 2025-03-19\n", "    said: 2025-03-20\n", "t-1", "said",
                              "after the latest possible publication"),
    "unknown_source_error_code": ("  published_tz: Europe/Kyiv\n",
                                  "  published_tz: Europe/Kyiv\n  errors:\n    - code: typo\n      text: x\n"
                                  "      note: y\n", "-", "source.errors[0].code", "unknown error code"),
    "stamp_of_unknown_zone_with_offset": ("  published_tz: Europe/Kyiv\n", "  published_tz: unknown\n", "-",
                                          "source.published", "carries an offset"),
    # issue 20: a claim's dates agree with each other and with its source's publication
    "night_after_publication": ("      night: 2025-03-19\n", "      night: 2025-03-21\n", "t-2", "count.night",
                                "after the latest possible publication of its own source"),
    "said_years_before_the_night": ('    said: "2025-03-19T09:15:00+02:00"\n', '    said: "2015-03-19T09:15:00+02:00"\n',
                                    "t-2", "count.night", "after the statement was made"),
    "unknown_window_id": ("      night: 2025-03-19\n", "      window_id: no_such_truce\n", "t-2", "count.window_id",
                          "unknown window_id 'no_such_truce'"),
    "window_id_of_several_definitions": ("      night: 2025-03-19\n", "      window_id: energy_moratorium_2025\n", "t-2",
                                         "count.window_id", "say which in count.definition"),
    "definition_without_window_id": ("      night: 2025-03-19\n", "      night: 2025-03-19\n      definition: x\n",
                                     "t-2", "count.definition", "give the window_id"),
    "unknown_zone_with_a_clock_time": ("    said_precision: minute\n", "    said_precision: minute\n    said_tz: unknown\n",
                                       "t-2", "said", "carries a time and offset"),
    "quote_too_long": ("    topic: energy_strikes\n", "    topic: energy_strikes\n    quote: " + "x" * 200 + "\n", "t-1",
                       "quote", "characters"),
}


def _write(folder: Path, text: str, name: str = "bad_doc.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_reads(tmp_path):
    _write(tmp_path, GOOD, "good_doc.yaml")
    table, [ledger] = claims.read_claims(tmp_path)
    validate(table, claims.SCHEMA, "claim_id")
    assert table["claimant"].tolist() == ["zelenskyy", "ru_mod"]  # sorted by said_from (day from 22:00 UTC)
    assert ledger.rows["raw_row"].tolist() == [8, 16]  # the claims' lines in the file


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_file_library_error(tmp_path, case):
    old, new, claim_id, field, fragment = BAD_CASES[case]
    assert old in GOOD
    _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(InputError) as info:
        claims.read_claims(tmp_path)
    message = str(info.value)
    assert "bad_doc.yaml:" in message and f"claim '{claim_id}'" in message and f"field '{field}'" in message
    assert fragment in message


TRUCE = """\
format: 1
source:
  title: A test wire report
  outlet: test
  published: 2025-04-21
  published_tz: Europe/Moscow
  published_precision: day
claims:
  - id: t-easter
    said: 2025-04-21
    said_tz: unknown
    said_precision: day
    claimant: ru_mod
    type: count
    subject_side: UA
    topic: ceasefire_terms
    count:
      number: "4,900"
      counted: violations
      metric: violations
      window_id: easter_truce_2025
"""


def test_window_id_links_a_claim_to_the_calendar_and_unknown_zone_spans_the_day(tmp_path):
    _write(tmp_path, TRUCE, "truce_doc.yaml")
    [row] = claims.read_claims(tmp_path)[0].to_dict("records")
    # "4,900 violations during the Easter truce": the calendar's [19 April 18:00, 21 April 00:00) MSK
    assert (row["count_window_id"], row["count_window_definition"]) == ("easter_truce_2025", "as_announced")
    assert row["window_start"] == pd.Timestamp("2025-04-19 18:00", tz="Europe/Moscow")
    assert row["window_end"] == pd.Timestamp("2025-04-21 00:00", tz="Europe/Moscow")
    assert row["count_metric"] == "violations" and row["value_stated"] == 4900
    # no clock time, no zone: the day read at every offset from UTC+14 to UTC-12, cut at publication
    assert row["said_tz"] == "unknown" and row["said_from"] == pd.Timestamp("2025-04-20 10:00", tz="UTC")
    assert row["said_to"] == row["source_published_to"] == pd.Timestamp("2025-04-21 21:00", tz="UTC")


def test_window_id_definition_is_chosen(tmp_path):
    text = TRUCE.replace("easter_truce_2025", "energy_moratorium_2025\n      definition: ua_stated").replace(
        "2025-04-21", "2025-04-18")
    _write(tmp_path, text, "truce_doc.yaml")
    [row] = claims.read_claims(tmp_path)[0].to_dict("records")
    assert row["count_window_definition"] == "ua_stated"
    assert row["window_start"] == pd.Timestamp("2025-03-25 01:00", tz="Europe/Moscow")


def test_duplicated_id_across_files(tmp_path):
    _write(tmp_path, GOOD, "a_doc.yaml")
    _write(tmp_path, GOOD, "b_doc.yaml")
    with pytest.raises(InputError, match=r"b_doc.yaml:\d+: claim 't-1': field 'id': duplicated id \(also in a_doc.yaml\)"):
        claims.read_claims(tmp_path)


def test_not_yaml(tmp_path):
    _write(tmp_path, "format: 1\nclaims: [unclosed\n")
    with pytest.raises(InputError, match="bad_doc.yaml.*not readable YAML"):
        claims.read_claims(tmp_path)


def test_yaml_tags_are_refused(tmp_path):
    _write(tmp_path, GOOD.replace("outlet: test", "outlet: !!python/object/apply:os.system ['true']"))
    with pytest.raises(InputError, match="not readable YAML"):
        claims.read_claims(tmp_path)


def _cli(args, env_extra):
    env = {**os.environ, "PYTHONPATH": str(SRC), **env_extra}
    return subprocess.run([sys.executable, "-m", "ceasefire_stats", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


@pytest.mark.parametrize("case", ["missing_field", "unknown_side", "unparseable_date", "duplicated_id",
                                  "qualifier_contradiction", "night_after_publication", "unknown_window_id"])
def test_bad_file_cli_exits_2_and_writes_nothing(tmp_path, case):
    old, new, claim_id, field, fragment = BAD_CASES[case]
    claims_dir, processed = tmp_path / "claims", tmp_path / "processed"
    _write(claims_dir, GOOD.replace(old, new, 1))
    processed.mkdir()
    (processed / "keep.txt").write_text("previous output\n")
    result = _cli(["build", "claims"], {"CEASEFIRE_STATS_CLAIMS_DIR": str(claims_dir),
                                        "CEASEFIRE_STATS_PROCESSED": str(processed)})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "bad_doc.yaml" in result.stderr and f"claim '{claim_id}'" in result.stderr
    assert f"field '{field}'" in result.stderr and fragment in result.stderr
    assert sorted(p.name for p in processed.iterdir()) == ["keep.txt"]


def test_cli_builds_good_file(tmp_path):
    claims_dir, processed = tmp_path / "claims", tmp_path / "processed"
    _write(claims_dir, GOOD, "good_doc.yaml")
    result = _cli(["build", "claims"], {"CEASEFIRE_STATS_CLAIMS_DIR": str(claims_dir),
                                        "CEASEFIRE_STATS_PROCESSED": str(processed)})
    assert result.returncode == 0, result.stderr
    assert "claims=2" in result.stdout and (processed / "claims.parquet").is_file()


# --- pipeline: load and freshness ----------------------------------------------------------------

def test_load_and_rebuild_on_edit(tmp_path, monkeypatch):
    claims_dir = tmp_path / "claims"
    path = _write(claims_dir, GOOD, "good_doc.yaml")
    monkeypatch.setenv("CEASEFIRE_STATS_CLAIMS_DIR", str(claims_dir))
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path / "processed"))
    import ceasefire_stats as cs

    assert len(cs.load("claims")) == 2
    step = pipeline.tables()["claims"]
    assert pipeline._is_current(step, pipeline.read_manifest())
    path.write_text(GOOD.replace("A test document", "A test document, corrected"), encoding="utf-8")
    assert not pipeline._is_current(step, pipeline.read_manifest())
    assert (cs.load("claims")["source_title"] == "A test document, corrected").all()


def test_nothing_prints_on_import():
    code = ("import ceasefire_stats.clean.claims, ceasefire_stats.analysis.claim_checks, ceasefire_stats.clean.claim_proposals, "
            "ceasefire_stats.plots.claims, ceasefire_stats.text.en_numerals")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ, "PYTHONPATH": str(SRC)})
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""


# --- hostile files: refused with file, line, claim id and field, never a traceback -------------

_ALIAS_BOMB = (
    "format: 1\n"
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
    + GOOD.split("\n", 1)[1]
)

HOSTILE_CASES = {
    # case: (file bytes, line, claim id, field, message fragment)
    "alias_bomb": (_ALIAS_BOMB.encode(), 2, "-", "a", "anchors (&name) and aliases (*name) are not allowed"),
    "alias_in_a_claim": (GOOD.replace("    topic: energy_strikes\n", "    topic: &t energy_strikes\n    notes: *t\n",
                                      1).encode(), 15, "t-1", "topic", "anchors (&name) and aliases (*name)"),
    "merge_key": (GOOD.replace("  - id: t-2\n", "  - <<: *x\n    id: t-2\n").encode(), 16, "t-2", "<<",
                  "anchors (&name) and aliases (*name)"),
    "latin1_byte": (GOOD.replace("A test document", "A t\xe9st").encode("latin-1"), 3, "-", "title",
                    "undecodable byte b'\\xe9' at byte offset 30 (the file is not UTF-8)"),
    "byte_in_a_claim": (GOOD.encode().replace(b"topic: energy_strikes", b"topic: energy\xff"), 15, "t-1", "topic",
                        "undecodable byte b'\\xff'"),
    "control_character": (GOOD.replace("A test document", "A test\x07document").encode(), 3, "-", "title",
                          "unacceptable character #x0007"),
    "deep_flow_nesting": (GOOD.replace("    topic: energy_strikes\n", "    topic: energy_strikes\n    notes: "
                                       + "[" * 10000 + "]" * 10000 + "\n", 1).encode(), 16, "t-1", "notes",
                          "nested deeper than 32 levels"),
    "deep_compact_sequences": (GOOD.replace("    topic: energy_strikes\n", "    topic: energy_strikes\n    notes:\n"
                                            "      " + "- " * 10000 + "x\n", 1).encode(), 17, "t-1", "notes",
                               "nested deeper than 32 levels"),
    "deep_block_mappings": ((GOOD + "".join(" " * i + f"k{i}:\n" for i in range(200))).encode(), 62, "-",
                            "k32", "nested deeper than 32 levels"),
    "list_as_id": (GOOD.replace("  - id: t-1\n", "  - id: [t-1, t-3]\n").encode(), 8, "-", "id",
                   "an id is one word such as t-1, not a list"),
    "mapping_as_id": (GOOD.replace("  - id: t-2\n", "  - id: {name: t-2}\n").encode(), 16, "-", "id",
                      "not a mapping"),
    "number_key": (GOOD.replace("    topic: energy_strikes\n", "    topic: energy_strikes\n    1: one\n", 1).encode(),
                   16, "t-1", "1", "field name '1' is not text"),
    "boolean_key": (GOOD.replace("    topic: energy_strikes\n", "    topic: energy_strikes\n    yes: one\n",
                                 1).encode(), 16, "t-1", "yes", "field name 'yes' is not text"),
    "list_key": (GOOD.replace("    topic: energy_strikes\n", "    topic: energy_strikes\n    ? [a, b]\n    : one\n",
                              1).encode(), 16, "t-1", "a sequence", "is not text"),
    "top_level_number_key": (GOOD.replace("format: 1\n", "format: 1\n2025: x\n").encode(), 2, "-", "2025",
                             "field name '2025' is not text"),
    "list_as_quote": (GOOD.replace("    topic: energy_strikes\n", "    topic: energy_strikes\n    quote: [a, b]\n",
                                   1).encode(), 8, "t-1", "quote", "expected a single value, not a list"),
    "list_as_number": (GOOD.replace("      number: more than 20\n", "      number: [20]\n").encode(), 16, "t-2",
                       "count.number", "expected a single value, not a list"),
    "mapping_as_title": (GOOD.replace("  title: A test document\n", "  title: {a: b}\n").encode(), 1, "-",
                         "source.title", "expected a single value, not a mapping"),
    "unknown_ua_region": (GOOD.replace("      night: 2025-03-19\n", "      night: 2025-03-19\n      regions: [UA-99]\n")
                          .encode(), 16, "t-2", "count.regions", "unknown region ids ['UA-99']"),
    "unknown_ru_region": (GOOD.replace("      night: 2025-03-19\n",
                                       "      night: 2025-03-19\n      regions: [RU-KRS, RU-XYZ]\n").encode(), 16,
                          "t-2", "count.regions", "unknown region ids ['RU-XYZ']"),
    "unknown_sea_and_sector": (GOOD.replace("      night: 2025-03-19\n", "      night: 2025-03-19\n"
                                            "      regions: [SEA-RED, UA-SECTOR-MIDDLE]\n").encode(), 16, "t-2",
                               "count.regions", "unknown region ids ['SEA-RED', 'UA-SECTOR-MIDDLE']"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_CASES))
def test_hostile_file_is_refused_naming_file_line_claim_and_field(tmp_path, case):
    content, line, claim_id, field, fragment = HOSTILE_CASES[case]
    (tmp_path / "bad_doc.yaml").write_bytes(content)
    with pytest.raises(InputError) as info:
        claims.read_claims(tmp_path)
    message = str(info.value)
    assert message.startswith(f"bad_doc.yaml:{line}: claim '{claim_id}': field '{field}': "), message
    assert fragment in message and "\n" not in message


def test_alias_bomb_is_refused_before_it_expands(tmp_path):
    import tracemalloc

    (tmp_path / "bomb.yaml").write_text(_ALIAS_BOMB, encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="anchors"):
            claims.read_claims(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # expanded, the bomb holds 9**9 strings


def test_known_regions_come_from_the_region_tables():
    from ceasefire_stats.clean import regions_ru, regions_ua

    assert set(regions_ua.OBLASTS) <= claims.KNOWN_REGIONS
    assert set(regions_ua.SECTORS.values()) <= claims.KNOWN_REGIONS
    assert set(regions_ru.REGIONS.index) <= claims.KNOWN_REGIONS
    assert {"UA-99", "RU-XYZ", "SEA-RED"}.isdisjoint(claims.KNOWN_REGIONS)


def test_every_region_of_the_seed_exists(seed):
    table, _ = seed
    named = {r for cell in table["count_regions"].dropna() for r in cell.split("|")}
    assert named and named <= claims.KNOWN_REGIONS


# --- the curated folder must exist and hold claim files ------------------------------------------


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda d: None, "does not exist"),  # a misspelt folder
        (lambda d: d.write_text("not a folder\n"), "does not exist"),  # a file, not a folder
        (lambda d: d.mkdir(), "holds no claim file"),  # empty
        (lambda d: (d.mkdir(), (d / "notes.txt").write_text("x\n")), "holds no claim file"),  # no *.yaml
        (lambda d: (d.mkdir(), (d / "sub.yaml").mkdir()), "holds no claim file"),  # a folder named *.yaml
    ],
    ids=["missing", "a-file", "empty", "only-other-files", "folder-named-yaml"],
)
def test_missing_or_empty_claims_folder_is_an_error(tmp_path, make, fragment):
    folder = tmp_path / "claimz"
    make(folder)
    with pytest.raises(InputError, match=f"curated claims folder {folder} {fragment}"):
        claims.read_claims(folder)


# --- the command line: exit 2, one line naming the file, outputs unchanged -----------------------


@pytest.mark.parametrize("case", ["alias_bomb", "latin1_byte", "deep_flow_nesting", "list_as_id", "number_key",
                                  "unknown_ua_region", "control_character"])
def test_cli_hostile_claims_exit_2_with_one_line(tmp_path, monkeypatch, capsys, case):
    from ceasefire_stats import cli

    content, line, claim_id, field, _ = HOSTILE_CASES[case]
    claims_dir, processed = tmp_path / "claims", tmp_path / "processed"
    claims_dir.mkdir()
    (claims_dir / "bad_doc.yaml").write_bytes(content)
    processed.mkdir()
    (processed / "keep.txt").write_text("previous output\n")
    monkeypatch.setenv("CEASEFIRE_STATS_CLAIMS_DIR", str(claims_dir))
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(processed))
    assert cli.main(["build", "claims"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"ceasefire-stats: error: bad_doc.yaml:{line}: claim '{claim_id}': field '{field}'")
    assert sorted(p.name for p in processed.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("make", [lambda d: None, lambda d: d.mkdir()], ids=["missing", "empty"])
def test_cli_missing_or_empty_claims_folder_exits_2(tmp_path, monkeypatch, capsys, make):
    from ceasefire_stats import cli

    folder, processed = tmp_path / "claimz", tmp_path / "processed"
    make(folder)
    monkeypatch.setenv("CEASEFIRE_STATS_CLAIMS_DIR", str(folder))
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(processed))
    assert cli.main(["build", "claims"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(folder) in err
    assert not (processed / "claims.parquet").exists()


def test_every_metric_says_what_it_can_be_checked_against():
    from ceasefire_stats import vocab

    assert tuple(vocab.CLAIM_METRICS) == claims.METRICS
    for metric in vocab.CLAIM_METRICS:  # a record to check it against, or the reason there is none
        assert (metric in vocab.METRIC_RECORDS) != (metric in vocab.METRIC_UNCHECKABLE), metric
    for records in vocab.METRIC_RECORDS.values():
        assert set(records) <= set(vocab.DIRECTIONS)
    assert {"violations", "attacks", "energy_strikes", "lost_from_radar", "killed", "injured"} <= set(claims.METRICS)
