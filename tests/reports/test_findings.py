"""The findings are computed from the tables: change a table and the text changes with it."""

from __future__ import annotations

import pandas as pd
import pytest

from ceasefire_stats.reports import findings


def _posts(rows):
    msk = lambda s: pd.Timestamp(s, tz="Europe/Moscow")  # noqa: E731
    return pd.DataFrame({
        "post_id": [r[0] for r in rows], "kind": "intercept_report", "window_kind": "range",
        "window_start": [msk(r[1]) for r in rows], "window_end": [msk(r[2]) for r in rows],
        "drones_destroyed": pd.array([r[3] for r in rows], dtype="Int64"),
        "breakdown_status": "none", "drone_count_source": pd.array([r[3] for r in rows], dtype="Int64"),
        "posted_at_msk": [msk(r[2]) for r in rows]})


def test_the_mod_conclusion_quotes_the_series_and_its_bounds():
    posts = _posts([("20250527-0705-a", "2025-05-26 20:00", "2025-05-27 07:00", 99),
                    ("20250528-0038-b", "2025-05-27 21:00", "2025-05-28 00:00", 112),
                    ("20250528-0834-c", "2025-05-27 21:00", "2025-05-28 07:00", 296)])
    regions = pd.DataFrame({"post_id": ["20250528-0834-c"], "region_id": ["RU-BRY"], "region_name": ["Bryansk"],
                            "drones_destroyed": pd.array([200], dtype="Int64")})
    text = findings.mod_claims(posts, regions)
    assert "in all 507 drones in 3 counted reports" in text  # 99 + 112 + 296, the value counts the evening post
    assert "totals 395 drones (112 fewer)" in text  # the low bound drops it: 99 + 296
    assert "Bryansk (200)" in text
    bigger = posts.assign(drones_destroyed=pd.array([100, 112, 296], dtype="Int64"))
    assert "in all 508 drones" in findings.mod_claims(bigger, regions)


def test_formats():
    assert findings.fmt_int(float("nan")) == "missing"
    assert findings.fmt_interval(1.0, float("nan"), 2.0) == "1.00 (no interval)"
    assert findings.fmt_share(1, 4) == "25%"


@pytest.mark.realdata
def test_the_seed_numbers_come_from_both_sides_records():
    import ceasefire_stats as cs

    text = findings.seed_numbers(cs.load("strikes"), cs.load("mod_posts"), cs.load("mod_post_regions"),
                                 cs.load("claim_checks"))
    assert "counts 151 weapons launched: 145 Shahed-136/131 + 2 Iskander-M + 4 C-300" in text
    assert "checked against the 145 drones" in text and "**consistent** with the record 145" in text
    assert "claim 57 drones destroyed, by region 35 + 13 + 7 + 1 + 1" in text
    page = findings.page(cs.load)
    assert page.startswith("# Findings") and page.count("\n## ") == len(findings.BLOCKS)
    assert "Shown in [notebook 03_claims_march_2025](notebooks/03_claims_march_2025.ipynb#conclusion)" in page


@pytest.mark.realdata
def test_the_air_force_conclusion_quotes_the_nights_and_their_intervals():
    import ceasefire_stats as cs

    strikes = cs.load("strikes")
    text = findings.air_force_strikes(strikes, cs.pipeline.load_ledger("airforce_strikes"))
    nights = cs.panels.strikes.night_totals(strikes, "2025-03-18", "2025-03-21").reset_index()
    drones = nights[nights["class_group"] == "drone"]
    assert ", ".join(str(v) for v in drones["launched"]) + " Shahed-type drones" in text
    rate = cs.analysis.rates.interception_rate(drones, night="attribution_date").set_index(["measure", "method"])
    q = rate.loc[("destroyed", "quasibinomial")]
    assert f"{100 * q['estimate']:.0f}% (95% CI {100 * q['ci_low']:.0f}-{100 * q['ci_high']:.0f}%)" in text
    assert "The nights ending 18, 19, 20 and 21 March 2025" in text


def test_the_versions_conclusion_says_whether_a_count_moved():
    from types import SimpleNamespace

    rows = pd.DataFrame({"change": ["revised", "revised", "repaired", "appended"],
                         "cosmetic": [True, False, False, False], "count_change": [False, False, False, False],
                         "attribution_date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-02-12", "2025-05-01"])})
    daily = pd.DataFrame({"attribution_date": pd.to_datetime(["2025-02-12", "2025-02-12"]),
                          "weapon_class": ["(all)", "attack_drone"]})
    diff = SimpleNamespace(rows=rows, daily=daily, headline=lambda: "a -> pinned: 3 entries matched")
    text = findings.source_versions({"a": diff})
    assert "2 field revisions (1 cosmetic), 0 of them to a count" in text
    assert "1 national daily totals differ, all on the days of rows the old version could not read" in text
    assert "never a count of a matched entry" in text
    moved = SimpleNamespace(rows=rows.assign(count_change=[False, True, False, False]), daily=daily,
                            headline=diff.headline)
    assert "some revisions change counts" in findings.source_versions({"a": moved})


@pytest.mark.realdata
def test_the_readmes_findings_are_the_tables_findings():
    """`make findings` rewrites the README's section; this fails when the tables moved and it was not run."""
    import ceasefire_stats as cs
    from ceasefire_stats.core import paths

    readme = (paths.checkout_root() / "README.md").read_text(encoding="utf-8")
    start = readme.index(findings.README_START)
    end = readme.index(findings.README_END) + len(findings.README_END)
    assert readme[start:end] == findings.readme_section(cs.load)


def test_the_reference_conclusion_says_whether_every_published_number_is_reproduced():
    table = pd.DataFrame({"model": ["Poisson"], "published": ["0.8944 (0.8647-0.9251)"],
                          "ours": ["0.8944 (0.8647-0.9251)"], "max_abs_diff": [0.00002]})
    assert "every published number is reproduced to the paper's 4 decimals" in findings.reference_its(table)
    assert "**not** every" in findings.reference_its(table.assign(max_abs_diff=0.0004))
