"""Reading a raw CSV file safely: every cell as text, every problem named.

One reader for every cleaner. A file that cannot be read as the expected table raises
:class:`~ceasefire_stats.core.errors.InputError` naming the file and, where there is one, the row
(line number, header = line 1) and column: an empty file, an undecodable byte, a malformed
CSV, missing or unexpected columns, a header without data rows. Nothing is converted or
evaluated here; typing is the cleaner's job.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_text('a,b\\n1,"two\\nlines"\\n3,4\\n')
>>> read_csv_text(p, ["a", "b"])[["raw_row", "a"]].values.tolist()
[[2, '1'], [4, '3']]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ceasefire_stats.core.errors import InputError


def _bad_byte(path: Path, raw: bytes, exc: UnicodeDecodeError) -> InputError:
    """An error naming the row and column of the first byte that is not UTF-8."""
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    line_no = raw.count(b"\n", 0, exc.start) + 1
    line_end = raw.find(b"\n", exc.start)
    line = raw[line_start: None if line_end < 0 else line_end].decode("utf-8", errors="replace")
    header = raw[: raw.find(b"\n")].decode("utf-8", errors="replace").strip().split(",")
    column = "?"
    try:
        cells = next(csv.reader([line]))
        hit = [i for i, cell in enumerate(cells) if "\ufffd" in cell]
        if hit and hit[0] < len(header):
            column = header[hit[0]]
    except (csv.Error, StopIteration):
        pass
    return InputError(f"{path.name}: row {line_no}, column {column!r}: undecodable byte "
                      f"{raw[exc.start:exc.start + 1]!r} at offset {exc.start} (the file is not UTF-8)")


def _record_lines(text: str, n_records: int) -> np.ndarray:
    """Line number on which each data record starts (quoted cells may span lines)."""
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if n_lines == n_records + 1:
        return np.arange(2, n_records + 2)
    reader = csv.reader(io.StringIO(text))
    next(reader)
    starts, line = [], reader.line_num
    for _ in reader:
        starts.append(line + 1)
        line = reader.line_num
    return np.asarray(starts[:n_records])


def read_csv_text(
    path: str | Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    allow_extra: bool = False,
) -> pd.DataFrame:
    """Read ``path`` with every cell as ``str`` (empty cells as ``""``) plus ``raw_row``, the
    line number on which each record starts (header = line 1).

    ``required`` columns must all be present; any column outside ``required`` and ``optional``
    is refused unless ``allow_extra``.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    if not raw.strip():
        raise InputError(f"{path.name}: the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _bad_byte(path, raw, exc) from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype="str", keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"{path.name}: not a well-formed CSV file: {exc}") from None
    missing = [c for c in required if c not in frame.columns]
    unexpected = [] if allow_extra else [c for c in frame.columns if c not in (*required, *optional)]
    if missing or unexpected:
        raise InputError(f"{path.name}: row 1 (header): missing columns {missing}, unexpected columns {unexpected}")
    if frame.empty:
        raise InputError(f"{path.name}: the file has a header but no data rows")
    return frame.assign(raw_row=pd.array(_record_lines(text, len(frame)), dtype="Int64"))
