"""The one raw-CSV reader every cleaner uses: text cells, line numbers, named errors."""

from __future__ import annotations

import io
import re

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire_stats.core import rawcsv
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


# --- raw_row is the physical line where each record starts --------------------------------


@pytest.fixture(params=[1 << 24, 5, 1], ids=["one-block", "5-byte-blocks", "1-byte-blocks"])
def block(request, monkeypatch):
    """Run a test with the scan's usual block size and with tiny blocks, so that quotes, \\r\\n
    pairs and multi-byte characters are cut at block edges."""
    monkeypatch.setattr(rawcsv, "_BLOCK", request.param)
    return request.param


@pytest.mark.parametrize(
    ("content", "ids", "rows"),
    [
        (b"id,text\n1,a\n\n2,b\n3,c\n", ["1", "2", "3"], [2, 4, 5]),  # one blank line in the middle
        (b"id,text\n1,a\n\n\n\n2,b\n\n3,c\n", ["1", "2", "3"], [2, 6, 8]),  # several
        (b"id,text\n1,a\n2,b\n\n\n", ["1", "2"], [2, 3]),  # trailing blank lines
        (b"id,text\n1,a\n2,b", ["1", "2"], [2, 3]),  # no final line end
        (b"\n\nid,text\n1,a\n", ["1"], [4]),  # blank lines before the header
        (b"id,text\n1,a\n   \n\t\n2,b\n", ["1", "2"], [2, 5]),  # lines of spaces and tabs are blank
        (b'id,text\n1,"x\n\ny"\n\n2,"p\nq"\n3,c\n', ["1", "2", "3"], [2, 6, 8]),  # blank inside and between
        (b'id,text\n1,"a\n\n\nb"\n\n\n2,b\n', ["1", "2"], [2, 8]),
        (b"id,text\r\n1,a\r\n\r\n2,b\r\n\r\n", ["1", "2"], [2, 4]),  # CRLF
        (b'id,text\r\n1,"x\r\ny"\r\n\r\n2,b\r\n', ["1", "2"], [2, 5]),  # CRLF inside a quoted cell
        (b"id,text\r1,a\r\r2,b\r", ["1", "2"], [2, 4]),  # CR only (old Mac line ends)
        (b'id,text\r1,"x\ry"\r2,b\r', ["1", "2"], [2, 4]),
        (b'\xef\xbb\xbf"id",text\n1,a\n\n2,b\n', ["1", "2"], [2, 4]),  # byte order mark, quoted header
        (b'id,text\n1,"say ""hi""\nthen"\n\n2,b\n', ["1", "2"], [2, 5]),  # doubled quotes
        (b'id,text\n1,5" screen\n\n2,"x\ny"\n3,c\n', ["1", "2", "3"], [2, 4, 6]),  # a quote inside a cell
        ("id,text\n1,ч\n\n2,щ\n".encode(), ["1", "2"], [2, 4]),  # multi-byte characters
    ],
)
def test_raw_row_is_the_physical_line(tmp_path, block, content, ids, rows):
    frame = read_csv_text(_write(tmp_path, content), ["id", "text"])
    assert frame["id"].tolist() == ids
    assert frame["raw_row"].tolist() == rows


def test_cells_of_a_cr_only_file_are_read_like_lf(tmp_path):
    lf = read_csv_text(_write(tmp_path, b'id,text\n1,"a\nb"\n2,c\n', "lf.csv"), ["id", "text"])
    cr = read_csv_text(_write(tmp_path, b'id,text\r1,"a\rb"\r2,c\r', "cr.csv"), ["id", "text"])
    assert cr["id"].tolist() == lf["id"].tolist() and cr["raw_row"].tolist() == lf["raw_row"].tolist()
    assert cr["text"].tolist() == ["a\rb", "c"]


# --- every record has the header's field count --------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,text\n1,a,\n2,b,\n3,c,\n",
         r"posts.csv: not a well-formed CSV file: row 2 has 3 fields, the header \(row 1\) has 2 "
         r"\(a trailing delimiter\?; every data row has 3\)"),
        (b"id,text\r\n1,a,\r\n2,b,\r\n", r"row 2 has 3 fields.*every data row has 3"),  # CRLF
        (b"id,text\r1,a,\r2,b,\r", r"row 2 has 3 fields.*every data row has 3"),  # CR only
        (b"id,text\n1,a\n\n2,b,\n3,c\n", r"row 4 has 3 fields, the header \(row 1\) has 2 "
         r"\(a trailing delimiter\?; 1 of 3 data rows differ\)"),  # on one row, after a blank line
        (b'id,text\n1,"x\ny"\n2,b,c,d\n3,c\n', r"row 4 has 4 fields.*unquoted comma"),  # extra field mid-file
        (b"id,text\n1,a\n2\n3,c\n", r"row 3 has 1 fields, the header \(row 1\) has 2 \(a field is missing"),
        (b'id,text\n1,5" x,y\n', r"row 2 has 3 fields"),  # the slow path for quotes inside cells
    ],
)
def test_a_record_with_another_field_count_is_refused_with_its_row(tmp_path, block, content, message):
    with pytest.raises(InputError, match=message):
        read_csv_text(_write(tmp_path, content), ["id", "text"])


def test_trailing_delimiter_on_the_header_too_is_named(tmp_path):
    with pytest.raises(InputError, match=r"row 1 \(header\): missing columns \[\], unexpected columns \['Unnamed: 2'\]"):
        read_csv_text(_write(tmp_path, b"id,text,\n1,a,\n"), ["id", "text"])


# --- a quote left open is named at the line where it opens --------------------------------


@pytest.mark.parametrize(
    ("content", "row"),
    [
        (b'id,text\n1,"never closed\n2,b\n3,c\n', 2),
        (b'id,text\n1,a\n\n2,"x\ny"\n3,"open\n4,d\n', 6),  # after a blank line and a multi-line cell
        (b'id,text\r\n1,a\r\n2,"open\r\n3,c\r\n', 3),  # CRLF
        (b'id,text\r1,a\r2,"open\r', 3),  # CR only
        (b'id,text\n1,a\n2,b\n3,"', 4),  # the very last byte
        (b'id,text\n1,5" x\n2,b\n3,"open\n4,d\n', 4),  # the slow path
    ],
)
def test_open_quote_is_named_at_its_row_in_our_words(tmp_path, block, content, row):
    with pytest.raises(InputError) as info:
        read_csv_text(_write(tmp_path, content), ["id", "text"])
    message = str(info.value)
    assert message.startswith(f"posts.csv: not a well-formed CSV file: row {row}: a quoted cell opens here "
                              "and is never closed")
    assert "EOF" not in message and "C error" not in message and "\n" not in message


def test_text_after_a_closing_quote_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"posts.csv: not a well-formed CSV file: row 3: text follows a closing quote"):
        read_csv_text(_write(tmp_path, b'id,text\n1,a\n2,"x"y\n'), ["id", "text"])


# --- undecodable bytes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "row", "column", "offset"),
    [
        (b"id,text\n1,ok\n\n2,caf\xe9\n", 4, "text", 19),  # after a blank line
        (b"id,text\r\n1,ok\r\n2,caf\xe9\r\n", 3, "text", 20),  # CRLF
        (b"id,text\r1,ok\r2\xff,x\r", 3, "id", 14),  # CR only
        ("id,text\n1,ч\n2,ч".encode() + b"\xd1", 3, "text", 17),  # a character cut at the end
    ],
)
def test_undecodable_byte_names_row_column_and_offset(tmp_path, block, content, row, column, offset):
    with pytest.raises(InputError, match=rf"posts.csv: row {row}, column '{column}': undecodable byte "
                       rf".* at byte offset {offset} \(the file is not UTF-8\)"):
        read_csv_text(_write(tmp_path, content), ["id", "text"])


def test_scan_agrees_with_pandas_on_a_file_of_every_kind_of_record(tmp_path, block):
    lines = ["id,text", "1,plain", "", '2,"multi', 'line"', "3,\"quoted, comma\"", "   ", '4,"a ""b"""', "5,"]
    frame = read_csv_text(_write(tmp_path, "\r\n".join(lines).encode()), ["id", "text"])
    assert frame["id"].tolist() == ["1", "2", "3", "4", "5"]
    assert frame["text"].tolist() == ["plain", "multi\r\nline", "quoted, comma", 'a "b"', ""]
    assert frame["raw_row"].tolist() == [2, 4, 6, 8, 9]


# --- the command line: exit 2 and one line naming the file ---------------------------------


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"id,text\n1,a,\n2,b,\n", "posts.csv: not a well-formed CSV file: row 2 has 3 fields"),
        (b'id,text\n1,a\n\n2,"open\n3,c\n', "posts.csv: not a well-formed CSV file: row 4: a quoted cell opens here"),
        (b"id,text\r1,a\r2,caf\xe9\r", "posts.csv: row 3, column 'text': undecodable byte"),
        (b"id,text\r1,a,\r", "posts.csv: not a well-formed CSV file: row 2 has 3 fields"),
    ],
    ids=["trailing-delimiter", "open-quote", "cr-only-bad-byte", "cr-only-trailing-delimiter"],
)
def test_cli_bad_raw_csv_exits_2_with_one_line(tmp_path, monkeypatch, capsys, content, fragment):
    """A cleaner reading a bad raw file inside ``build``: exit 2, one line, no traceback."""
    from ceasefire_stats import cli, pipeline

    path = _write(tmp_path, content)
    monkeypatch.setattr(pipeline, "build", lambda steps=None, **options: read_csv_text(path, ["id", "text"]))
    assert cli.main(["build"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ceasefire-stats: error: {fragment}") and err.count("\n") == 1


# --- Arrow reads the cells, pandas is the reference -----------------------------------------


def _pandas(raw: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(raw), dtype="str", keep_default_na=False, na_filter=False, index_col=False,
                       encoding="utf-8")


def _arrow_frame(raw: bytes, records: rawcsv.Records) -> pd.DataFrame | None:
    """What Arrow reads of ``raw``, where read_csv_text would keep it (else None)."""
    names = rawcsv._arrow_names(raw, records)
    frame = None if names is None else rawcsv._read_arrow(pa.BufferReader(raw), names)
    return frame if frame is not None and len(frame) == len(records.lines) - 1 else None


_PIECES = [b"a", b"bc", "ч".encode(), b" ", b"\t", b",", b'"', b'""', b"\n", b"\r", b"\r\n", b"\x00", b"\xe9"]
_HEADERS = [b"id,text\n", b'"id",text\r\n', b"\xef\xbb\xbfid\n", b"id,id\n", b"id,,x\n", b"\n\nid,text\r"]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_HEADERS), st.lists(st.sampled_from(_PIECES), max_size=40))
def test_arrow_reads_every_file_it_accepts_as_pandas_does(header, pieces):
    raw = header + b"".join(pieces)
    try:
        records = rawcsv.scan(raw)
    except InputError:
        return
    frame = _arrow_frame(raw, records)
    if frame is not None:  # Arrow read it: pandas reads the same cells, dtypes and names
        pd.testing.assert_frame_equal(frame, _pandas(raw), check_column_type=True, check_index_type=True)


_PLAIN = st.text(st.sampled_from(["a", "7", " ", "\t", "ч", "é", "'", "N", "A"]), max_size=4)
_QUOTED = st.text(st.sampled_from(["a", ",", '"', "\n", "\r", " ", "ч"]), max_size=5).map(
    lambda t: '"' + t.replace('"', '""') + '"')
_END = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def _well_formed(draw) -> bytes:
    """A file of two columns: plain or quoted cells, any line end, blank lines (empty or of spaces)."""
    end = draw(_END)
    lines = [draw(st.sampled_from(["id,text", '"id","text"', "\ufeffid,text"]))]
    for _ in range(draw(st.integers(0, 6))):
        lines.append(draw(_PLAIN | _QUOTED) + "," + draw(_PLAIN | _QUOTED))
        lines += draw(st.lists(st.sampled_from(["", " ", "\t"]), max_size=1))
    return (end.join(lines) + draw(st.sampled_from(["", end]))).encode()


@settings(max_examples=500, deadline=None)
@given(_well_formed())
def test_arrow_reads_well_formed_files_as_pandas_does(raw):
    records = rawcsv.scan(raw)
    frame = _arrow_frame(raw, records)
    if frame is not None:
        pd.testing.assert_frame_equal(frame, _pandas(raw), check_column_type=True, check_index_type=True)
    else:  # only a file with lone \r line ends, a blank line of spaces or tabs, or no data rows goes to pandas
        assert not records.regular or len(records.lines) == 1 or any(line in (b" ", b"\t") for line in re.split(rb"\r\n|\r|\n", raw))


@pytest.mark.parametrize("content", [
    b'id,text\n1,"x\n\ny"\n\n2,"p\nq"\n3,c\n', b'id,text\r\n1,"x\ry"\r\n2,b\r\n', b'\xef\xbb\xbf"id",text\n1,a\n\n2,b\n',
    b'id,text\n1,"say ""hi""\nthen"\n\n2,b\n', b'id,text\n1,""\n2,\n', b"id,text\n1,NaN\n2,None\n3,null\n",
])
def test_arrow_path_is_taken_and_equals_pandas(tmp_path, content):
    records = rawcsv.scan(content)
    frame = _arrow_frame(content, records)
    assert frame is not None
    pd.testing.assert_frame_equal(frame, _pandas(content), check_column_type=True)
    assert read_csv_text(_write(tmp_path, content), ["id", "text"]).drop(columns="raw_row").equals(frame)


@pytest.mark.parametrize("content", [
    b"id,text\n1,a\n   \n2,b\n",  # a blank line of spaces: pandas skips it
    b"id\n1\n \n2\n",  # the same in one column (Arrow would read a row ' ')
    b'id,text\n1,5" screen\n',  # a quote inside an unquoted cell
    b"id,text\r\r,a\r",  # lone \r line ends (pandas reads this record as 'a', '')
    b"id,id\n1,2\n", b"id,\n1,2\n",  # names pandas renames
    b"id,text\n1,a\x00b\n",
])
def test_files_arrow_could_read_otherwise_go_to_pandas(tmp_path, content):
    assert _arrow_frame(content, rawcsv.scan(content)) is None


def test_the_real_raw_files_read_by_arrow_equal_pandas(raw_file):
    for name in ("mod_posts", "airforce_strikes", "weapons"):
        raw = raw_file(name).read_bytes()
        frame = _arrow_frame(raw, rawcsv.scan(raw))
        assert frame is not None, name
        pd.testing.assert_frame_equal(frame, _pandas(raw), check_column_type=True)


def test_columns_read_in_many_blocks_come_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(rawcsv, "_ARROW_BLOCK", 64)
    content = b"id,text\n" + b"".join(b'%d,"line %d\nof text"\n' % (i, i) for i in range(200))
    frame = read_csv_text(_write(tmp_path, content), ["id", "text"])
    assert [frame[c].array._pa_array.num_chunks for c in ("id", "text")] == [1, 1]
    pd.testing.assert_frame_equal(frame.drop(columns="raw_row"), _pandas(content), check_column_type=True)
    assert frame["raw_row"].tolist() == list(range(2, 402, 2))


def test_a_column_of_empty_cells_read_in_many_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(rawcsv, "_ARROW_BLOCK", 16)
    monkeypatch.setattr(rawcsv, "_RELEASE_EVERY", 2)
    content = b"id,text\n" + b"".join(b"%d,\n" % i for i in range(50))
    frame = read_csv_text(_write(tmp_path, content), ["id", "text"])
    assert frame["text"].tolist() == [""] * 50 and frame["id"].tolist() == [str(i) for i in range(50)]


def test_a_file_that_changes_while_it_is_read_is_read_again(tmp_path, monkeypatch):
    path = _write(tmp_path, b"id,text\n1,a\n2,b\n")
    read_arrow = rawcsv._read_arrow

    def changed_meanwhile(source, names):
        path.write_bytes(b"id,text\n\n3,c\n4,\n")  # after the scan, before Arrow reads: as many
        return read_arrow(source, names)  # bytes and rows, on other lines

    monkeypatch.setattr(rawcsv, "_read_arrow", changed_meanwhile)
    frame = read_csv_text(path, ["id", "text"])
    assert frame[["id", "text", "raw_row"]].values.tolist() == [["3", "c", 3], ["4", "", 4]]


def test_a_file_gone_before_arrow_reads_it_is_named(tmp_path, monkeypatch):
    path = _write(tmp_path, b"id,text\n1,a\n")
    arrow_names = rawcsv._arrow_names

    def gone_meanwhile(raw, records):
        path.unlink()
        return arrow_names(raw, records)

    monkeypatch.setattr(rawcsv, "_arrow_names", gone_meanwhile)
    with pytest.raises(InputError, match="posts.csv: cannot read the file"):
        read_csv_text(path, ["id", "text"])


# --- the chunked reader (a file larger than memory) -----------------------------------------


def _outcome(read):
    """The frame a reader returns, or the message of the InputError it raises."""
    try:
        return read()
    except InputError as exc:
        return str(exc)


def _chunked(path, rows, required=("id", "text")):
    frames = list(rawcsv.iter_csv_text(path, list(required), rows=rows))
    assert all(len(f) <= rows for f in frames)
    return pd.concat(frames)


def _assert_same_as_whole(path, rows, required=("id", "text")):
    whole = _outcome(lambda: read_csv_text(path, list(required)))
    chunked = _outcome(lambda: _chunked(path, rows, required))
    if isinstance(whole, str):
        assert chunked == whole
    else:
        pd.testing.assert_frame_equal(chunked, whole, check_column_type=True, check_index_type=True)


@settings(max_examples=300, deadline=None)
@given(_well_formed(), st.integers(1, 4))
def test_chunks_make_the_whole_frame_of_any_well_formed_file(raw, rows):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        _assert_same_as_whole(_write(Path(tmp), raw), rows)


@pytest.mark.parametrize("rows", [1, 2, 1000])
@pytest.mark.parametrize("content", [
    b'id,text\n1,"x\n\ny"\n\n2,"p\nq"\n3,c\n',  # quoted line breaks and blank lines across chunk edges
    b"id,text\n1,a\n   \n2,b\n3,c\n",  # a blank line of spaces inside a chunk: pandas reads that chunk
    b'id,text\n1,5" screen\n2,b\n',  # a quote inside an unquoted cell: read whole, then cut
    b"id,text\n1,ok\n\n2,caf\xe9\n3,c\n",  # an undecodable byte: named at its row in the file
    b'id,text\n1,ok\n2,"never closed\n3,c\n',  # an open quote
    b"id,text\n1,a,\n2,b\n",  # a record with a field too many
    b"id,text\n", b"  \n\n", b"",  # no data rows, blank, empty
    b"id,other\n1,a\n",  # a missing column
])
def test_chunks_give_the_same_frame_or_the_same_error(tmp_path, content, rows):
    _assert_same_as_whole(_write(tmp_path, content), rows)


@pytest.mark.realdata
@pytest.mark.parametrize(("name", "required"), [("mod_posts", ("date", "datetime", "drone_count", "oblasts",
                                                               "text_snippet"))])
def test_the_real_file_read_in_chunks_is_the_file_read_whole(raw_file, name, required):
    _assert_same_as_whole(raw_file(name), 997, required)


def test_a_file_that_changes_while_chunks_are_read_is_refused(tmp_path):
    path = _write(tmp_path, b"id,text\n1,a\n2,b\n")
    chunks = rawcsv.iter_csv_text(path, ["id", "text"], rows=1)
    next(chunks)
    path.write_bytes(b"id,text\n1,a\n2,b\n3,c\n")
    with pytest.raises(InputError, match="changed while it was being read"):
        list(chunks)
