"""The one raw-CSV reader every cleaner uses: text cells, line numbers, named errors."""

from __future__ import annotations

import pytest

from ceasefire_stats.core.errors import InputError
from ceasefire_stats.core.rawcsv import read_csv_text


def _write(tmp_path, content: bytes, name: str = "posts.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_cells_stay_text_and_raw_row_is_the_records_first_line(tmp_path):
    path = _write(tmp_path, b'id,text\n007,"first line\nsecond line"\n8,NaN\n')
    frame = read_csv_text(path, ["id", "text"])
    assert frame["id"].tolist() == ["007", "8"]  # no number conversion
    assert frame["text"].tolist()[1] == "NaN"  # no NaN guessing
    assert frame["raw_row"].tolist() == [2, 4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "posts.csv: the file is empty"),
        (b"id,text\n1,ok\n2,caf\xe9\n", "posts.csv: row 3, column 'text': undecodable byte"),
        (b'id,text\n1,"never closed\n', "posts.csv: not a well-formed CSV file"),
        (b"id\n1\n", r"row 1 \(header\): missing columns \['text'\]"),
        (b"id,text,extra\n1,a,b\n", r"unexpected columns \['extra'\]"),
        (b"id,text\n", "posts.csv: the file has a header but no data rows"),
    ],
)
def test_each_unreadable_file_is_named_with_row_and_column(tmp_path, content, message):
    with pytest.raises(InputError, match=message):
        read_csv_text(_write(tmp_path, content), ["id", "text"])


def test_a_cell_holding_code_is_just_text(tmp_path):
    path = _write(tmp_path, b"id,text\n1,\"__import__('os').system('false')\"\n")
    assert read_csv_text(path, ["id", "text"])["text"].iloc[0] == "__import__('os').system('false')"
