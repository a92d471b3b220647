"""`ceasefire-stats export`: the tables as files another tool reads, with their dictionary,
the licence and credit of their sources and a Frictionless descriptor; a bad folder is
refused before anything is written, and an earlier export is replaced whole or not at all."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from frictionless import validate

from ceasefire_stats import cli, pipeline
from ceasefire_stats.core import fields, sources
from ceasefire_stats.reports import export

SMALL = ["claims", "ceasefire_windows"]  # small tables: the export's behaviour, not its speed


@pytest.fixture(scope="module")
def csv_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports") / "csv"
    assert cli.main(["export", *SMALL, "strikes", "--format", "csv", "--out", str(out)]) == 0
    return out


def test_the_csv_export_is_a_valid_data_package_other_tools_read(csv_export):
    report = validate(str(csv_export / "datapackage.json"))  # the descriptor and every row against it
    assert report.valid, report.flatten(["title", "note"])[:5]
    package = json.loads((csv_export / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == ["claims.csv", "ceasefire_windows.csv", "strikes.csv"]
    for name in [*SMALL, "strikes"]:
        table = pipeline.load(name)
        back = pd.read_csv(csv_export / f"{name}.csv", dtype="str", keep_default_na=False)
        assert list(back.columns) == list(table.columns) and len(back) == len(table)
        assert (back.eq("") == table.isna().to_numpy()).all().all(), f"{name}: missing cells differ"


def test_timestamps_keep_their_offset_and_dates_are_dates(csv_export):
    strikes = pd.read_csv(csv_export / "strikes.csv", dtype="str", keep_default_na=False)
    table = pipeline.load("strikes")
    assert strikes.window_start.iloc[0] == table.window_start.iloc[0].isoformat()  # +02:00 / +03:00, Kyiv
    assert strikes.window_start.str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$").all()
    assert strikes.attribution_date.str.match(r"^\d{4}-\d\d-\d\d$").all()


def test_the_dictionary_comes_from_the_field_definitions_and_the_tables_real_dtypes(csv_export):
    dictionary = pd.read_csv(csv_export / "data_dictionary.csv", dtype="str", keep_default_na=False)
    for name in [*SMALL, "strikes"]:
        table = pipeline.load(name)
        rows = dictionary[dictionary.table == name]
        assert rows.column.tolist() == list(table.columns)
        assert rows.dtype.tolist() == [str(t) for t in table.dtypes]
        for row in rows.itertuples():
            if row.column in fields.FIELDS:
                assert row.description == fields.FIELDS[row.column].description
                assert row.unit == fields.FIELDS[row.column].unit
    strikes = dictionary[dictionary.table == "strikes"]
    assert set(strikes.claimant) == {"ua_air_force"} and set(strikes.direction) == {"ru_to_ua"}


def test_each_table_credits_the_licence_and_citation_of_every_source_it_rests_on(csv_export):
    credits = pd.read_csv(csv_export / "sources.csv", dtype="str", keep_default_na=False)
    strikes = credits[credits.table == "strikes"].set_index("input")
    assert list(strikes.index) == ["airforce_strikes", "weapons"]
    for name in strikes.index:
        source = sources.get_source(name)
        assert (strikes.loc[name, "licence"], strikes.loc[name, "citation"]) == (source.licence, source.citation)
        assert source.attribution in (csv_export / "README.md").read_text(encoding="utf-8")
    assert credits[credits.table == "claims"].input.tolist() == ["calendar", "claims"]  # curated folders, this project's
    package = json.loads((csv_export / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["title"] == "strikes")
    assert resource["licenses"][0]["name"] == "CC-BY-NC-SA-4.0"
    assert {s["title"] for s in resource["sources"]} == {sources.get_source(n).attribution for n in strikes.index}


def test_a_table_of_claims_from_other_tables_credits_their_sources_too():
    assert export.inputs("claim_checks") == [("airforce_strikes", "registry"), ("mod_posts", "registry"),
                                              ("weapons", "registry"), ("calendar", "curated"), ("claims", "curated")]


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_parquet_keeps_every_dtype_and_excel_every_row(tmp_path, fmt):
    assert cli.main(["export", "claims", "--format", fmt, "--out", str(tmp_path / fmt)]) == 0
    table = pipeline.load("claims")
    if fmt == "parquet":
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / fmt / "claims.parquet"), table)
    else:
        back = pd.read_excel(tmp_path / fmt / "claims.xlsx", dtype="str")
        assert list(back.columns) == list(table.columns) and len(back) == len(table)
        assert back.said_from.dropna().iloc[0] == table.said_from.dropna().iloc[0].isoformat()
    assert json.loads((tmp_path / fmt / "datapackage.json").read_text())["resources"][0]["path"] == f"claims.{fmt}"


def test_a_file_or_a_foreign_folder_as_out_is_refused_in_one_line_before_any_work(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pipeline, "load", lambda *a, **k: pytest.fail("loaded a table before checking --out"))
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    assert cli.main(["export", "claims", "--out", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "notes.txt: it is a file, not a folder" in err
    assert a_file.read_text() == "mine"
    foreign = tmp_path / "papers"
    foreign.mkdir()
    (foreign / "draft.tex").write_text("mine")
    assert cli.main(["export", "claims", "--out", str(foreign)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds other files (no datapackage.json)" in err
    assert [p.name for p in foreign.iterdir()] == ["draft.tex"]
    assert cli.main(["export", "no_such_table", "--out", str(tmp_path / "new")]) == 2
    assert "unknown table no_such_table; known: strikes" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def test_an_export_that_fails_leaves_the_earlier_export_whole(tmp_path, monkeypatch, capsys):
    out = tmp_path / "export"
    assert cli.main(["export", "ceasefire_windows", "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full_disk(frame, path, fmt):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_write", full_disk)
    assert cli.main(["export", "claims", "--out", str(out)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]  # no staging folder left behind
    monkeypatch.undo()
    assert cli.main(["export", "claims", "--out", str(out)]) == 0  # an earlier export is replaced whole
    assert "ceasefire_windows.csv" not in {p.name for p in out.iterdir()} and (out / "claims.csv").is_file()


def test_the_regions_of_a_report_say_whose_counts_they_are_as_the_report_does(tmp_path):
    export.export(["strike_regions", "mod_post_regions", "truce_effects"], "csv", tmp_path / "x")
    dictionary = pd.read_csv(tmp_path / "x" / "data_dictionary.csv", dtype="str", keep_default_na=False)
    whose = dictionary.groupby("table")[["claimant", "direction"]].first()
    assert tuple(whose.loc["strike_regions"]) == ("ua_air_force (as strikes)", "ru_to_ua (as strikes)")
    assert tuple(whose.loc["mod_post_regions"]) == ("ru_mod (as mod_posts)", "ua_to_ru (as mod_posts)")
    # two series, never mixed: each claimant with its own direction
    assert whose.loc["truce_effects", "claimant"] == "per row: ru_mod (ua_to_ru), ua_air_force (ru_to_ua)"
