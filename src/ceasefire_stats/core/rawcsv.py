"""Reading a raw CSV file safely: every cell as text, every problem named.

One reader for every cleaner. A file that cannot be read as the expected table raises
:class:`~ceasefire_stats.core.errors.InputError` naming the file and, where there is one, the
row (the file's physical line number, header = row 1) and column, and saying what to do: an empty
file, an undecodable byte, a quote left open, a record whose field count differs from the
header's (a trailing delimiter, a missing or extra field), missing or unexpected columns, a
header without data rows. Nothing is converted or evaluated here; typing is the cleaner's job.

``raw_row`` is the physical line on which each record starts, counted the way an editor counts
lines: blank lines, quoted cells spanning several lines, ``\\r\\n`` and lone ``\\r`` line ends
all count. The file's structure (where each record starts, how many fields it has) is found by
one linear scan of the bytes in blocks (:func:`scan`), so no decoded copy of the file is made.

The cells are read by Arrow's CSV reader straight into Arrow-backed ``str`` columns (about the
file's size in memory; pandas' parser makes a Python string of every cell first, two to four
times more, and holds them with the file's bytes), from the disk a block at a time once the
scan is done, so that the file's bytes and its columns are never held together (the file's
identity, size and modification time are compared before and after; a file that changed is
read again). pandas' parser is the reference: a file Arrow could read otherwise (a quote
inside an unquoted cell, lone ``\\r`` line ends, a blank line of spaces, repeated or empty
column names, a NUL byte) or cannot read is read by pandas, as are the error messages.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_text('a,b\\n1,"two\\nlines"\\n\\n3,4\\n')
>>> read_csv_text(p, ["a", "b"])[["raw_row", "a"]].values.tolist()
[[2, '1'], [5, '3']]
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ceasefire_stats.core.errors import InputError
from ceasefire_stats.core.files import map_input, read_input_bytes, release

_QUOTE, _COMMA, _LF, _CR = 0x22, 0x2C, 0x0A, 0x0D
_BLOCK = 1 << 20  # bytes scanned at a time: bounds the scan's temporary arrays (1 MiB)
_BLANK = b" \t\r\n"  # a record of only these characters is a blank line (pandas skips it)


@dataclasses.dataclass(frozen=True)
class Records:
    """The non-blank records of a CSV file, the header first: the physical line on which each
    starts (1-based) and its number of fields; ``regular`` when every quote opens or closes a
    cell (the vectorised scan read it; else the csv module did), no record ends with a lone
    ``\\r`` (old Mac line ends, which pandas' parser reads with quirks of its own: after a blank
    line it drops a record's leading empty cell) and no byte is NUL (which Arrow reads otherwise
    than pandas)."""

    lines: np.ndarray
    fields: np.ndarray
    regular: bool = True
    starts: np.ndarray | None = None  # byte offset of each record's start (the vectorised scan only)


class _Irregular(Exception):
    """A quote inside an unquoted cell: the vectorised scan cannot tell cells apart."""


def _line_of(breaks: np.ndarray, position: int) -> int:
    """1-based physical line of byte ``position``, given the sorted positions of line breaks."""
    return int(np.searchsorted(breaks, position)) + 1


def _scan_blocks(raw: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, bool]:
    """(line-break positions, record-terminator positions, fields per record, position of the
    last quote or -1, whether a record ends with a lone ``\\r`` or a byte is NUL): one pass over
    ``raw`` in blocks of :data:`_BLOCK` bytes, each handed back once scanned
    (:func:`~ceasefire_stats.core.files.release`).

    A line break is ``\\n`` or a ``\\r`` not followed by ``\\n`` (the ``\\r`` of ``\\r\\n`` is
    part of its line's end). A break outside quotes ends a record. Quote state is the parity
    of the quotes seen so far, which is exact as long as every quote that opens a cell stands
    at the start of the cell and every closing quote ends one: checked block by block, and
    :class:`_Irregular` raised otherwise. Keeps one position per line, one count per record.
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    n = len(data)
    breaks, terminators, fields = [], [], []
    inside, commas_open, last_quote = False, 0, -1
    odd = False  # a record ending with a lone \r, or a NUL byte: Arrow reads them otherwise
    for lo in range(0, n, _BLOCK):
        block = data[lo: lo + _BLOCK]
        is_quote = block == _QUOTE
        parity = np.bitwise_xor.accumulate(is_quote)  # True inside quotes (and on an opening quote)
        if inside:
            np.logical_not(parity, out=parity)
        q = np.flatnonzero(is_quote)
        if len(q):
            _check_quotes(data, q + lo, parity[q], n)
            last_quote = lo + int(q[-1])
            inside = bool(parity[-1])
        outside = ~parity
        lf = np.flatnonzero(block == _LF)
        cr = np.flatnonzero(block == _CR)
        if len(cr):
            cr = cr[(lo + cr + 1 >= n) | (data[np.minimum(lo + cr + 1, n - 1)] != _LF)]
            lf = np.union1d(lf, cr) if len(cr) else lf
        ends = lf[outside[lf]]
        odd = odd or bool((block[ends] == _CR).any()) or bool((block == 0).any())
        commas = np.flatnonzero((block == _COMMA) & outside)
        upto = np.searchsorted(commas, ends)  # outside commas before each terminator of the block
        counts = np.diff(upto, prepend=0)
        if len(counts):
            counts[0] += commas_open
            commas_open = len(commas) - int(upto[-1])
        else:
            commas_open += len(commas)
        breaks.append(lf + lo)
        terminators.append(ends + lo)
        fields.append(counts + 1)
        release(raw, lo, lo + len(block))
    fields.append(np.array([commas_open + 1]))  # the record after the last terminator
    join = lambda parts: np.concatenate(parts) if parts else np.empty(0, dtype=np.intp)  # noqa: E731
    return join(breaks), join(terminators), join(fields), last_quote if inside else -1, odd


def _check_quotes(data: np.ndarray, quotes: np.ndarray, opening: np.ndarray, n: int) -> None:
    """Raise :class:`_Irregular` unless every opening quote starts a cell and every closing
    quote ends one (or is the first of a doubled ``""``)."""
    starts, closes = quotes[opening], quotes[~opening]
    before = data[np.maximum(starts - 1, 0)]
    at_start = (starts == 0) | np.isin(before, (_COMMA, _LF, _CR, _QUOTE))
    at_start |= (starts == 3) & (bytes(data[:3]) == codecs.BOM_UTF8)  # after a byte order mark
    after = data[np.minimum(closes + 1, n - 1)]
    at_end = (closes + 1 >= n) | np.isin(after, (_COMMA, _LF, _CR, _QUOTE))
    if not (at_start.all() and at_end.all()):
        raise _Irregular


def scan(raw: bytes, name: str = "<csv>") -> Records:
    """Where each non-blank record of CSV bytes ``raw`` starts and how many fields it has.

    Raises :class:`InputError` for a quote that is never closed, naming the line where it opens.

    >>> r = scan(b'a,b\\r\\n\\r\\n1,"x\\r\\ny"\\r\\n2,3,\\r\\n')
    >>> r.lines.tolist(), r.fields.tolist()
    ([1, 3, 5], [2, 2, 3])
    """
    try:
        breaks, terminators, fields, open_quote, odd = _scan_blocks(raw)
    except _Irregular:
        return _scan_slowly(raw, name)
    if open_quote >= 0:  # parity is exact here: the last quote opens the cell that never closes
        raise _open_quote(name, _line_of(breaks, open_quote))
    n = len(raw)
    starts = np.concatenate(([0], terminators + 1))
    ends = np.concatenate((terminators, [n]))
    # a record after a terminator starts on the line after the terminator's line break
    lines = np.concatenate(([1], np.searchsorted(breaks, terminators, side="right") + 1))
    blank = _blank(raw, starts, ends, fields)
    return Records(lines[~blank], fields[~blank], regular=not odd, starts=starts[~blank])


def _blank(raw: bytes, starts: np.ndarray, ends: np.ndarray, fields: np.ndarray) -> np.ndarray:
    """Which records are blank lines: no content, or only spaces and tabs (pandas skips both)."""
    length = ends - starts
    blank = length == 0
    for i in np.flatnonzero((fields == 1) & (length > 0)):
        blank[i] = not raw[starts[i]: ends[i]].strip(_BLANK)
    return blank


def _scan_slowly(raw: bytes, name: str) -> Records:
    """:func:`scan` for a file with a quote inside an unquoted cell (``5" screen``), read by
    the csv module as pandas reads it (the quote is text). Slower: used only for such files."""
    raw = bytes(raw)  # (a mapped file: such files are hand-made and small)
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig", errors="replace"), newline=""), strict=True)
    lines, fields, line = [], [], 1
    limit = csv.field_size_limit()
    csv.field_size_limit(len(raw) + 1)
    try:
        for row in reader:
            if len(row) > 1 or (row and row[0].strip(" \t\r\n")):
                lines.append(line)
                fields.append(len(row))
            line = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise _open_quote(name, line) from None
        raise InputError(f"{name}: not a well-formed CSV file: row {line}: text follows a closing quote "
                         f"({exc}); put the whole cell in quotes and double its inner quotes") from None
    finally:
        csv.field_size_limit(limit)
    return Records(np.asarray(lines, dtype=np.intp), np.asarray(fields, dtype=np.intp), regular=False)


def _open_quote(name: str, line: int) -> InputError:
    return InputError(
        f"{name}: not a well-formed CSV file: row {line}: a quoted cell opens here and is never closed (an unmatched '\"'); "
        "close the quote, or double it (\"\") if it is part of the text"
    )


def _check_utf8(path: Path, raw: bytes) -> None:
    """Raise an error naming row, column and byte offset of the first byte that is not UTF-8.
    Decodes in blocks and keeps no decoded text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    for lo in range(0, len(raw), _BLOCK):
        pending = len(decoder.getstate()[0])  # bytes of a character cut by the previous block
        try:
            decoder.decode(view[lo: lo + _BLOCK], final=lo + _BLOCK >= len(raw))
        except UnicodeDecodeError as exc:
            raise _bad_byte(path, raw, lo - pending + exc.start) from None


def _lines_before(raw: bytes, offset: int) -> int:
    """Line breaks (``\\n``, ``\\r\\n``, lone ``\\r``) before byte ``offset``, counted a block at a
    time (``raw`` may be a mapped file larger than memory).

    >>> _lines_before(b"a\\r\\nb\\rc\\nd", 8)
    3
    """
    count = 0
    for lo in range(0, offset, _BLOCK):
        piece = raw[lo: min(lo + _BLOCK, offset)]
        count += piece.count(b"\n") + piece.count(b"\r") - piece.count(b"\r\n")
        if lo and piece[:1] == b"\n" and raw[lo - 1: lo] == b"\r":  # a \r\n cut by the block edge
            count -= 1
    return count


def _bad_byte(path: Path, raw: bytes, offset: int) -> InputError:
    """An error naming the row (physical line) and column of the byte at ``offset``."""
    line_start = max(raw.rfind(b"\n", 0, offset), raw.rfind(b"\r", 0, offset)) + 1
    line_no = _lines_before(raw, offset) + 1
    ends = [i for i in (raw.find(b"\n", offset), raw.find(b"\r", offset)) if i >= 0]
    line = raw[line_start: min(ends) if ends else None].decode("utf-8", errors="replace")
    header_end = [i for i in (raw.find(b"\n"), raw.find(b"\r")) if i >= 0]
    header = raw[: min(header_end) if header_end else None].decode("utf-8", errors="replace").split(",")
    column = "?"
    try:
        cells = next(csv.reader([line]))
        hit = [i for i, cell in enumerate(cells) if "\ufffd" in cell]
        if hit and hit[0] < len(header):
            column = header[hit[0]].strip().lstrip("\ufeff")
    except (csv.Error, StopIteration):
        pass
    return InputError(f"{path.name}: row {line_no}, column {column!r}: undecodable byte "
                      f"{raw[offset:offset + 1]!r} at byte offset {offset} (the file is not UTF-8); "
                      "re-save it as UTF-8 or fetch a fresh copy (`ceasefire-stats fetch`)")


def _check_fields(path: Path, records: Records) -> None:
    """Every record must have as many fields as the header."""
    expected = int(records.fields[0])
    bad = np.flatnonzero(records.fields[1:] != expected) + 1
    if not len(bad):
        return
    first = int(bad[0])
    actual = int(records.fields[first])
    hint = ("a trailing delimiter?" if actual == expected + 1 else
            "an unquoted comma in a cell?" if actual > expected else "a field is missing")
    n_data = len(records.fields) - 1
    extent = (f"every data row has {actual}" if len(bad) == n_data and
              (records.fields[1:] == actual).all() else f"{len(bad)} of {n_data} data rows differ")
    raise InputError(
        f"{path.name}: not a well-formed CSV file: row {int(records.lines[first])} has {actual} fields, "
        f"the header (row {int(records.lines[0])}) has {expected} ({hint}; {extent}); give every row "
        "the header's fields, and quote cells that contain commas"
    )


_ARROW_PARSE = pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True)
_ARROW_BLOCK = 1 << 20  # bytes Arrow parses at a time (its default)
# one thread: as fast here (the scan and the joining of pieces dominate), and Arrow's thread
# pools are not started (their first use costs memory, and threads hold more blocks at once)
_ARROW_NAMES = pacsv.ReadOptions(block_size=1 << 16, use_threads=False)
_RELEASE_EVERY = 16
"""Pieces freed between two returns of freed memory to the system: Arrow's allocator keeps
freed memory for reuse, so a table's pieces freed while its columns are joined would stay
resident beside the joined columns (the table held twice)."""


def _arrow_names(raw: bytes, records: Records) -> list[str] | None:
    """The column names, where Arrow may read the file; None where pandas must: a file Arrow
    could read otherwise than pandas (a quote inside an unquoted cell, lone ``\\r`` line ends,
    a NUL byte, repeated or empty column names, which pandas renames) or whose header Arrow
    cannot read. (A blank line of spaces, which pandas skips and Arrow does not, shows later:
    the rows then differ in number from the scan's records.)"""
    if not records.regular:  # (the scan saw every byte: no second pass over a large file)
        return None
    try:
        names = pacsv.open_csv(pa.BufferReader(raw), read_options=_ARROW_NAMES, parse_options=_ARROW_PARSE).schema.names
    except (pa.ArrowException, UnicodeDecodeError):
        return None
    return names if len(set(names)) == len(names) and all(n.strip() for n in names) else None


def _read_arrow(source: pa.NativeFile, names: list[str]) -> pd.DataFrame | None:
    """The cells of the CSV file ``source`` (header ``names``) read by Arrow a block at a time,
    as ``str`` columns each in one piece (:func:`_whole`); None where Arrow cannot read it."""
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()), null_values=[],
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    read = pacsv.ReadOptions(block_size=_ARROW_BLOCK, use_threads=False)
    pieces: list[list[pa.Array]] = [[] for _ in names]
    reader = batch = None
    try:
        reader = pacsv.open_csv(source, read_options=read, parse_options=_ARROW_PARSE, convert_options=convert)
        for number, batch in enumerate(reader, 1):
            for column, piece in zip(pieces, batch.columns, strict=True):
                column.append(piece)
            if number % _RELEASE_EVERY == 0:  # (the parser's freed blocks)
                pa.default_memory_pool().release_unused()
    except (pa.ArrowException, UnicodeDecodeError):
        return None
    del reader, batch
    if any(piece.null_count for column in pieces for piece in column):
        return None
    columns = []
    for column in pieces:
        columns.append(_whole(column))
    return pa.table(columns, names=names).to_pandas()  # large_string becomes ``str`` without a copy


def string_offsets(piece: pa.Array) -> np.ndarray:
    """The offsets of a ``large_string`` array's values in its data buffer (numpy, no copy)."""
    return np.frombuffer(piece.buffers()[1], dtype=np.int64)[piece.offset: piece.offset + len(piece) + 1]


def _whole(pieces: list[pa.Array]) -> pa.Array:
    """The ``large_string`` arrays in ``pieces`` (taken out of the list, each freed once copied)
    as one array. Arrow's reader gives a piece per block of the file, and taking rows from a
    column of many pieces joins them all first (a copy of the column per take); joined here
    once, into memory that is the column's alone, with the freed pieces returned to the system
    every :data:`_RELEASE_EVERY` pieces."""
    rows = sum(len(piece) for piece in pieces)
    size = sum(int(bounds[-1] - bounds[0]) for bounds in map(string_offsets, pieces))
    data, offsets = np.empty(size, dtype=np.uint8), np.empty(rows + 1, dtype=np.int64)
    offsets[0] = at = row = 0
    pieces.reverse()
    while pieces:
        piece = pieces.pop()
        bounds = string_offsets(piece)
        length = int(bounds[-1] - bounds[0])
        if length:
            data[at: at + length] = np.frombuffer(piece.buffers()[2], dtype=np.uint8)[bounds[0]: bounds[-1]]
        offsets[row + 1: row + len(piece) + 1] = bounds[1:] - bounds[0] + at
        at, row = at + length, row + len(piece)
        del piece, bounds
        if len(pieces) % _RELEASE_EVERY == 0:
            pa.default_memory_pool().release_unused()
    return pa.LargeStringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(data), null_count=0)


def _stamp(path: Path) -> tuple[int, ...] | None:
    """What tells whether a file changed: device, inode, size, modification time (None if unknown)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _read_pandas(path: Path, raw: bytes) -> pd.DataFrame:
    """The cells of ``raw`` read by pandas (the reference), its errors in our words."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # "utf-8", not "utf-8-sig": pandas' fast path (it skips a byte order mark itself)
            return pd.read_csv(io.BytesIO(raw), dtype="str", keep_default_na=False, na_filter=False,
                               index_col=False, encoding="utf-8")
    except UnicodeDecodeError:
        _check_utf8(path, raw)  # names row, column and offset of the first bad byte
        raise InputError(f"{path.name}: the file is not UTF-8; re-save it as UTF-8") from None
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as exc:
        raise InputError(f"{path.name}: not a well-formed CSV file ({type(exc).__name__}: {exc}); "
                         "check its quotes and delimiters") from None


def read_csv_text(
    path: str | Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    allow_extra: bool = False,
) -> pd.DataFrame:
    """Read ``path`` with every cell as ``str`` (empty cells as ``""``) plus ``raw_row``, the
    physical line on which each record starts (header = line 1; blank lines count).

    ``required`` columns must all be present; any column outside ``required`` and ``optional``
    is refused unless ``allow_extra``. Every record must have the header's number of fields.
    """
    path = Path(path)
    stamp = _stamp(path)
    raw = read_input_bytes(path)
    records = scan(raw, path.name)
    _check_fields(path, records)
    names = _arrow_names(raw, records) if stamp is not None else None
    frame = None
    if names is not None:
        del raw  # Arrow reads the file again, a block at a time: its bytes are not held meanwhile
        try:
            with pa.OSFile(str(path)) as source:
                frame = _read_arrow(source, names)
        except OSError:  # (gone meanwhile: reading it again names the problem)
            frame = None
        if frame is None or len(frame) != len(records.lines) - 1 or _stamp(path) != stamp:
            frame = None  # Arrow could not read it as pandas would, or it changed: read it again
            raw = read_input_bytes(path)
            records = scan(raw, path.name)
            _check_fields(path, records)
    if frame is None:
        frame = _read_pandas(path, raw)
    _check_columns(path, records, list(frame.columns), required, optional, allow_extra)
    if frame.empty:
        raise _no_rows(path)
    if len(frame) != len(records.lines) - 1:  # the scan and pandas must agree on the records
        raise _disagree(path, len(frame), len(records.lines) - 1)
    return frame.assign(raw_row=pd.array(records.lines[1:], dtype="Int64"))


def _no_rows(path: Path) -> InputError:
    return InputError(f"{path.name}: the file has a header but no data rows")


def _disagree(path: Path, read: int, found: int, where: str = "") -> InputError:
    """The reader and the scan disagree on how many records (rows ``where``) there are."""
    return InputError(f"{path.name}: {where}{read} rows read but {found} records found; "
                      "the file mixes line endings or quoting in a way that cannot be read reliably")


def _check_columns(path: Path, records: Records, columns: list[str], required: Sequence[str],
                   optional: Sequence[str], allow_extra: bool) -> None:
    missing = [c for c in required if c not in columns]
    unexpected = [] if allow_extra else [c for c in columns if c not in (*required, *optional)]
    if missing or unexpected:
        raise InputError(f"{path.name}: row {int(records.lines[0])} (header): missing columns {missing}, "
                         f"unexpected columns {unexpected}")


def iter_csv_text(
    path: str | Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    allow_extra: bool = False,
    rows: int = 100_000,
) -> Iterator[pd.DataFrame]:
    """:func:`read_csv_text` in frames of at most ``rows`` records, for a file larger than
    memory: the same checks, errors, cells and ``raw_row`` line numbers, and the frames
    concatenated are the frame :func:`read_csv_text` returns.

    The file is mapped, not read (:func:`~ceasefire_stats.core.files.map_input`); the scan finds
    every record's line, field count and byte offset; then each run of ``rows`` records is cut
    out at those offsets and read by Arrow with the header's names (by pandas where Arrow reads
    it otherwise; an undecodable byte is named at its row in the whole file). So the memory held
    is the scan's few numbers a record plus one frame. A file Arrow may not read at all (see
    :func:`read_csv_text`: quotes inside unquoted cells, lone ``\\r`` line ends, a NUL byte,
    renamed columns) is read whole, then cut: such files are hand-made and small.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text('a,b\\n1,"two\\nlines"\\n\\n3,4\\n5,6\\n')
    >>> [f[["raw_row", "a"]].values.tolist() for f in iter_csv_text(p, ["a", "b"], rows=2)]
    [[[2, '1'], [5, '3']], [[6, '5']]]
    """
    if rows < 1:
        raise ValueError(f"rows must be positive, not {rows}")
    path = Path(path)
    stamp = _stamp(path)
    with map_input(path) as raw:
        records = scan(raw, path.name)
        _check_fields(path, records)
        names = _arrow_names(raw, records) if records.starts is not None else None
        if names is None:
            whole = read_csv_text(path, required, optional, allow_extra)
            for lo in range(0, len(whole), rows):
                yield whole.iloc[lo: lo + rows]
            return
        _check_columns(path, records, names, required, optional, allow_extra)
        n = len(records.lines)
        if n < 2:
            raise _no_rows(path)
        header = bytes(raw[records.starts[0]: records.starts[1]])
        utf8_checked = False
        for first in range(1, n, rows):
            last = min(first + rows, n)
            end = int(records.starts[last]) if last < n else len(raw)
            chunk = header + raw[int(records.starts[first]): end]
            frame = _read_arrow(pa.BufferReader(chunk), names)
            if frame is None or len(frame) != last - first:
                if not utf8_checked:  # an undecodable byte, named at its row in the file (once)
                    _check_utf8(path, raw)
                    utf8_checked = True
                frame = _read_pandas(path, chunk)  # (a blank line of spaces, which Arrow reads as a row)
            if len(frame) != last - first:
                raise _disagree(path, len(frame), last - first,
                                f"rows {int(records.lines[first])}-{int(records.lines[last - 1])}: ")
            del chunk
            release(raw, int(records.starts[first]), end)
            frame.index = pd.RangeIndex(first - 1, last - 1)  # positions in the file, as in the whole frame
            yield frame.assign(raw_row=pd.array(records.lines[first:last], dtype="Int64"))
    if _stamp(path) != stamp:
        raise InputError(f"{path.name}: the file changed while it was being read; run the command again")
