"""Claims against records: for each numeric claim the loaded sources can speak to, the matching
records and a verdict.

Grain of ``claim_checks``: **one row per claim and comparison basis** (e.g. the Air Force's
drones only, or all means of attack). Exactly one row per claim has ``verdict_basis`` True:
its ``verdict`` is the claim's verdict; the other rows are sensitivity or context.

:func:`check_claims` is a pure function of the tables; :func:`build` is the pipeline step, handed
the tables it needs by the pipeline (``cs.load("claim_checks")`` gives the result).

**Matching rules** (documented in ``docs/claims.md``):

- *Which records.* A count with direction ``ru_to_ua`` is compared with the Air Force's national
  overnight reports (``strikes``: ``reporting_body == "air_force"``, not ``date_only``: regional
  commands' daily rows overlap the national ones and would double count); ``ua_to_ru``
  interceptions with the MoD's ``intercept_report`` posts (``mod_posts``, and
  ``mod_post_regions`` for the breakdown). A record matches when the midpoint of its window lies
  in the claim's window (``night: D`` = [D-1 18:00, D 10:00) local, see
  :mod:`ceasefire_stats.clean.claims`).
- *Which weapons.* The claim's weapon class selects strike classes through :data:`CLASS_GROUPS`
  (``drone`` = attack drones, decoys and recon UAVs). The verdict uses that ``same_class`` basis,
  because it counts what the claimant said they counted; the ``all_means`` basis (every class) is
  reported beside it.
- *Which range.* The claimed range comes from :func:`~ceasefire_stats.text.en_numerals.parse_quantity`
  with ``about_tolerance``. With ``round_numbers_as_about`` (default True) an unqualified round
  number (a multiple of 10, at least 20: "150 drones") is read as ``about`` it, because speakers
  round; the reason says what the exact reading would give.
- *Verdicts* (:data:`VERDICTS`). ``consistent`` when the recorded total of another body lies in
  the claimed range; ``matches_source`` when it does but the records are the claimant's own (the
  MoD's "57" against the MoD's own post): a check that the claim was reported as its source
  published it, never corroboration; ``inconsistent`` when the total lies outside the range;
  ``not_checkable`` (with the reason) when no loaded source counts that thing in that direction
  for that window (or not for the claim's regions alone), or the table is not loaded.
- *Claims about targets* (topic ``energy_strikes``, no number: "Russia stopped strikes on energy
  facilities") get one context row per following night (nights ending 1..``following_nights``
  days after the local day the claim was made, same midpoint rule; subject RU -> the Air Force's
  launches, subject UA -> the MoD's interception reports), always ``not_checkable``: the counts
  record weapons, not what they were aimed at.

Claimant and direction stay explicit in every row: the Air Force's counts (``ru_to_ua``) and the
MoD's (``ua_to_ru``) are never compared with each other.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ceasefire_stats.clean import claims as _claims  # noqa: F401  (defines the claim fields used below)
from ceasefire_stats.core.fields import Field, cast, define, schema
from ceasefire_stats.core.step import StepInputs, StepResult
from ceasefire_stats.nights import LOCAL_ZONE as DEFAULT_ZONE
from ceasefire_stats.nights import claim_night_window as night_window
from ceasefire_stats.nights import effective_end
from ceasefire_stats.panels import mod as panels_mod
from ceasefire_stats.text.en_numerals import ABOUT_TOLERANCE, about_range
from ceasefire_stats.vocab import CLASS_GROUPS, METRIC_RECORDS, METRIC_UNCHECKABLE, NATIONAL_BODY

WEAPON_NOUNS = frozenset({"drones", "uavs", "shaheds", "missiles", "weapons", "means of attack", "targets"})
"""``count_noun`` values that are weapons (the things the loaded sources count)."""

VERDICTS: dict[str, str] = {
    "consistent": "the records of another body (e.g. the Air Force for Zelenskyy) lie in the claimed range",
    "matches_source": "the claimant's own records lie in the claimed range: the claim was reported as its "
                      "source published it; no independent confirmation",
    "inconsistent": "the recorded total lies outside the claimed range",
    "not_checkable": "no loaded source counts this (the reason says why)",
}
"""The verdict vocabulary, with the meaning of each verdict."""
FOLLOWING_NIGHTS = 3
"""Context nights shown after a claim about targets (nights ending 1..3 days after it was said)."""

define(
    Field("basis", "str", "what the claim is compared with (same_class, all_means, headline, "
          "regional_breakdown, night_YYYY-MM-DD, none)", nullable=False),
    Field("verdict_basis", "bool", "True on the one row per claim whose verdict is the claim's verdict",
          nullable=False),
    Field("range_rule", "str", "how the claimed range was read (qualifier, tolerance, round-number rule)"),
    Field("records_claimant", "str", "whose records these are (ua_air_force, ru_mod)"),
    Field("recorded_value", "Int64", "total of the matching records on this basis", unit="count"),
    Field("record_ids", "str", "ids of the matching records (strike_id or post_id), '|'-joined"),
    Field("n_records", "Int64", "number of matching records", unit="count"),
    Field("difference", "Int64", "recorded_value minus the stated number", unit="count"),
    Field("verdict", "str", "consistent / matches_source (against the claimant's own records) / inconsistent / "
          "not_checkable", nullable=False,
          checks=(pa.Check.isin(list(VERDICTS)),)),
    Field("reason", "str", "why: the rule applied, or why the claim cannot be checked", nullable=False),
)

COLUMNS = [
    "claim_id", "claimant", "direction", "count_metric", "count_weapon_class", "attribution_date",
    "count_number_text", "qualifier", "range_rule", "value_low", "value_high", "basis", "verdict_basis",
    "records_claimant", "recorded_value", "record_ids", "n_records", "difference", "verdict", "reason",
]
SCHEMA = schema(
    "claim_checks", COLUMNS, unique=["claim_id", "basis"],
    overrides={"direction": {"nullable": True}, "claim_id": {"unique": False}},
    checks=[pa.Check(lambda d: d.groupby("claim_id")["verdict_basis"].transform("sum") == 1,
                     name="one_verdict_basis_per_claim")],
)

SCHEMAS = {"claim_checks": SCHEMA}
"""Schemas of the tables this step writes (``pipeline.load`` validates against them)."""


# --- helpers ----------------------------------------------------------------------------------


def claimed_range(value_stated, qualifier, value_low, value_high, about_tolerance=ABOUT_TOLERANCE,
                  round_numbers_as_about=True) -> tuple[int | None, int | None, str]:
    """The claimed range under the check's rules, and a description of the rule.

    >>> claimed_range(150, "exact", 150, 150)
    (135, 165, 'about +-10% (round number stated without qualifier)')
    >>> claimed_range(57, "exact", 57, 57)
    (57, 57, 'exact')
    >>> claimed_range(150, "about", 142, 158, about_tolerance=0.05)[:2]
    (142, 158)
    """
    pct = f"{about_tolerance:.0%}"
    stated = None if pd.isna(value_stated) else int(value_stated)
    low = None if pd.isna(value_low) else int(value_low)
    high = None if pd.isna(value_high) else int(value_high)
    if qualifier == "exact" and stated is not None and round_numbers_as_about and stated >= 20 and stated % 10 == 0:
        low, high = about_range(stated, about_tolerance)
        return low, high, f"about +-{pct} (round number stated without qualifier)"
    if qualifier in ("about", "dozen") and stated is not None:
        low, high = about_range(stated, about_tolerance)
        return low, high, f"about +-{pct}"
    return low, high, str(qualifier)


def _in_range(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


PARTIAL_BREAKDOWNS = ("incomplete", "sum_mismatch", "none")
"""``mod_posts.breakdown_status`` values whose regional lines do not add up to the post: a region a
partial breakdown omits is unknown, not zero."""
LONG_WINDOW = pd.Timedelta(hours=24)
"""A claim window longer than this (a truce, ``window_id``) spans several nights: its records are
those whose window's midpoint lies in it, whatever their attribution date."""


def _in_night(frame: pd.DataFrame, date: pd.Timestamp, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Records of one night: attributed to ``date`` by the package's one night rule
    (``nights.attribution_date``, already in each table) and with a window that meets the
    claim's night ``[start, end)`` (a moment counts as one minute). For a window longer than
    :data:`LONG_WINDOW` (a truce), the records whose window's midpoint lies in ``[start, end)``."""
    ws, we = frame["window_start"], frame["window_end"]
    we = effective_end(ws, we)
    if end - start > LONG_WINDOW:
        middle = ws + (we - ws) / 2
        return (middle >= start) & (middle < end)
    return (frame["attribution_date"] == date) & (ws < end) & (we > start)


def _ids(values: pd.Series) -> str | None:
    ids = sorted(map(str, values.dropna()))
    return "|".join(ids) if ids else None


def _sum(values: pd.Series) -> int | None:
    values = values.dropna()
    return int(values.sum()) if len(values) else None


def _base(claim: pd.Series, low, high, rule) -> dict[str, object]:
    return {
        "claim_id": claim["claim_id"], "claimant": claim["claimant"], "direction": claim["direction"],
        "count_metric": claim["count_metric"], "count_weapon_class": claim["count_weapon_class"],
        "attribution_date": claim["attribution_date"], "count_number_text": claim["count_number_text"],
        "qualifier": claim["qualifier"], "range_rule": rule, "value_low": low, "value_high": high,
        "records_claimant": None, "recorded_value": None, "record_ids": None, "n_records": None,
        "difference": None,
    }


def _not_checkable(base: dict, reason: str, basis: str = "none") -> dict[str, object]:
    return {**base, "basis": basis, "verdict_basis": True, "verdict": "not_checkable", "reason": reason}


def _compare(base: dict, basis: str, records: pd.DataFrame, value_column: str, id_column: str,
             claimant: str, primary: bool, stated, why: str) -> dict[str, object]:
    total = _sum(records[value_column]) if len(records) else None
    row = {**base, "basis": basis, "verdict_basis": primary, "records_claimant": claimant,
           "recorded_value": total, "record_ids": _ids(records[id_column]) if len(records) else None,
           "n_records": len(records)}
    if total is None:
        return {**row, "verdict": "not_checkable", "reason": f"{why}: no matching record with a value"}
    row["difference"] = None if stated is None else total - stated
    ok = _in_range(total, base["value_low"], base["value_high"])
    own = base["claimant"] == claimant
    verdict = ("matches_source" if own else "consistent") if ok else "inconsistent"
    if own:
        why += (f"; the records are the claimant's own ({claimant}): a match shows the claim was reported as "
                "its source published it, not that it is true")
    return {**row, "verdict": verdict, "reason": why}


# --- the rules --------------------------------------------------------------------------------


def _check_strikes(claim, base, stated, strikes, exact_note, strike_regions=None) -> list[dict[str, object]]:
    column = METRIC_RECORDS[claim["count_metric"]]["ru_to_ua"].split(".")[1]
    if strikes is None:
        return [_not_checkable(base, "the strikes table (Air Force reports) is not loaded")]
    national = strikes[(strikes["reporting_body"] == NATIONAL_BODY) & ~strikes["date_only"].astype(bool)]
    night = national[_in_night(national, claim["attribution_date"], claim["window_start"], claim["window_end"])]
    if night.empty:
        return [_not_checkable(base, "no Air Force national report whose window falls in the claim's window")]
    group = CLASS_GROUPS.get(claim["count_weapon_class"], ())
    same = night[night["weapon_class"].isin(group)]
    if pd.notna(claim["count_regions"]):
        return [_check_strike_regions(claim, base, stated, same, strike_regions, column, group, exact_note)]
    bundles = " (includes bundle rows)" if bool(same["is_bundle"].fillna(False).any()) else ""
    same_why = (f"Air Force national report, {column}, classes {'/'.join(group)} (the weapons the claim "
                f"names): the verdict uses this basis{bundles}{exact_note}")
    all_why = (f"Air Force national report, {column}, all means of air attack (drones and missiles): for "
               "comparison only, the claim names one kind of weapon")
    return [
        _compare(base, "same_class", same, column, "strike_id", "ua_air_force", True, stated, same_why),
        _compare(base, "all_means", night, column, "strike_id", "ua_air_force", False, stated, all_why),
    ]


def _check_strike_regions(claim, base, stated, same, strike_regions, column, group, exact_note):
    """A regional count of Russian weapons (destroyed over named oblasts) against the Air Force's
    regional figures of the same night's national reports (``strike_regions``), never the national total."""
    regions = str(claim["count_regions"]).split("|")
    if strike_regions is None:
        return _not_checkable(base, "strike_regions (the Air Force's regional figures) is not loaded")
    if column != "destroyed":
        return _not_checkable(base, f"the claim counts weapons at {claim['count_regions']} only: the Air Force "
                              f"reports regional figures of weapons destroyed, not {column} (a part cannot be "
                              "checked against the whole)")
    parts = strike_regions[strike_regions["strike_id"].isin(same["strike_id"])
                           & (strike_regions["measure"] == "destroyed") & strike_regions["region_id"].isin(regions)]
    found = sorted(set(parts["region_id"].dropna().astype(str)))
    missing = sorted(set(regions) - set(found))
    why = (f"the Air Force's regional figures (weapons destroyed over {'/'.join(regions)}, classes "
           f"{'/'.join(group)}) of that night's national reports: a regional claim is compared with regional "
           f"records, never the national total{exact_note}")
    if missing:
        why += f"; no regional figure for {missing}"
    return _compare(base, "claimed_regions", parts, "count", "strike_id", "ua_air_force", True, stated, why)


def _check_mod(claim, base, stated, mod_posts, mod_post_regions, exact_note) -> list[dict[str, object]]:
    if mod_posts is None:
        return [_not_checkable(base, "the mod_posts table (MoD interception posts) is not loaded")]
    # the overlap rule over a night that spans two dates: a covering report replaces every report it
    # restates (the 9 April 2025 summary, 158, replaces the evening post of 8 April it contains)
    reports = panels_mod.counted_reports(mod_posts, restated_by="any")
    posts = reports[_in_night(reports, claim["attribution_date"], claim["window_start"], claim["window_end"])]
    if posts.empty:
        return [_not_checkable(base, "no MoD interception post whose window falls in the claim's window")]
    claimed = set(str(claim["count_regions"]).split("|")) if pd.notna(claim["count_regions"]) else set()
    status = (mod_posts.set_index("post_id")["breakdown_status"] if "breakdown_status" in mod_posts.columns
              else pd.Series(dtype="str"))
    partial = sorted(p for p in posts["post_id"] if status.get(p) in PARTIAL_BREAKDOWNS)
    if claimed and mod_post_regions is not None:
        parts = mod_post_regions[mod_post_regions["post_id"].isin(posts["post_id"])]
        recorded = set(parts["region_id"].dropna().astype(str))
        if claimed < recorded:  # some regions of the night only ("29 over the Rostov region")
            mine = parts[parts["region_id"].isin(claimed)]
            missing = sorted(claimed - set(mine["region_id"].dropna().astype(str)))
            why = (f"the MoD's own regional breakdown for {'/'.join(sorted(claimed))} (of the "
                   f"{len(recorded)} regions its posts of that night name): a regional claim is compared with "
                   f"regional records, never the national headline{exact_note}")
            if missing:
                why += f"; no figure for {missing}"
                if partial:
                    return [_not_checkable(base, f"{why}, and the breakdown of {partial} is not complete (the "
                                           "post lists only part of its regions): a region it omits is unknown, "
                                           "not zero", "claimed_regions")]
            row = _compare(base, "claimed_regions", mine, "drones_destroyed", "post_id", "ru_mod", True, stated, why)
            return [row]
    rows = [_compare(base, "headline", posts, "drones_destroyed", "post_id", "ru_mod", True, stated,
                     "the MoD's own headline total for that night: the verdict uses this basis" + exact_note)]
    if mod_post_regions is None:
        rows.append({**_not_checkable(base, "mod_post_regions is not loaded", "regional_breakdown"),
                     "verdict_basis": False})
        return rows
    parts = mod_post_regions[mod_post_regions["post_id"].isin(posts["post_id"])]
    row = _compare(base, "regional_breakdown", parts.assign(post_id=parts["post_id"]), "drones_destroyed",
                   "post_id", "ru_mod", False, stated, "sum of the post's regional breakdown")
    row["record_ids"] = _ids(posts["post_id"]) if len(parts) else None
    if row["verdict"] != "not_checkable" and partial:
        row["verdict"] = "not_checkable"
        row["reason"] += (f"; the breakdown of {partial} is not complete (the post lists only part of its regions), "
                          "so its sum cannot be compared with the claim")
    if row["verdict"] != "not_checkable" and claimed:
        recorded = set(parts["region_id"].dropna().astype(str))
        missing, extra = sorted(claimed - recorded), sorted(recorded - claimed)
        if missing or extra:
            row["verdict"] = "inconsistent"
            row["reason"] += f"; regions differ: claimed only {missing}, post only {extra}"
        else:
            row["reason"] += f"; same {len(claimed)} regions as claimed"
    rows.append(row)
    return rows


def _check_count(claim, strikes, mod_posts, mod_post_regions, about_tolerance, round_numbers_as_about,
                 strike_regions=None):
    low, high, rule = claimed_range(claim["value_stated"], claim["qualifier"], claim["value_low"],
                                    claim["value_high"], about_tolerance, round_numbers_as_about)
    base = _base(claim, low, high, rule)
    stated = None if pd.isna(claim["value_stated"]) else int(claim["value_stated"])
    exact_note = ""
    if rule.startswith("about") and claim["qualifier"] == "exact":
        exact_note = f"; read exactly ({stated}) the range would be {stated}..{stated}"
    noun, metric, direction = claim["count_noun"], claim["count_metric"], claim["direction"]
    records = METRIC_RECORDS.get(metric, {})
    if noun not in WEAPON_NOUNS or not records:
        why = f"the loaded sources count weapons, not {noun}" if noun not in WEAPON_NOUNS else ""
        if not records:
            why = f"{why}: {METRIC_UNCHECKABLE[metric]}" if why else METRIC_UNCHECKABLE[metric]
        return [_not_checkable(base, why), *_window_context(claim, base, strikes, mod_posts)]
    if direction not in records:
        return [_not_checkable(base, f"no loaded record counts {metric} in direction {direction}: the records "
                               f"count {metric} only as {', '.join(f'{d} ({r})' for d, r in records.items())}")]
    if pd.isna(claim["window_start"]):
        return [_not_checkable(base, "the claim gives no night, date or window")]
    if direction == "ru_to_ua":
        if metric == "intercepted" and claim["claimant_side"] == "RU":
            return [_not_checkable(base, "Russia's claim about Russian drones destroyed by Russia: the Air Force "
                                   "counts Russian weapons destroyed by Ukraine, the MoD posts Ukrainian drones; "
                                   "no loaded source counts these")]
        if pd.notna(claim["count_regions"]) and metric != "intercepted":
            return [_not_checkable(base, f"the claim counts weapons at {claim['count_regions']} only: the Air "
                                   f"Force's national reports count {metric} for the whole country, with no "
                                   "per-region figure (a part cannot be checked against the whole)")]
        return _check_strikes(claim, base, stated, strikes, exact_note, strike_regions)
    return _check_mod(claim, base, stated, mod_posts, mod_post_regions, exact_note)


def _window_context(claim, base, strikes, mod_posts) -> list[dict[str, object]]:
    """Context for an uncheckable count about a truce window (violations, attacks ...): what the
    records of the accused side's weapons say over the same window (the Air Force's launches for
    a claim about Russia, the MoD's claimed interceptions for a claim about Ukraine). Never a verdict."""
    if pd.isna(claim["window_start"]) or claim["subject_side"] not in ("RU", "UA"):
        return []
    start, end = claim["window_start"], claim["window_end"]
    if claim["subject_side"] == "RU":
        if strikes is None:
            return []
        table = strikes[(strikes["reporting_body"] == NATIONAL_BODY) & ~strikes["date_only"].astype(bool)]
        value, id_col, who, direction, what = "launched", "strike_id", "ua_air_force", "ru_to_ua", (
            "Russian weapons launched at Ukraine in the Air Force's national reports")
    else:
        if mod_posts is None:
            return []
        table = panels_mod.counted_reports(mod_posts, restated_by="any")
        value, id_col, who, direction, what = "drones_destroyed", "post_id", "ru_mod", "ua_to_ru", (
            "Ukrainian drones the MoD says it destroyed")
    ws, we = table["window_start"], effective_end(table["window_start"], table["window_end"])
    middle = ws + (we - ws) / 2
    inside = table[(middle >= start) & (middle < end)]
    return [{**base, "basis": "window_context", "verdict_basis": False, "direction": direction,
             "records_claimant": who, "recorded_value": _sum(inside[value]), "record_ids": _ids(inside[id_col]),
             "n_records": len(inside), "verdict": "not_checkable",
             "reason": f"context only, not a check of the claim: {what} whose window's midpoint lies in the "
                       f"claim's window ({len(inside)} reports); the claim counts {claim['count_noun']}, "
                       "the records count weapons"}]


def _check_targets(claim, strikes, mod_posts, following_nights) -> list[dict[str, object]]:
    """Context rows for a claim about targets (energy strikes) without a number."""
    direction = "ru_to_ua" if claim["subject_side"] == "RU" else "ua_to_ru"
    zone = DEFAULT_ZONE[direction]
    said_mid = claim["said_from"] + (claim["said_to"] - claim["said_from"]) / 2
    said_day = said_mid.tz_convert(zone).tz_localize(None).normalize()
    base = _base(claim, None, None, None)
    base.update(direction=direction, count_metric="launched" if direction == "ru_to_ua" else "intercepted",
                count_weapon_class="any")
    why = ("a claim about targets (energy facilities): the counts record weapons "
           f"{'launched' if direction == 'ru_to_ua' else 'intercepted'}, not what they were aimed at, so they "
           "cannot confirm or refute it directly; shown for context")
    if direction == "ru_to_ua":
        table, value, id_col, who, label = strikes, "launched", "strike_id", "ua_air_force", "strikes"
        if table is not None:
            table = table[(table["reporting_body"] == NATIONAL_BODY) & ~table["date_only"].astype(bool)]
    else:
        table, value, id_col, who, label = mod_posts, "drones_destroyed", "post_id", "ru_mod", "mod_posts"
        if table is not None:
            table = panels_mod.counted_reports(table, restated_by="any")
    if table is None:
        return [_not_checkable(base, f"{why}; the {label} table is not loaded")]
    rows = []
    for k in range(1, following_nights + 1):
        day = (said_day + pd.Timedelta(days=k)).as_unit("us")
        start, end = night_window(day.date(), zone)
        night = table[_in_night(table, day, start, end)]
        row = {**base, "basis": f"night_{day.date()}", "verdict_basis": k == 1, "attribution_date": day,
               "records_claimant": who, "recorded_value": _sum(night[value]),
               "record_ids": _ids(night[id_col]), "n_records": len(night), "verdict": "not_checkable",
               "reason": f"{why} (night ending {day.date()}, {zone})"}
        rows.append(row)
    return rows


def check_claims(
    claims: pd.DataFrame,
    strikes: pd.DataFrame | None = None,
    mod_posts: pd.DataFrame | None = None,
    mod_post_regions: pd.DataFrame | None = None,
    about_tolerance: float = ABOUT_TOLERANCE,
    round_numbers_as_about: bool = True,
    following_nights: int = FOLLOWING_NIGHTS,
    strike_regions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The verdict table (``claim_checks``) for every count claim and every claim about energy
    targets in ``claims``. A table passed as None is "not loaded": its claims are
    ``not_checkable`` with that reason. Pure: reads only its arguments."""
    rows: list[dict[str, object]] = []
    counts = claims[claims["claim_type"] == "count"]
    for _, claim in counts.iterrows():  # a few dozen curated claims, each with its own rule
        rows.extend(_check_count(claim, strikes, mod_posts, mod_post_regions, about_tolerance,
                                 round_numbers_as_about, strike_regions))
    targets = claims[(claims["claim_type"].isin(["assertion", "commitment", "denial"]))
                     & (claims["topic"] == "energy_strikes") & claims["subject_side"].isin(["RU", "UA"])]
    for _, claim in targets.iterrows():
        rows.extend(_check_targets(claim, strikes, mod_posts, following_nights))
    return _frame(rows)


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = cast(pd.DataFrame(rows, columns=COLUMNS), COLUMNS)
    return frame.sort_values(["claim_id", "verdict_basis", "basis"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)


def verdicts(checks: pd.DataFrame) -> pd.DataFrame:
    """One row per claim: the row whose verdict is the claim's."""
    return checks[checks["verdict_basis"]].reset_index(drop=True)


def record_details(checks: pd.DataFrame, strikes: pd.DataFrame | None = None,
                   mod_posts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The records behind each comparison: one row per (claim, basis, record) with the record's
    window, weapon/model and counts."""
    exploded = checks[["claim_id", "basis", "record_ids"]].dropna(subset=["record_ids"])
    exploded = exploded.assign(record_id=exploded["record_ids"].str.split("|")).explode("record_id")
    exploded = exploded.drop(columns="record_ids")
    parts = []
    # (table, id column, what, count, destroyed): the record columns each table offers
    tables = [(strikes, "strike_id", "model", "launched", "destroyed"),
              (mod_posts, "post_id", "kind", "drones_destroyed", "drones_destroyed")]
    for table, id_col, what, count, destroyed in tables:
        if table is None:
            continue
        records = pd.DataFrame({
            "record_id": table[id_col], "window_start": table["window_start"].dt.tz_convert("UTC"),
            "window_end": table["window_end"].dt.tz_convert("UTC"), "what": table[what],
            "count": table[count], "destroyed": table[destroyed],
        })
        parts.append(exploded.merge(records, on="record_id"))
    if not parts:
        return exploded.assign(window_start=pd.NaT, window_end=pd.NaT, what=None, count=None, destroyed=None)
    return pd.concat(parts, ignore_index=True).sort_values(["claim_id", "basis", "record_id"]).reset_index(drop=True)


# --- the whole ledger as text ---------------------------------------------------------------

TABLE_WIDTH = 108
"""Width of :func:`claims_table`'s text (fits the notebooks' pinned display width)."""


def _said_text(said_from: pd.Timestamp, said_tz: str, precision: str) -> str:
    """When a claim was said, in the speaker's zone, at its precision.

    >>> _said_text(pd.Timestamp("2025-03-19 04:36", tz="UTC"), "Europe/Moscow", "minute")
    '2025-03-19 07:36'
    >>> _said_text(pd.Timestamp("2025-03-17 22:00", tz="UTC"), "Europe/Helsinki", "approx")
    '2025-03-19 +-1d'
    """
    try:
        local = said_from.tz_convert(said_tz)
    except Exception:  # a bare offset name: show UTC
        local = said_from
    if precision == "minute":
        return local.strftime("%Y-%m-%d %H:%M")
    if precision == "hour":
        return local.strftime("%Y-%m-%d %Hh")
    if precision == "approx":
        return (local + pd.Timedelta(days=1)).strftime("%Y-%m-%d") + " +-1d"
    return local.strftime("%Y-%m-%d")


def claims_table(claims: pd.DataFrame, width: int = TABLE_WIDTH) -> str:
    """Every claim of ``claims`` (the tidy claims table) as plain text, none left out: one block
    per claim, in the table's order, numbered. Line 1: id, when said (speaker's local day or
    minute, ``+-1d`` for approx), whose claim it is (``claimant``; ``<- speaker`` when the source
    quotes someone else reporting it), type and, for counts, the number as stated, what was
    counted and the direction. Line 2 on: the quote with its kind (``direct`` = the speaker's
    words, ``paraphrase`` = the outlet's), or the curator's note where there is no quote.

    >>> row = {"claim_id": "x-1", "said_from": pd.Timestamp("2025-03-18 21:00", tz="UTC"),
    ...        "said_tz": "Europe/Moscow", "said_precision": "day", "claimant": "putin",
    ...        "claimant_name": "Vladimir Putin", "speaker": "zelenskyy", "speaker_name": "Zelenskyy",
    ...        "claim_type": "commitment", "count_number_text": None, "count_noun": None,
    ...        "count_metric": None, "direction": None, "quote": "ordered a stop", "quote_kind": "direct",
    ...        "notes": None}
    >>> print(claims_table(pd.DataFrame([row])))
     1 x-1  2025-03-19  Vladimir Putin <- Zelenskyy  commitment
       direct quote of Zelenskyy: "ordered a stop"
    """
    import textwrap

    lines = []
    id_width = int(claims["claim_id"].str.len().max()) if len(claims) else 0
    for n, row in enumerate(claims.itertuples(index=False), start=1):  # formatting text, row by row
        who = row.claimant_name if row.speaker == row.claimant else f"{row.claimant_name} <- {row.speaker_name}"
        head = f"{n:>2} {row.claim_id:<{id_width}}  {_said_text(row.said_from, row.said_tz, row.said_precision)}"
        head += f"  {who}  {row.claim_type}"
        if pd.notna(row.count_number_text):
            head += f": {row.count_number_text} {row.count_noun} {row.count_metric}"
            if pd.notna(row.direction):
                head += f" ({row.direction})"
        if pd.notna(row.quote):
            text = (f"direct quote of {row.speaker_name}: " if row.quote_kind == "direct"
                    else f"the outlet's paraphrase of {row.speaker_name}: ") + f'"{row.quote}"'
        elif pd.notna(row.notes):
            text = f"no quote; curator's note: {row.notes}"
        else:
            text = "no quote, no note"
        lines.extend(textwrap.wrap(head, width=width, subsequent_indent=" " * (id_width + 5),
                                   break_on_hyphens=False) if len(head) > width else [head])
        lines.extend(textwrap.wrap(text, width=width, initial_indent="   ", subsequent_indent="     "))
    return "\n".join(lines)


# --- the build step ---------------------------------------------------------------------------

NEEDS = ("claims", "strikes", "mod_posts", "mod_post_regions", "strike_regions")
"""The tables the ``claim_checks`` step is handed."""


def build(inputs: StepInputs) -> StepResult:
    """Build step ``claim_checks``: the claims checked against the record tables it is handed."""
    return StepResult(tables={"claim_checks": check_claims(**{t: inputs.tables[t] for t in NEEDS})},
                      schemas=SCHEMAS, ledgers=[], id_columns={"claim_checks": "claim_id"})


SCHEMAS = {"claim_checks": SCHEMA}


# --- claims about the truces, side by side ----------------------------------------------------

AFTER_DAYS = 2
"""A count whose period ends within this many days after a truce's end is "after" that truce (the
first nights after it)."""


def truce_tallies(claims: pd.DataFrame, checks: pd.DataFrame, windows: pd.DataFrame) -> pd.DataFrame:
    """Every numeric claim about a calendar truce, with its verdict: one row per count claim whose
    counted period (or, without one, the time it was said) lies in a window of ``windows``
    (``ceasefire_windows``, any definition) or ends within :data:`AFTER_DAYS` after it.

    Columns: ``window_id``, ``when`` (``during`` / ``after``), ``claimant_side`` (who counts),
    ``subject_side`` (whose conduct), ``claimant``, ``claim_id``, ``said_from``, ``count_metric``, ``count_noun``,
    ``count_number_text``, ``value_low``, ``value_high``, ``period_start``, ``period_end`` (UTC;
    null when the claim names no period), ``verdict``, ``recorded_value``, ``records_claimant``.
    A claim linked by ``count_window_id`` belongs to that window."""
    counts = claims[claims["claim_type"] == "count"].copy()
    spans = windows.dropna(subset=["start", "end"]).groupby("window_id").agg(start=("start", "min"), end=("end", "max"))
    start = counts["window_start"].dt.tz_convert("UTC")
    end = counts["window_end"].dt.tz_convert("UTC")
    probe = (start + (end - start) / 2).fillna(counts["said_from"])
    rows = []
    for wid, span in spans.iterrows():  # a dozen calendar windows
        during = (probe >= span["start"]) & (probe < span["end"])
        after = (probe >= span["end"]) & (probe < span["end"] + pd.Timedelta(days=AFTER_DAYS))
        linked = counts["count_window_id"] == wid
        for when, mask in (("during", (during | linked)), ("after", after & ~linked)):
            part = counts[mask.fillna(False)]
            rows.append(part.assign(window_id=wid, when=when, period_start=start[part.index],
                                    period_end=end[part.index]))
    table = pd.concat(rows, ignore_index=True) if rows else counts.iloc[0:0]
    verdict = verdicts(checks).set_index("claim_id")[["verdict", "recorded_value", "records_claimant"]]
    table = table.join(verdict, on="claim_id")
    columns = ["window_id", "when", "claimant_side", "subject_side", "claimant", "claim_id", "said_from",
               "count_metric", "count_noun", "count_number_text", "value_low", "value_high", "period_start",
               "period_end", "verdict", "recorded_value", "records_claimant"]
    return table[columns].sort_values(["window_id", "when", "count_metric", "claimant_side", "said_from",
                                       "claim_id"], ascending=[True, False, True, True, True, True],
                                      kind="stable").reset_index(drop=True)


def side_by_side(tallies: pd.DataFrame, metric: str = "violations") -> pd.DataFrame:
    """Each side's tallies of ``metric`` per truce: one row per window and counting side, the numbers
    as stated (joined by semicolons, in time order) and whose conduct they count. Two sides' tallies of each
    other are two claims, never one comparison."""
    part = tallies[(tallies["count_metric"] == metric) & (tallies["when"] == "during")]
    return (part.groupby(["window_id", "claimant_side", "subject_side"], sort=True)
            .agg(tallies=("count_number_text", lambda s: "; ".join(s)), claims=("claim_id", "size"),
                 claimants=("claimant", lambda s: ", ".join(dict.fromkeys(s))))
            .reset_index())
