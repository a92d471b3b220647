"""Row accounting shared by every cleaner: each raw row ends in exactly one place.

A cleaner returns its tidy tables plus a :class:`Ledger`: one row per raw row with its
``outcome`` (``kept``, ``rejected``, ``duplicate``, or a source-specific outcome such as
``not_claim``), a ``reason`` code for rejects and duplicates, and the offending values.
Kept rows may also carry ``flags`` (kept but suspicious, never altered). :meth:`Ledger.check`
proves the counts add up: every raw row has one outcome, no row is lost or counted twice.

>>> import pandas as pd
>>> led = Ledger.from_parts(
...     "demo", raw_rows=pd.RangeIndex(2, 6),
...     rejected=pd.DataFrame({"raw_row": [3], "reason": ["negative_count"],
...                            "column": ["launched"], "value": ["-1"]}),
...     duplicates=pd.DataFrame({"raw_row": [5], "duplicate_of": [4]}),
... )
>>> led.summary()
{'source': 'demo', 'in': 4, 'kept': 2, 'flagged': 0, 'rejected': 1, 'duplicate': 1}
>>> led.check()
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ceasefire_stats.core.errors import CeasefireStatsError

OUTCOMES = ("kept", "rejected", "duplicate")
REJECT_COLUMNS = ["raw_row", "reason", "column", "value"]
FLAG_COLUMNS = ["raw_row", "flag", "detail"]


class LedgerError(CeasefireStatsError):
    """The row accounting does not add up (a bug in a cleaner, never silently ignored)."""


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c in ("raw_row", "duplicate_of") else "str") for c in columns})


@dataclasses.dataclass
class Ledger:
    """Where every raw row of one source went.

    ``rows``: one row per raw row: ``raw_row`` (1-based line number in the raw file, the
    header being line 1), ``outcome``, ``reason`` (null for kept rows), ``detail``.
    ``rejects``: the rejected rows with reason code, column and offending value (a row
    may have several problems; it has one outcome). ``flags``: kept rows that break a
    soft invariant, with the flag code and detail.
    """

    source: str
    rows: pd.DataFrame
    rejects: pd.DataFrame
    flags: pd.DataFrame
    extra_outcomes: tuple[str, ...] = ()

    @classmethod
    def from_parts(
        cls,
        source: str,
        raw_rows: pd.Index | pd.Series,
        rejected: pd.DataFrame | None = None,
        duplicates: pd.DataFrame | None = None,
        flags: pd.DataFrame | None = None,
        other: pd.DataFrame | None = None,
    ) -> Ledger:
        """Build a ledger from the raw row numbers and the rows set aside.

        ``rejected`` has ``raw_row, reason, column, value`` (several rows per raw row allowed);
        ``duplicates`` has ``raw_row, duplicate_of``; ``other`` has ``raw_row, outcome, reason``
        for source-specific outcomes (e.g. posts that are not claims). Every other raw row is
        ``kept``. A raw row both rejected and duplicate counts as rejected.
        """
        rejected = _empty(REJECT_COLUMNS) if rejected is None else rejected
        duplicates = _empty(["raw_row", "duplicate_of"]) if duplicates is None else duplicates
        flags = _empty(FLAG_COLUMNS) if flags is None else flags
        other = _empty(["raw_row", "outcome", "reason"]) if other is None else other
        rows = pd.DataFrame({"raw_row": pd.array(raw_rows, dtype="Int64")})
        rows["outcome"] = "kept"
        rows["reason"] = pd.Series(pd.NA, index=rows.index, dtype="str")
        first_reason = rejected.drop_duplicates("raw_row").set_index("raw_row")["reason"]
        dup_of = duplicates.set_index("raw_row")["duplicate_of"]
        other_idx = other.set_index("raw_row")
        key = rows["raw_row"]
        is_other = key.isin(other_idx.index)
        rows.loc[is_other, "outcome"] = key[is_other].map(other_idx["outcome"]).to_numpy()
        rows.loc[is_other, "reason"] = key[is_other].map(other_idx["reason"]).astype("str").to_numpy()
        is_dup = key.isin(dup_of.index)
        rows.loc[is_dup, "outcome"] = "duplicate"
        rows.loc[is_dup, "reason"] = "duplicate_of:" + key[is_dup].map(dup_of).astype("str")
        is_rej = key.isin(first_reason.index)
        rows.loc[is_rej, "outcome"] = "rejected"
        rows.loc[is_rej, "reason"] = key[is_rej].map(first_reason).to_numpy()
        extra = tuple(sorted(set(other["outcome"]) - set(OUTCOMES)))
        return cls(
            source=source,
            rows=rows,
            rejects=rejected.reset_index(drop=True),
            flags=flags[flags["raw_row"].isin(rows.loc[rows["outcome"] == "kept", "raw_row"])].reset_index(drop=True),
            extra_outcomes=extra,
        )

    def summary(self) -> dict[str, object]:
        """Counts: in / kept / flagged / rejected / duplicate (and any source-specific outcome)."""
        counts = self.rows["outcome"].value_counts()
        out: dict[str, object] = {"source": self.source, "in": len(self.rows)}
        out["kept"] = int(counts.get("kept", 0))
        out["flagged"] = int(self.flags["raw_row"].nunique())
        for outcome in ("rejected", "duplicate", *self.extra_outcomes):
            out[outcome] = int(counts.get(outcome, 0))
        return out

    def by_reason(self) -> pd.DataFrame:
        """Rows per outcome and reason (flags listed as outcome ``flagged``), for reports."""
        outcomes = self.rows.assign(reason=self.rows["reason"].fillna(""))
        table = outcomes.groupby(["outcome", "reason"], sort=True).size().rename("rows").reset_index()
        flags = self.flags.groupby("flag").size().rename("rows").reset_index()
        flags = flags.rename(columns={"flag": "reason"}).assign(outcome="flagged")
        return pd.concat([table, flags[["outcome", "reason", "rows"]]], ignore_index=True)

    def check(self, n_in: int | None = None) -> None:
        """Raise :class:`LedgerError` unless every raw row has exactly one outcome."""
        rows = self.rows
        problems = []
        if rows["raw_row"].isna().any():
            problems.append("a raw row number is missing")
        if rows["raw_row"].duplicated().any():
            problems.append(f"raw rows listed twice: {rows.loc[rows['raw_row'].duplicated(), 'raw_row'].tolist()[:10]}")
        if n_in is not None and len(rows) != n_in:
            problems.append(f"{len(rows)} rows accounted for, {n_in} read")
        known = set(OUTCOMES) | set(self.extra_outcomes)
        unknown = set(rows["outcome"]) - known
        if unknown:
            problems.append(f"unknown outcomes {sorted(unknown)}")
        summary = self.summary()
        total = sum(int(summary[o]) for o in ("kept", "rejected", "duplicate", *self.extra_outcomes))
        if total != summary["in"]:
            problems.append(f"outcomes add up to {total}, not {summary['in']}")
        if problems:
            raise LedgerError(f"{self.source}: ledger does not add up: " + "; ".join(problems))


def reject_rows(rows: pd.Series, mask: np.ndarray, reason: str, column: str, values: object,
                detail: object = "") -> pd.DataFrame | None:
    """Reject rows for ``ledger.from_parts``: the raw rows ``rows[mask]`` with one reason code and
    column; ``values`` and ``detail`` are already restricted to the mask (or one string). None
    when no row is rejected."""
    if not mask.any():
        return None
    return pd.DataFrame({
        "raw_row": pd.array(rows[mask], dtype="Int64"),
        "reason": reason,
        "column": column,
        "value": pd.Series(values, dtype="str").to_numpy(),
        "detail": detail if isinstance(detail, str) else pd.Series(detail, dtype="str").to_numpy(),
    }).astype({"reason": "str", "column": "str", "value": "str", "detail": "str"})


def flag_rows(rows: pd.Series, mask: np.ndarray, flag: str, detail: object) -> pd.DataFrame | None:
    """Flag rows (kept but suspicious) for ``ledger.from_parts``, like :func:`reject_rows`."""
    if not mask.any():
        return None
    return pd.DataFrame({
        "raw_row": pd.array(rows[mask], dtype="Int64"),
        "flag": flag,
        "detail": detail if isinstance(detail, str) else pd.Series(detail, dtype="str").to_numpy(),
    }).astype({"flag": "str", "detail": "str"})
