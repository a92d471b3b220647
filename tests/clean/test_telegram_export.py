"""Telegram Desktop exports (result.json) as a version of the MoD posts source: texts written
by the tests (invented in the MoD's style), never third-party text."""

from __future__ import annotations

import csv
import json
import re

import pytest

from ceasefire_stats import cli
from ceasefire_stats.clean import mod_posts, telegram_export
from ceasefire_stats.core.errors import InputError
from ceasefire_stats.versions import registry as versions

LONG_LIST = ", ".join([
    "девять – над территорией Брянской области", "восемь – над территорией Курской области",
    "семь – над территорией Белгородской области", "шесть – над территорией Орловской области",
    "пять – над территорией Смоленской области", "четыре – над территорией Калужской области",
    "три – над территорией Тульской области", "два – над территорией Липецкой области",
    "один – над территорией Воронежской области"])
TEXT_LONG = ("В течение прошедшей ночи дежурными средствами противовоздушной обороны перехвачены и уничтожены "
             f"45 украинских беспилотных летательных аппаратов самолетного типа: {LONG_LIST}.")
TEXT_SHORT = "Около 16.00 мск дежурными средствами ПВО уничтожен украинский беспилотный летательный аппарат над территорией Курской области."


def export(messages: list[dict], **header) -> dict:
    """An export of the MoD's channel (its title and type; the id is invented) holding ``messages``."""
    return {"name": "Минобороны России", "type": "public_channel", "id": 1, **header, "messages": messages}


def message(mid: int, unixtime: int, text, **extra) -> dict:
    return {"id": mid, "type": "message", "date": "2025-05-01T07:10:00", "date_unixtime": str(unixtime),
            "from": "test", "from_id": "channel1", "text": text,
            "text_entities": [], **extra}


def as_entities(text: str) -> list:
    """The same text as Telegram writes it with formatting: strings and entity objects."""
    head, number, tail = text.partition("45")
    return [head, {"type": "bold", "text": number}, tail[:20],
            {"type": "text_link", "text": tail[20:40], "href": "https://t.me/x/1"}, tail[40:]]


MESSAGES = [
    {"id": 1, "type": "service", "date": "2025-04-30T10:00:00", "date_unixtime": "1746007200", "actor": "x",
     "action": "pin_message", "text": "", "text_entities": []},
    message(2, 1746072600, TEXT_LONG.replace(": ", ":\n", 1)),                  # 2025-05-01 04:10 UTC
    message(3, 1746110400, as_entities(TEXT_LONG)),                                # list with bold and link
    message(4, 1746113000, TEXT_SHORT, edited="2025-05-01T18:00:00", edited_unixtime="1746115200"),
    message(5, 1746114000, "", photo="photos/photo_1.jpg"),                        # media only
]


@pytest.fixture
def result_json(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export(MESSAGES), ensure_ascii=False), encoding="utf-8")
    return path


def test_an_export_reads_into_the_scrape_columns(result_json):
    raw = telegram_export.read_export(result_json)
    assert raw["raw_row"].tolist() == [2, 3, 4, 5]  # message ids; the service message is skipped
    assert raw["datetime"].tolist()[:2] == ["2025-05-01 04:10", "2025-05-01 14:40"]
    assert raw["text_snippet"].iloc[0] == TEXT_LONG.replace(": ", ": ", 1)  # line break -> space
    assert raw["text_snippet"].iloc[1] == TEXT_LONG  # entities joined
    assert len(TEXT_LONG) > 400


def test_parsed_totals_equal_those_of_the_same_texts_in_the_csv_form(result_json, tmp_path):
    posts, regions, ledger = mod_posts.tables(mod_posts.read_raw(result_json), mod_posts.truncation(result_json))
    ledger.check()
    csv_path = tmp_path / "posts.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(mod_posts.RAW_COLUMNS)
        for _mid, minute, text in [(2, "2025-05-01 04:10", TEXT_LONG), (3, "2025-05-01 14:40", TEXT_LONG),
                                  (4, "2025-05-01 15:23", TEXT_SHORT)]:
            writer.writerow([minute[:10], minute, "0", "", text])
    csv_posts, csv_regions, _ = mod_posts.tables(mod_posts.read_raw(csv_path), None)
    assert posts["drones_destroyed"].tolist() == csv_posts["drones_destroyed"].tolist() == [45, 45, 1]
    assert posts["breakdown_status"].tolist()[:2] == ["complete", "complete"]
    assert not posts["truncated"].any()
    assert regions.groupby("post_id")["drones_destroyed"].sum().tolist() == [45, 45, 1]
    assert ledger.rejects[["raw_row", "reason"]].values.tolist() == [[5, "empty_text"]]


def test_the_scraped_csv_cut_at_400_characters_would_be_incomplete(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("date,datetime,drone_count,oblasts,text_snippet\n"
                    f'2025-05-01,2025-05-01 04:10,9,,"{TEXT_LONG[:400]}"\n', encoding="utf-8")
    posts, _, _ = mod_posts.tables(mod_posts.read_raw(path))
    assert posts["truncated"].tolist() == [True]
    assert posts["breakdown_status"].tolist() == ["incomplete"]


def test_an_export_is_added_as_a_version_and_builds_mod_posts(result_json, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CEASEFIRE_STATS_VERSIONS", str(tmp_path / "versions.toml"))
    monkeypatch.setenv("CEASEFIRE_STATS_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path / "processed"))
    assert cli.main(["add", "mod_posts", str(result_json), "--label", "export-2025-05"]) == 0
    version = versions.get_version("mod_posts", "export-2025-05")
    assert (version.form, version.coverage_start, version.coverage_end) == ("telegram_export", "2025-05-01", "2025-05-01")
    assert version.added == "2025-05-01"
    assert cli.main(["build", "mod", "--version", "mod_posts=export-2025-05"]) == 0
    from ceasefire_stats import pipeline

    posts = pipeline.load("mod_posts", versions={"mod_posts": "export-2025-05"})
    assert posts["drones_destroyed"].tolist() == [45, 45, 1]


@pytest.mark.parametrize(("doc", "match"), [
    ({"messages": [{"id": 1, "type": "message", "date_unixtime": "1", "text": {"a": 1}}]}, "neither a string nor a list"),
    ({"messages": [{"id": "x", "type": "message", "text": ""}]}, "id is not an integer"),
    ({"messages": [message(10 ** 20, 1, "a")]}, r"message 1 \(id 100000000000000000000\): id is not an integer from 1"),
    ({"messages": [message(-3, 1, "a")]}, r"message 1 \(id -3\): id is not an integer from 1 to 2\*\*63-1"),
    ({"messages": [message(0, 1, "a")]}, "id is not an integer from 1"),
    ({"messages": [{"id": 1, "type": "poll", "text": ""}]}, "unknown type 'poll'"),
    ({"messages": [message(1, 1, "a"), message(1, 2, "b")]}, "message id 1 appears twice"),
    ({"messages": []}, "holds no messages"),
])
def test_messages_of_another_shape_are_refused(tmp_path, doc, match):
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export(doc["messages"])))
    with pytest.raises(InputError, match=match):
        telegram_export.read_export(path)


def test_a_bad_unixtime_leaves_the_post_to_the_cleaner(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export([message(7, 0, TEXT_SHORT) | {"date_unixtime": "soon"}])))
    posts, _, ledger = mod_posts.tables(mod_posts.read_raw(path), None)
    assert posts.empty and ledger.rejects["reason"].tolist() == ["bad_datetime"]


def test_a_csv_is_not_taken_for_an_export(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("date,datetime,drone_count,oblasts,text_snippet\n")
    assert not telegram_export.is_export(path)


# --- an export of another chat is not a version of the MoD posts ---------------------------

@pytest.mark.parametrize(("header", "messages", "match"), [
    ({"name": "Другой канал", "id": 77}, None, "an export of another channel ('Другой канал', id 77): the MoD posts "
     "are those of the MoD's channel @mod_russia (Минобороны России); export that channel"),
    ({"name": "Ministry of Defence of the Russian Federation"}, None, "an export of another channel"),
    ({"name": None}, None, "an export of another channel (None"),
    ({"type": "public_supergroup"}, None, "not an export of a channel (type 'public_supergroup'"),
    ({"type": "personal_chat", "name": "Минобороны России"}, None, "not an export of a channel (type 'personal_chat'"),
    ({"id": "1"}, None, "channel id '1' is not an integer"),
    ({}, [message(2, 1746072600, TEXT_SHORT) | {"from_id": "channel99"}],
     "message 1 (id 2) was posted by 'channel99', not by the exported channel (channel1)"),
])
def test_an_export_of_another_chat_is_refused_naming_it(tmp_path, capsys, monkeypatch, header, messages, match):
    doc = export(messages or MESSAGES[1:], **header)
    if "type" in header and header["type"] is None:
        del doc["type"]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(match)):
        telegram_export.read_export(path)
    monkeypatch.setenv("CEASEFIRE_STATS_VERSIONS", str(tmp_path / "project" / "versions.toml"))
    monkeypatch.setenv("CEASEFIRE_STATS_RAW_DIR", str(tmp_path / "raw"))
    assert cli.main(["add", "mod_posts", str(path), "--label", "other"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and match in err, err
    assert not (tmp_path / "project").exists() and not (tmp_path / "raw").exists()


def test_the_channel_title_is_compared_without_case_or_extra_spaces(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export(MESSAGES[1:], name="  минобороны   РОССИИ "), ensure_ascii=False))
    assert telegram_export.read_export(path)["raw_row"].tolist() == [2, 3, 4, 5]


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("text", [
    DEEP,
    json.dumps(export([message(2, 1746072600, "TEXT")]), ensure_ascii=False).replace('"TEXT"', DEEP),
])
def test_json_nested_100000_deep_is_an_input_error_not_a_recursion_error(tmp_path, capsys, text):
    path = tmp_path / "result.json"
    path.write_text(text)
    with pytest.raises(InputError, match="^result.json: not a Telegram export: JSON nested too deeply to be one$"):
        telegram_export.read_export(path)
    assert cli.main(["add", "mod_posts", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == "ceasefire-stats: error: result.json: not a Telegram export: JSON nested too deeply to be one\n"
