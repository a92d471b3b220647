"""The committed analysis plan (``curated/analysis_plan/plan.yaml``): which estimate of each
truce window is primary, declared before the results (format: the folder's README).

:func:`read_plan` returns one row per planned window (``window_id``, ``definition`` and every
key of ``defaults``, overridden per window where the file says so); :func:`check_against`
confirms each planned window and definition exists in the calendar.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ceasefire_stats.core import safe_yaml
from ceasefire_stats.core.errors import InputError

FILE = "plan.yaml"
KEYS = {"policy": str, "baseline_days": int, "after_days": int, "anticipation_days": int, "rebound_days": int,
        "family": str, "interval": str, "history_days": int, "exclude_buffer_days": int}
CHOICES = {"policy": ("na", "zero"), "family": ("nb", "poisson", "quasipoisson"),
           "interval": ("auto", "profile", "exact", "wald", "hac")}
_Loader = safe_yaml.loader("analysis plan", max_depth=6, text_keys=True, timestamps=False)


def _check(values: dict, where: str) -> dict:
    out = {}
    for key, value in values.items():
        if key not in KEYS:
            raise InputError(f"{where}: field '{key}': unknown key; use one of {sorted(KEYS)}")
        kind = KEYS[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InputError(f"{where}: field '{key}': {value!r} is not a whole number >= 0")
        if kind is str and (not isinstance(value, str) or value not in CHOICES[key]):
            raise InputError(f"{where}: field '{key}': {value!r} is not one of {CHOICES[key]}")
        out[key] = value
    return out


def read_plan(folder: str | Path | None = None) -> pd.DataFrame:
    """One row per planned window: ``window_id``, ``definition`` and the settings of
    :data:`KEYS`. Any bad entry raises :class:`InputError` naming the file, the entry and the field."""
    if folder is None:
        from ceasefire_stats.core.paths import curated_dir

        folder = curated_dir("analysis_plan")
    path = Path(folder) / FILE
    if not path.is_file():
        raise InputError(f"{path}: no analysis plan; add {FILE} (see the folder's README.md)")
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a readable YAML file: {str(exc).splitlines()[0]}") from None
    if not isinstance(doc, dict) or doc.get("format") != 1:
        raise InputError(f"{path}: field 'format': must be 1")
    defaults = _check(doc.get("defaults") or {}, f"{path}: defaults")
    missing = set(KEYS) - set(defaults)
    if missing:
        raise InputError(f"{path}: defaults: missing field(s) {sorted(missing)}")
    entries = doc.get("windows")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: field 'windows': a non-empty list of {{window_id, definition}}")
    rows, seen = [], set()
    for k, entry in enumerate(entries):
        where = f"{path}: windows[{k}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("window_id"), str) \
                or not isinstance(entry.get("definition"), str):
            raise InputError(f"{where}: fields 'window_id' and 'definition' (text) are required")
        if entry["window_id"] in seen:
            raise InputError(f"{where}: field 'window_id': {entry['window_id']} is planned twice; one primary "
                             "definition per window")
        seen.add(entry["window_id"])
        extra = _check({key: v for key, v in entry.items() if key not in ("window_id", "definition")}, where)
        rows.append({"window_id": entry["window_id"], "definition": entry["definition"], **defaults, **extra})
    return pd.DataFrame(rows)


def check_against(plan: pd.DataFrame, windows: pd.DataFrame) -> None:
    """Every planned window and definition is in the calendar (``ceasefire_windows``)."""
    known = set(zip(windows["window_id"], windows["definition"], strict=True))
    for row in plan.itertuples():
        if (row.window_id, row.definition) not in known:
            raise InputError(f"analysis_plan/{FILE}: window '{row.window_id}' definition '{row.definition}': "
                             "not in the ceasefire calendar; name a window_id and definition of curated/calendar")
