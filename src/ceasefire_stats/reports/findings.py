"""The findings: each key answer as Markdown computed from the tables when it is shown.

A reviewer reads the answers before the code. Every number here is computed from the tables
(and the analysis functions) at the moment the text is made, never typed, so a notebook's
conclusion and the site's findings page cannot drift from the tables above them. Each block
returns MyST Markdown; notebooks show it with ``IPython.display.Markdown`` and the site's
findings page (:func:`page`) joins the blocks, each with a link to the notebook section that
shows the numbers.

>>> fmt_int(54616)
'54,616'
>>> fmt_interval(0.8123, 0.5, 1.31)
'0.81 (95% CI 0.50-1.31)'
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ceasefire_stats.analysis import claim_checks, mod_parser_accuracy, rates, truce_summary
from ceasefire_stats.panels import mod as panels_mod
from ceasefire_stats.panels import strikes as panels_strikes
from ceasefire_stats.vocab import NATIONAL_BODY


def fmt_int(value: object) -> str:
    """A count with thousands separators (``"missing"`` when missing)."""
    return "missing" if pd.isna(value) else f"{int(value):,}"


def fmt_share(num: float, den: float, digits: int = 0) -> str:
    """``num / den`` as a percentage."""
    return f"{100 * num / den:.{digits}f}%" if den else "missing"


def fmt_interval(estimate: float, low: float, high: float, digits: int = 2, level: str = "95% CI") -> str:
    """An estimate with its interval, rounded for reading."""
    if pd.isna(estimate):
        return "no estimate"
    if pd.isna(low) or pd.isna(high):
        return f"{estimate:.{digits}f} (no interval)"
    return f"{estimate:.{digits}f} ({level} {low:.{digits}f}-{high:.{digits}f})"


def _day(value: object) -> str:
    return pd.Timestamp(value).strftime("%-d %B %Y")


def mod_claims(posts: pd.DataFrame, regions: pd.DataFrame, labels: pd.DataFrame | None = None) -> str:
    """The conclusion of notebook 02: how many drones the MoD claims, where, with the overlap
    rule's bounds, and how far the parsing can be trusted."""
    daily = panels_mod.daily_interceptions(posts)
    reported = daily.dropna(subset=["drones_destroyed"])
    q1, med, q3 = reported["drones_destroyed"].quantile([0.25, 0.5, 0.75]).tolist()
    total, low, high = (daily[c].sum() for c in ("drones_destroyed", "drones_destroyed_low", "drones_destroyed_high"))
    summary = panels_mod.overlap_summary(posts)
    top = mod_parser_accuracy.top_regions(posts, regions, n=5).set_index("row")
    counted = top.loc["total_counted"]
    region_rows = top.loc[["region"]]
    leaders = ", ".join(f"{r.region_name} ({fmt_int(r.drones)})" for r in region_rows.itertuples())
    unplaced = int(top.loc["no_region_count", "drones"])
    lists = mod_parser_accuracy.breakdown_consistency(posts).loc["whole lists summing to headline"]
    naive = mod_parser_accuracy.naive_vs_parsed(posts).loc["all"]
    unwindowed = top.loc["left_out_no_headline_or_window"]
    parts = [
        f"**How many.** The daily series runs from {_day(daily.index[0])} to {_day(daily.index[-1])} "
        f"({fmt_int(len(daily))} days). On {fmt_int(len(reported))} of those days the file holds at least one "
        f"intercept report; the other {fmt_int(len(daily) - len(reported))} are missing, not zero. On a day with a "
        f"report the MoD claims a median of {med:.0f} drones destroyed (quartiles {q1:.0f} and {q3:.0f}, maximum "
        f"{reported['drones_destroyed'].max():.0f}); in all {fmt_int(total)} drones in {fmt_int(counted['reports'])} "
        f"counted reports. {fmt_int(unwindowed['reports'])} intercept reports without a headline count or a window "
        "end are not in the series.",
        f"**Overlapping reports.** A covering summary restates the interim posts its stated window holds "
        f"(`nights.mod_report_restates`): {fmt_int(summary['reports_left_out'])} reports "
        f"({fmt_int(summary['drones_left_out'])} drones) are restated by a report of the same day and left out. "
        f"An evening post inside the next morning's summary counts on its own day, so a sum over days counts it "
        f"twice: the low bound, which counts no drone twice, totals {fmt_int(low)} drones "
        f"({fmt_int(total - low)} fewer), the high bound (every report) {fmt_int(high)}; the bounds differ on "
        f"{fmt_int(daily['overlap_flag'].sum())} days.",
        f"**Where.** {leaders} lead the breakdowns. {fmt_int(unplaced)} of the {fmt_int(counted['drones'])} drones "
        f"({fmt_share(unplaced, counted['drones'])}) are in no regional item (texts cut at 400 characters, reports "
        "without a list), so every region's figure is a lower bound.",
        f"**How far to trust the parsing.** {fmt_share(lists['share'], 1, 1)} of the {fmt_int(lists['reports'])} "
        f"whole regional lists in the file sum to their headline. The scrape's own `drone_count` agrees with the "
        f"parsed total in only {fmt_share(naive['agree'], naive['reports'])} of reports "
        f"({fmt_int(naive['naive_sum'])} against {fmt_int(naive['parsed_sum'])} drones over the reports with a "
        "headline): it must not be used.",
    ]
    if labels is not None:
        acc = mod_parser_accuracy.accuracy(labels, posts, regions).set_index("measure")
        exact = acc.loc["total: exact match (intercept reports)"]
        right = round(exact["value"] * exact["n"])
        lo, hi = rates.clopper_pearson(right, int(exact["n"]))
        parts[-1] = (f"**How far to trust the parsing.** On the {fmt_int(exact['n'])} hand-labelled intercept "
                     f"reports the parser reads {fmt_int(right)} headline totals right (exact 95% interval "
                     f"{100 * lo:.1f}-{100 * hi:.1f}%); the labels were seen during development, so this is a "
                     "development-set figure. " + parts[-1].split("** ", 1)[1])
    parts.append("**Uncertainty.** Every number is a claim of one side (`claimant = ru_mod`, `direction = ua_to_ru`), "
                 "not a verified count, and says nothing about the Air Force's figures in the other direction. The "
                 "file is a keyword-filtered scrape: a day without a report is unknown and a post the filter missed "
                 "is absent.")
    return "\n\n".join(parts)


def seed_numbers(strikes: pd.DataFrame, mod_posts: pd.DataFrame, mod_post_regions: pd.DataFrame,
                 claim_checks: pd.DataFrame, night: str = "2025-03-19") -> str:
    """The seed article's two numbers, "150 drones" (Ukraine's count of Russian drones launched
    at Ukraine) and "57 intercepted" (Russia's claim about Ukrainian drones over Russia), each
    against its own side's records: two directions, two claimants, never one comparison."""
    day = pd.Timestamp(night)
    af = strikes[(strikes["reporting_body"] == "air_force") & ~strikes["date_only"].astype(bool)
                 & (strikes["attribution_date"] == day)]
    by_model = af.groupby("model", sort=False)["launched"].sum()
    parts = " + ".join(f"{fmt_int(n)} {m}" for m, n in by_model.items())
    drones = af.loc[af["weapon_class"].isin(["attack_drone", "drone", "decoy_drone"]), "launched"].sum()
    checks = claim_checks.set_index(["claim_id", "basis"])
    zel = checks.loc[("seed-zelenskyy-150-drones", "same_class")]
    mod_check = checks.loc[("seed-rumod-57-intercepted", "headline")]
    mod_night = mod_posts[mod_posts["post_id"].isin(str(mod_check["record_ids"]).split("|"))]
    reg = mod_post_regions[mod_post_regions["post_id"].isin(mod_night["post_id"])]
    reg_parts = " + ".join(fmt_int(v) for v in reg.sort_values("drones_destroyed", ascending=False)["drones_destroyed"])
    return "\n\n".join([
        f"**\"150 drones\" (Zelenskyy; Russian drones launched at Ukraine, `ru_to_ua`).** The Air Force's national "
        f"report for the night ending {_day(day)} counts {fmt_int(af['launched'].sum())} weapons launched: {parts}. "
        f"The claim names drones, so it is checked against the {fmt_int(drones)} drones: read as "
        f"{fmt_int(zel['value_low'])}-{fmt_int(zel['value_high'])} (a round number), it is "
        f"**{zel['verdict'].replace('_', ' ')}** with the record {fmt_int(zel['recorded_value'])}.",
        f"**\"57 intercepted\" (the Russian MoD; Ukrainian drones over Russia, `ua_to_ru`).** The MoD's own posts "
        f"for that night (the overnight report the claims check selects) claim "
        f"{fmt_int(mod_night['drones_destroyed'].sum())} drones destroyed, by region {reg_parts}: the claim "
        f"**{mod_check['verdict'].replace('_', ' ')}** "
        "(it is the MoD's own number; no independent record of drones over Russia exists in these sources).",
        _seed_context(strikes, mod_posts, day),
        "**What the data cannot say.** Neither number is verified by the other side; the two counts are of "
        "different weapons in opposite directions and are never compared with each other.",
    ])


def _seed_context(strikes: pd.DataFrame, mod_posts: pd.DataFrame, day: pd.Timestamp, days: int = 5) -> str:
    """Was the night unusual? Each side's own daily series over ``days`` either side, apart."""
    first, last = day - pd.Timedelta(days=days), day + pd.Timedelta(days=days)
    panel = panels_strikes.daily_panel(strikes, bodies=[NATIONAL_BODY], classes=["attack_drone"])
    af = panel.loc[first:last, ("launched", NATIONAL_BODY, "attack_drone")].dropna()
    mod = panels_mod.daily_interceptions(mod_posts).loc[first:last, "drones_destroyed"].dropna()

    def spread(series: pd.Series, what: str) -> str:
        return (f"{series.min():.0f}-{series.max():.0f} {what} (median {series.median():.0f}; "
                f"{_day(day).rsplit(' ', 1)[0]}: {fmt_int(series.get(day))}; {len(series)} days with a report)")

    return (f"**Was the night unusual?** From {_day(first)} to {_day(last)} the Air Force reported "
            f"{spread(af, 'drones launched a night')}, and the MoD claimed "
            f"{spread(mod, 'drones destroyed a Moscow date')}: two claimants' series, shown apart, never compared.")


def _rate(rows: pd.DataFrame, measure: str, method: str) -> str:
    row = rows[(rows["measure"] == measure) & (rows["method"] == method)].iloc[0]
    return f"{100 * row['estimate']:.0f}% (95% CI {100 * row['ci_low']:.0f}-{100 * row['ci_high']:.0f}%)"


def air_force_strikes(strikes: pd.DataFrame, ledger: object, first: str = "2025-03-18", last: str = "2025-03-21",
                      context: tuple[str, str] = ("2025-01-01", "2025-04-30")) -> str:
    """The conclusion of notebook 01: how complete and consistent the Air Force file is, and
    the nights ``first``-``last`` (attribution dates) against the reported nights of ``context``,
    with interception rates and their intervals (:func:`ceasefire_stats.analysis.rates.interception_rate`)."""
    cover = panels_strikes.coverage(strikes, freq="YS")[NATIONAL_BODY]
    national = strikes[strikes["reporting_body"] == NATIONAL_BODY]
    start, end = national["attribution_date"].min(), national["attribution_date"].max()
    years = []
    for period, days in cover.items():
        lo, hi = max(period, start), min(period + pd.offsets.YearEnd(0), end)
        years.append(f"{fmt_int(days)} of {fmt_int((hi - lo).days + 1)} days of {period.year}")
    summary = ledger.summary()
    flags = ledger.flags["flag"].value_counts()
    flag_text = ", ".join(f"{fmt_int(n)} `{name}`" for name, n in flags.items())
    totals = panels_strikes.night_totals(strikes, first, last).reset_index()
    drones = totals[totals["class_group"] == "drone"]
    missiles = totals[totals["class_group"] == "missile"]
    panel = panels_strikes.daily_panel(strikes, bodies=[NATIONAL_BODY], classes=["attack_drone"])
    ctx = panel.loc[context[0]:context[1], ("launched", NATIONAL_BODY, "attack_drone")].dropna()
    q1, med, q3 = ctx.quantile([0.25, 0.5, 0.75]).tolist()
    march = rates.interception_rate(drones.rename(columns={"attribution_date": "night"}), night="night")
    nights = panel.loc[context[0]:context[1]].stack(level=[1, 2], future_stack=True).dropna(subset=["launched"])
    season = rates.interception_rate(nights.reset_index(), night="date")
    dates = [pd.Timestamp(d) for d in drones["attribution_date"]]
    days = ", ".join(str(d.day) for d in dates[:-1]) + f" and {_day(dates[-1])}" if len(dates) > 1 else _day(dates[0])
    missile_text = "; ".join(f"{r.models} ({fmt_int(r.launched)} launched, {fmt_int(r.destroyed)} destroyed) on the "
                             f"night ending {_day(r.attribution_date)}" for r in missiles.itertuples())
    return "\n\n".join([
        f"**Completeness.** The national Air Force series has an entry on {'; '.join(reversed(years))} in the file "
        f"({_day(start)} to {_day(end)}): before 2025 a day without an entry is often a day not digitised, which is "
        "why the default policy leaves it missing rather than zero. The regional commands' series are separate and "
        "never added to the national one.",
        f"**Consistency.** Of {fmt_int(summary['in'])} raw rows, {fmt_int(summary['kept'])} are kept and "
        f"{fmt_int(summary['rejected'])} rejected with a reason; {fmt_int(summary['flagged'])} kept rows "
        f"({fmt_share(summary['flagged'], summary['kept'], 1)}) break a soft invariant and are listed above "
        f"({flag_text}). A figure the file does not give stays missing.",
        f"**The nights ending {days}.** Each night is one national report: {', '.join(fmt_int(v) for v in drones['launched'])} "
        f"Shahed-type drones launched, and missiles: {missile_text or 'none'}. Drones and missiles are separate rows, "
        f"never one figure. Pooled over these {len(drones)} nights, the Air Force reports {_rate(march, 'destroyed', 'quasibinomial')} "
        f"of the drones destroyed and {_rate(march, 'stopped', 'quasibinomial')} destroyed or lost from radar "
        "(quasi-binomial intervals, which allow nights to differ). Against the "
        f"{fmt_int(len(ctx))} reported nights of {_day(context[0])} to {_day(context[1])} (median {med:.0f} drones, "
        f"quartiles {q1:.0f} and {q3:.0f}, maximum {ctx.max():.0f}; destroyed {_rate(season, 'destroyed', 'night_cluster')}, "
        f"stopped {_rate(season, 'stopped', 'night_cluster')}, night-clustered intervals) they are busy nights, "
        "not outliers.",
        "**What the data cannot say.** These are one side's own counts of what it detected (`claimant = ua_air_force`), "
        "with no independent check; the Shahed figure includes decoys the Air Force does not count apart, and "
        "lost-from-radar mixes decoys with electronic warfare, so the two rates bracket the share stopped rather "
        "than measure it. Nothing here tests an effect of the 18 March call (notebook 04 tests the declared windows).",
    ])


def source_versions(diffs: dict[str, object]) -> str:
    """The conclusion of notebook 06 from the diffs of each earlier version against the pinned
    file (``{label: versions.diff.diff`` result``}``): what upstream changed and whether any
    revision moves a count or a daily total."""
    parts, any_count = [], False
    for label, diff in diffs.items():
        rows, daily = diff.rows, diff.daily
        revised = rows[rows["change"] == "revised"]
        counted = int(revised["count_change"].fillna(False).astype(bool).sum())
        any_count |= counted > 0
        repaired = rows[rows["change"] == "repaired"]
        every = daily[daily["weapon_class"] == "(all)"] if len(daily) else daily
        on_repaired = set(pd.to_datetime(every["attribution_date"])) <= set(pd.to_datetime(repaired["attribution_date"]))
        moved = daily[daily["weapon_class"] != "(all)"]
        text = (f"**{label} against the pinned file.** {diff.headline()}. {fmt_int(len(revised))} field revisions "
                f"({fmt_int(int(revised['cosmetic'].fillna(False).astype(bool).sum()))} cosmetic), {fmt_int(counted)} "
                "of them to a count. ")
        if len(every):
            text += (f"Over all weapon classes {fmt_int(every['attribution_date'].nunique())} national daily totals "
                     "differ, " + ("all on the days of rows the old version could not read (repaired upstream). "
                                   if on_repaired else "not only on the days of repaired rows. "))
        else:
            text += "No national daily total over all weapon classes differs. "
        if len(moved):
            text += (f"Per weapon class, {fmt_int(len(moved))} daily figures differ, where renamed models moved "
                     "between classes.")
        parts.append(text.strip())
    parts.append("**What it means.** Upstream revises earlier rows in place" + (
                 ", and some revisions change counts: a result should name the version it was built on." if any_count else
                 ", but in these versions never a count of a matched entry: an analysis of daily totals over all "
                 "weapons gives the same numbers on any of them, except on days whose rows an older version could not read; per-class series can move when models "
                 "are renamed, so a per-class result should name the version it was built on (`cs.load(..., "
                 "versions=...)`)."))
    return "\n\n".join(parts)


def truce_effects(effects: pd.DataFrame, windows: pd.DataFrame) -> str:
    """Did the counts change during each planned truce window? The primary analysis of each window
    and series (declared in the committed analysis plan before the results), with its interval, the
    reporting check and the calibrated curve around it (:func:`ceasefire_stats.analysis.truce_summary.findings`)."""
    prim = effects[effects["primary"]]
    estimated = prim.dropna(subset=["rate_ratio"])
    excluding = estimated[(estimated["ci_low"] > 1) | (estimated["ci_high"] < 1)]
    return "\n\n".join([
        f"One primary analysis per window and series, declared in `curated/analysis_plan` before the results "
        f"(`analysis.window_effect`: a rate ratio of the window against the weeks around it, with an interval "
        f"whose coverage was simulated on designs like these). Of {fmt_int(len(prim))} primary rows, "
        f"{fmt_int(len(estimated))} have an estimate and {fmt_int(len(excluding))} exclude no change "
        "(a ratio of 1); the rest say why there is none.",
        truce_summary.findings(effects, windows),
        "**What the data cannot say.** A window with every day missing has no estimate (the Air Force posted no "
        "national report on those nights: missing, not zero). A ratio is one side's own count (launches counted by "
        "Ukraine, interceptions claimed by Russia), never a comparison of the two; short windows give wide "
        "intervals, and the specification curve's rows are not independent votes: read them beside the share "
        "that excludes 1 at placebo dates.",
    ])


def reference_its(reproduction: pd.DataFrame) -> str:
    """The conclusion of notebook 05 from :func:`ceasefire_stats.analysis.reference.reproduction`:
    whether the package's ITS code reproduces each published model, and by how much at most."""
    models = "; ".join(f"{r.model}: published {r.published}, ours {r.ours}" for r in reproduction.itertuples())
    worst = reproduction["max_abs_diff"].max()
    same = worst < 5e-5  # the paper prints 4 decimals: within half a unit of the last one
    return "\n\n".join([
        f"**The reproduction.** {models}. The largest difference of any estimate or bound is {worst:.5f}: "
        + ("every published number is reproduced to the paper's 4 decimals." if same else
           "**not** every published number is reproduced to the paper's 4 decimals."),
        "**What it cannot check.** The reference is monthly and aggregate; the daily machinery of the truce "
        "question (NB2 profile intervals, the design effect, the permutation p-value, the placebo) is checked by "
        "the seeded Monte Carlo tests instead (`tests/analysis/test_window_effect_montecarlo.py`, docs/analysis.md).",
    ])


SIDE_NAMES = {"RU": "Russia", "UA": "Ukraine"}
METRIC_WORDS = {"violations": "violations of the truce", "energy_strikes": "strikes on energy sites",
                "attacks": "attacks (assaults, shellings, drone strikes)"}


def truce_claims(claims: pd.DataFrame, checks: pd.DataFrame, windows: pd.DataFrame) -> str:
    """The claims about each 2025 truce, side by side (:func:`ceasefire_stats.analysis.claim_checks.truce_tallies`):
    each side's tallies of the other's conduct, the nights after, and what the records can check."""
    tallies = claim_checks.truce_tallies(claims, checks, windows)
    names = windows.drop_duplicates("window_id").set_index("window_id")["name"] if "name" in windows else {}
    parts = []
    for wid, part in tallies.groupby("window_id", sort=True):
        during = part[part["when"] == "during"]
        lines = []
        for metric in ("violations", "energy_strikes"):
            table = claim_checks.side_by_side(part, metric)
            for row in table.itertuples():
                lines.append(f"{SIDE_NAMES.get(row.claimant_side, row.claimant_side)} ({row.claimants}) counted "
                             f"{row.tallies} {METRIC_WORDS[metric]} by {SIDE_NAMES.get(row.subject_side, row.subject_side)}")
        after = part[(part["when"] == "after") & (part["records_claimant"] == "ua_air_force")]
        if len(after):
            nights = ", ".join(f"{r.count_number_text} {r.count_noun} {r.count_metric.replace('_', ' ')}"
                               for r in after.itertuples())
            lines.append(f"the Air Force's first night after: {nights} (its own report, `{after['verdict'].iloc[0]}`)")
        verdicts = during["verdict"].value_counts()
        checkable = int(verdicts.drop("not_checkable", errors="ignore").sum())
        title = names.get(wid, wid) if hasattr(names, "get") else wid
        parts.append(f"**{title}** (`{wid}`): " + "; ".join(lines) + (". " if lines else "")
                     + f"Of the {fmt_int(len(during))} count claims made about the window, "
                     f"{fmt_int(int(verdicts.get('not_checkable', 0)))} are `not_checkable` (no loaded record counts "
                     f"violations, attacks or targets) and {fmt_int(checkable)} can be set against a record.")
    parts.append("**What the data cannot say.** The two sides' tallies count each other's conduct with their own "
                 "definitions: they are two claims, never one comparison, and no record here counts violations. "
                 "Where a number is checked against the body that published it, `matches_source` means the outlet "
                 "reported it faithfully, not that it is true.")
    return "\n\n".join(parts)


#: the findings page's blocks: (title, the notebook section that shows it, the block as a function
#: of a table loader, how many of its first paragraphs the README's short section quotes)
BLOCKS: list[tuple[str, str, Callable[[Callable[[str], pd.DataFrame]], str], int]] = [
    ("Did launches and claimed interceptions change during the truces?", "notebooks/04_ceasefire_windows.ipynb#conclusion",
     lambda load: truce_effects(load("truce_effects"), load("ceasefire_windows")), 2),
    ("The seed article's \"150 drones\" and \"57 intercepted\"", "notebooks/03_claims_march_2025.ipynb#conclusion",
     lambda load: seed_numbers(load("strikes"), load("mod_posts"), load("mod_post_regions"), load("claim_checks")), 2),
    ("What each side claimed about the 2025 truces", "notebooks/03_claims_march_2025.ipynb#conclusion-the-2025-truces",
     lambda load: truce_claims(load("claims"), load("claim_checks"), load("ceasefire_windows")), 3),
    ("What the MoD claims, day by day", "notebooks/02_mod_claims.ipynb#conclusion",
     lambda load: mod_claims(load("mod_posts"), load("mod_post_regions")), 2),
]


def page(load: Callable[[str], pd.DataFrame]) -> str:
    """The site's findings page (MyST Markdown): one section per question of :data:`BLOCKS`,
    each computed from the tables ``load(name)`` returns and linked to its notebook."""
    out = ["# Findings\n",
           "The answers first. Every number on this page is computed from the tables when the site is "
           "rendered (`ceasefire_stats.reports.findings`), never typed; each section links to the notebook "
           "that shows the tables and figures behind it.\n"]
    for title, where, block, _ in BLOCKS:
        name = where.split("/")[-1].split(".")[0]
        out.append(f"## {title}\n\n{block(load)}\n\nShown in [notebook {name}]({where}).\n")
    return "\n".join(out)


README_START = "<!-- findings: generated by `make findings` (ceasefire_stats.reports.findings); do not edit by hand -->"
README_END = "<!-- end of findings -->"


def readme_section(load: Callable[[str], pd.DataFrame]) -> str:
    """The README's short findings section: the first paragraph of each block of :data:`BLOCKS`
    (computed from the tables, like the site's page), between :data:`README_START` and
    :data:`README_END`. ``tests/reports/test_findings.py`` fails when the README's copy differs."""
    out = [README_START, ""]
    for title, where, block, paragraphs in BLOCKS:
        quoted = block(load).split("\n\n")[:paragraphs]
        out.append(f"### {title}\n\n" + "\n\n".join(quoted) + f"\n\n([notebook]({where}))\n")
    out += ["", "The whole findings page, with what the data cannot say for each answer, is the first page of the "
            "rendered site (`make site`, `build/site/findings.html`).", README_END]
    return "\n".join(out)


def update_readme(path: str, load: Callable[[str], pd.DataFrame]) -> bool:
    """Rewrite the findings section of the README at ``path``; True when it changed."""
    from pathlib import Path

    readme = Path(path)
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(README_START), text.index(README_END) + len(README_END)
    new = text[:start] + readme_section(load) + text[end:]
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # make findings: python -m ceasefire_stats.reports.findings README.md
    import sys

    from ceasefire_stats import pipeline

    update_readme(sys.argv[1], pipeline.load)


__all__ = ["README_END", "README_START", "readme_section", "reference_its", "truce_effects", "update_readme", "BLOCKS", "truce_claims", "air_force_strikes", "fmt_int", "source_versions", "fmt_interval", "fmt_share", "mod_claims", "page", "seed_numbers"]
