"""The check of a candidate version file (``ceasefire-stats add``): the source's own reader
refuses what the build could not read, with one line naming what is wrong, and nothing is
written."""

from __future__ import annotations

import pytest

from tests.versions.test_registry import refused, strikes_csv, write


def test_an_unknown_schema_is_refused_listing_the_differing_columns(project, capsys):
    text = strikes_csv(("2026-08-01", "Kalibr", "3.0")).replace("is_shahed", "shahed_share", 1)
    file = write(project, "odd.csv", text)
    refused(project, ["add", "airforce_strikes", str(file)], capsys,
            "missing columns ['is_shahed'], unexpected columns ['shahed_share']")


@pytest.mark.parametrize(("name", "content", "match"), [
    ("result.json", b"this is not json", "not JSON (Expecting value at line 1, column 1)"),
    ("result.json", b'{"chats": {"list": []}}', "expected an object with a 'messages' list, found an object with keys ['chats']"),
    ("result.json", b"[1, 2]", "found a JSON list"),
    ("result.json", '{"name": "Минобороны России", "type": "public_channel", "id": 1, "messages": [{"id": 1, '
     '"type": "message", "text": 5}]}'.encode(), "text is neither a string nor a list"),
    ("result.json", b'{"name": "x", "type": "public_channel", "id": 1, "messages": []}', "an export of another channel"),
    ("posts.csv", b"date,text\n2025-01-01,x\n", "missing columns ['datetime', 'drone_count', 'oblasts', 'text_snippet']"),
])
def test_bad_mod_post_files_are_refused(project, capsys, name, content, match):
    refused(project, ["add", "mod_posts", str(write(project, name, content))], capsys, match)
