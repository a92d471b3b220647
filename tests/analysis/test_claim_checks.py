"""check: claims against hand-built strikes / MoD frames of the contract's shape, and (marked
realdata) against the real tables once the strikes and MoD cleaners are merged."""

from __future__ import annotations

import pandas as pd
import pytest

from ceasefire_stats.analysis import claim_checks as check
from ceasefire_stats.clean import claims as claims_mod
from ceasefire_stats.core.fields import validate
from ceasefire_stats.nights import KYIV, MOSCOW, attribution_date

# --- hand-built frames (numbers as in shared/data MANIFEST case-study rows) ---------------------

STRIKE_ROWS = [
    # strike_id, body, start, end, date_only, model, class, launched, destroyed
    ("s-17-shahed", "air_force", "2025-03-17 19:00", "2025-03-18 09:00", False, "Shahed-136/131", "attack_drone", 137, 63),
    ("s-19-shahed", "air_force", "2025-03-18 19:00", "2025-03-19 08:00", False, "Shahed-136/131", "attack_drone", 145, 72),
    ("s-19-iskander", "air_force", "2025-03-18 19:00", "2025-03-19 08:00", False, "Iskander-M", "ballistic_missile", 2, 0),
    ("s-19-s300", "air_force", "2025-03-18 19:00", "2025-03-19 08:00", False, "C-300", "sam_ground_attack", 4, 0),
    ("s-19-zala", "pvk_pivden", "2025-03-19 00:00", "2025-03-20 00:00", True, "ZALA", "recon_uav", 5, 5),
    ("s-20-shahed", "air_force", "2025-03-19 19:00", "2025-03-20 08:30", False, "Shahed-136/131", "attack_drone", 171, 75),
    ("s-21-shahed", "air_force", "2025-03-20 19:00", "2025-03-21 08:00", False, "Shahed-136/131", "attack_drone", 214, 114),
]
POST_ROWS = [
    # post_id, posted_utc, kind, start MSK, end MSK, destroyed
    ("p-0319-0436", "2025-03-19 04:36", "intercept_report", "2025-03-18 20:00", "2025-03-19 07:00", 57),
    ("p-0319-1533", "2025-03-19 15:33", "intercept_report", "2025-03-19 16:10", "2025-03-19 17:20", 3),
    ("p-0319-2000", "2025-03-19 20:00", "summary", "2025-03-19 00:00", "2025-03-20 00:00", 80),
    ("p-0320-0405", "2025-03-20 04:05", "intercept_report", "2025-03-19 20:00", "2025-03-20 07:00", 132),
]
REGION_ROWS = [("p-0319-0436", "RU-KRS", "Kursk", 35), ("p-0319-0436", "RU-ORL", "Oryol", 13),
               ("p-0319-0436", "SEA-AZOV", "Sea of Azov", 7), ("p-0319-0436", "RU-TUL", "Tula", 1),
               ("p-0319-0436", "RU-BRY", "Bryansk", 1)]


def _ts(values, tz):
    return pd.Series(pd.to_datetime(values)).dt.tz_localize(tz).astype(f"datetime64[us, {tz}]")


def make_strikes(rows=STRIKE_ROWS) -> pd.DataFrame:
    cols = ["strike_id", "reporting_body", "start", "end", "date_only", "model", "weapon_class", "launched", "destroyed"]
    raw = pd.DataFrame(rows, columns=cols)
    ws, we = _ts(raw["start"], KYIV), _ts(raw["end"], KYIV)
    return pd.DataFrame({
        "strike_id": raw["strike_id"], "reporting_body": raw["reporting_body"], "window_start": ws,
        "window_end": we, "date_only": raw["date_only"], "attribution_date": attribution_date(ws, we),
        "model": raw["model"], "model_canonical": raw["model"], "weapon_class": raw["weapon_class"],
        "is_bundle": False, "launched": raw["launched"].astype("Int64"), "destroyed": raw["destroyed"].astype("Int64"),
        "not_reach_goal": pd.array([pd.NA] * len(raw), dtype="Int64"), "claimant": "ua_air_force",
        "direction": "ru_to_ua",
    })


def make_mod_posts(rows=POST_ROWS) -> pd.DataFrame:
    raw = pd.DataFrame(rows, columns=["post_id", "posted", "kind", "start", "end", "destroyed"])
    ws, we = _ts(raw["start"], MOSCOW), _ts(raw["end"], MOSCOW)
    posted = _ts(raw["posted"], "UTC")
    return pd.DataFrame({
        "post_id": raw["post_id"], "raw_row": pd.array(range(2, 2 + len(raw)), dtype="Int64"),
        "posted_at_utc": posted, "posted_at_msk": posted.dt.tz_convert(MOSCOW), "kind": raw["kind"],
        "window_kind": "night", "window_start": ws, "window_end": we, "attribution_date": attribution_date(ws, we),
        "drones_destroyed": raw["destroyed"].astype("Int64"), "footer_total": pd.array([pd.NA] * len(raw), dtype="Int64"),
        "breakdown_status": "ok", "claimant": "ru_mod", "direction": "ua_to_ru",
    })


def make_regions(rows=REGION_ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["post_id", "region_id", "region_name", "drones_destroyed"])
    return frame.astype({"drones_destroyed": "Int64"})


@pytest.fixture(scope="module")
def seed_claims():
    table, _ = claims_mod.read_claims()
    return table


@pytest.fixture(scope="module")
def checks(seed_claims):
    out = check.check_claims(seed_claims, make_strikes(), make_mod_posts(), make_regions())
    return validate(out, check.SCHEMA, "claim_id")


def _row(checks, claim_id, basis):
    sel = checks[(checks["claim_id"] == claim_id) & (checks["basis"] == basis)]
    assert len(sel) == 1, (claim_id, basis, checks.loc[checks["claim_id"] == claim_id, "basis"].tolist())
    return sel.iloc[0]


def test_150_drones_against_air_force_both_bases(checks):
    drones = _row(checks, "seed-zelenskyy-150-drones", "same_class")
    assert drones["verdict_basis"] and drones["verdict"] == "consistent"
    assert drones["recorded_value"] == 145 and drones["difference"] == -5
    assert (drones["value_low"], drones["value_high"]) == (135, 165)
    assert drones["record_ids"] == "s-19-shahed" and drones["records_claimant"] == "ua_air_force"
    assert "round number" in drones["range_rule"] and "150..150" in drones["reason"]
    everything = _row(checks, "seed-zelenskyy-150-drones", "all_means")
    assert not everything["verdict_basis"] and everything["recorded_value"] == 151
    assert everything["record_ids"] == "s-19-iskander|s-19-s300|s-19-shahed"  # no regional daily row
    assert everything["verdict"] == "consistent" and everything["difference"] == 1


def test_150_drones_read_exactly_is_inconsistent(seed_claims):
    out = check.check_claims(seed_claims, make_strikes(), round_numbers_as_about=False)
    row = out[(out["claim_id"] == "seed-zelenskyy-150-drones") & out["verdict_basis"]].iloc[0]
    assert row["verdict"] == "inconsistent" and row["range_rule"] == "exact"


def test_about_tolerance_is_a_parameter(seed_claims):
    tight = check.check_claims(seed_claims, make_strikes(), about_tolerance=0.02)
    row = tight[(tight["claim_id"] == "seed-zelenskyy-150-drones") & tight["verdict_basis"]].iloc[0]
    assert (row["value_low"], row["value_high"]) == (147, 153) and row["verdict"] == "inconsistent"


def test_57_against_mod_post_and_breakdown(checks):
    head = _row(checks, "seed-rumod-57-intercepted", "headline")
    # the MoD's claim against the MoD's own post: a match with its source, not corroboration
    assert head["verdict_basis"] and head["verdict"] == "matches_source"
    assert head["recorded_value"] == 57 and head["record_ids"] == "p-0319-0436"  # not the 15:33 post
    assert head["records_claimant"] == "ru_mod" and head["direction"] == "ua_to_ru"
    assert "claimant's own" in head["reason"] and "not that it is true" in head["reason"]
    parts = _row(checks, "seed-rumod-57-intercepted", "regional_breakdown")
    assert parts["recorded_value"] == 57 and parts["verdict"] == "matches_source"
    assert "same 5 regions" in parts["reason"]


def test_consistent_is_kept_for_another_bodys_records(checks):
    # Zelenskyy's claim against the Air Force's report: two claimants, so "consistent"
    row = _row(checks, "seed-zelenskyy-150-drones", "same_class")
    assert row["claimant"] == "zelenskyy" and row["records_claimant"] == "ua_air_force"
    assert row["verdict"] == "consistent" and "claimant's own" not in row["reason"]
    assert set(check.VERDICTS) == {"consistent", "matches_source", "inconsistent", "not_checkable"}


def test_own_record_that_differs_is_inconsistent(seed_claims):
    posts = make_mod_posts()
    posts.loc[posts["post_id"] == "p-0319-0436", "drones_destroyed"] = 50
    out = check.check_claims(seed_claims, make_strikes(), posts)
    row = out[(out["claim_id"] == "seed-rumod-57-intercepted") & out["verdict_basis"]].iloc[0]
    assert row["verdict"] == "inconsistent" and row["difference"] == -7


def test_breakdown_region_mismatch_is_inconsistent(seed_claims):
    regions = make_regions()
    regions.loc[regions["region_id"] == "SEA-AZOV", "region_id"] = "RU-BEL"
    out = check.check_claims(seed_claims, make_strikes(), make_mod_posts(), regions)
    row = out[(out["claim_id"] == "seed-rumod-57-intercepted") & (out["basis"] == "regional_breakdown")].iloc[0]
    assert row["verdict"] == "inconsistent" and "SEA-AZOV" in row["reason"] and "RU-BEL" in row["reason"]


def test_energy_claims_are_context_only(checks):
    rows = checks[checks["claim_id"] == "seed-russia-stopped-energy-attacks"]
    assert rows["basis"].tolist() == ["night_2025-03-20", "night_2025-03-21", "night_2025-03-22"]
    assert set(rows["verdict"]) == {"not_checkable"} and rows["verdict_basis"].sum() == 1
    assert rows["recorded_value"].tolist()[:2] == [171, 214]
    assert "targets" in rows["reason"].iloc[0] and "cannot confirm or refute" in rows["reason"].iloc[0]
    putin = checks[checks["claim_id"] == "seed-putin-ordered-energy-stop"]
    assert putin["recorded_value"].iloc[0] == 151  # the night after the order: 145 drones + 6 missiles


def test_direction_never_mixed(checks):
    assert set(checks.loc[checks["records_claimant"] == "ua_air_force", "direction"]) == {"ru_to_ua"}
    assert set(checks.loc[checks["records_claimant"] == "ru_mod", "direction"]) == {"ua_to_ru"}


@pytest.mark.parametrize("claim_id,needle", [
    ("seed-zelenskyy-two-hospitals", "not hospitals"),
    ("seed-zelenskyy-20-homes", "not homes"),
    ("seed-zelenskyy-railway", "not railways"),
    ("seed-reportedly-nine-regions", "not regions"),
    ("seed-rumod-cpc-three-drones", "not struck"),
    ("seed-rumod-seven-own-drones", "destroyed by Russia"),
    ("seed-rumod-seven-own-launched", "UA-48 only"),  # 7 at Mykolaiv is not the national 145
])
def test_not_checkable_with_reason(checks, claim_id, needle):
    row = checks[(checks["claim_id"] == claim_id) & checks["verdict_basis"]].iloc[0]
    assert row["verdict"] == "not_checkable" and needle in row["reason"]


def test_tables_not_loaded(seed_claims):
    out = validate(check.check_claims(seed_claims), check.SCHEMA, "claim_id")
    row = out[(out["claim_id"] == "seed-zelenskyy-150-drones")].iloc[0]
    assert row["verdict"] == "not_checkable" and "not loaded" in row["reason"]
    assert check.verdicts(out)["claim_id"].is_unique


def test_pure_function_does_not_modify_inputs(seed_claims):
    strikes, posts = make_strikes(), make_mod_posts()
    before = (strikes.copy(), posts.copy(), seed_claims.copy())
    check.check_claims(seed_claims, strikes, posts, make_regions())
    pd.testing.assert_frame_equal(strikes, before[0])
    pd.testing.assert_frame_equal(posts, before[1])
    pd.testing.assert_frame_equal(seed_claims, before[2])


def test_claims_table_shows_every_claim_with_its_quote_and_speaker(seed_claims):
    text = check.claims_table(seed_claims)
    for claim in seed_claims.itertuples():
        assert claim.claim_id in text
        if pd.notna(claim.quote):
            assert f'"{claim.quote}"' in " ".join(text.split()) or claim.quote[:30] in text
    assert "Vladimir Putin <- Volodymyr Zelenskyy" in text
    assert 'direct quote of Volodymyr Zelenskyy: "ordered a stop' in text
    assert f"{len(seed_claims):>2} " in text and max(map(len, text.splitlines())) <= 140


def test_record_details(checks):
    details = check.record_details(checks, make_strikes(), make_mod_posts())
    sel = details[(details["claim_id"] == "seed-zelenskyy-150-drones") & (details["basis"] == "all_means")]
    assert sorted(sel["what"]) == ["C-300", "Iskander-M", "Shahed-136/131"] and sel["count"].sum() == 151


# --- real data ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_checks(real_table):
    return real_table("claim_checks")


@pytest.mark.realdata
def test_real_150_drones(real_checks):
    drones = _row(real_checks, "seed-zelenskyy-150-drones", "same_class")
    assert drones["recorded_value"] == 145 and drones["verdict"] == "consistent"
    assert _row(real_checks, "seed-zelenskyy-150-drones", "all_means")["recorded_value"] == 151


@pytest.mark.realdata
def test_real_57_intercepted(real_checks):
    head = _row(real_checks, "seed-rumod-57-intercepted", "headline")
    assert head["recorded_value"] == 57 and head["verdict"] == "matches_source"
    parts = _row(real_checks, "seed-rumod-57-intercepted", "regional_breakdown")
    assert parts["recorded_value"] == 57 and parts["verdict"] == "matches_source"


def test_records_are_matched_to_a_night_by_the_one_attribution_rule(seed_claims):
    # an evening strike at 21:20-21:40 belongs to its own date (nights.attribution_date), not to
    # the night that ends the next morning, even though it falls inside 18:00-10:00
    evening = ("s-18-kinzhal", "air_force", "2025-03-18 21:20", "2025-03-18 21:40", False, "Kinzhal",
               "aeroballistic", 1, 0)
    strikes = make_strikes([*STRIKE_ROWS, evening])
    checks = check.check_claims(seed_claims, strikes, make_mod_posts(), make_regions())
    row = checks[(checks["claim_id"] == "seed-zelenskyy-150-drones") & (checks["basis"] == "all_means")].iloc[0]
    assert row["recorded_value"] == 151 and "s-18-kinzhal" not in row["record_ids"]


def test_overlapping_mod_reports_are_not_summed_by_the_check(seed_claims):
    # a report for 23:00-02:00 inside the 57-drone report's 20:00-07:00 window: same night, same drones
    inside = ("p-0319-0300", "2025-03-18 23:10", "intercept_report", "2025-03-18 23:00", "2025-03-19 02:00", 20)
    posts = make_mod_posts([*POST_ROWS, inside]).assign(window_kind="range")
    checks = check.check_claims(seed_claims, make_strikes(), posts, make_regions())
    row = checks[(checks["claim_id"] == "seed-rumod-57-intercepted") & (checks["basis"] == "headline")].iloc[0]
    assert row["recorded_value"] == 57 and row["verdict"] == "matches_source"


# --- every kind of count (issue 22): metrics, regions, truce windows ---------------------------

KINDS = """\
format: 1
source:
  title: Kinds of counts (test)
  outlet: test
  published: "2025-04-22T10:00:00+03:00"
  published_tz: Europe/Moscow
claims:
  - id: k-lost
    said: "2025-03-19T09:00:00+02:00"
    said_precision: minute
    claimant: ua_air_force
    type: count
    subject_side: RU
    topic: air_strikes
    count: {number: "56", counted: drones, metric: lost_from_radar, weapon_class: drone, direction: ru_to_ua,
            night: 2025-03-19}
  - id: k-kursk
    said: "2025-03-19T07:40:00+03:00"
    said_precision: minute
    claimant: ru_mod
    type: count
    subject_side: UA
    topic: air_strikes
    count: {number: "35", counted: drones, metric: intercepted, weapon_class: drone, direction: ua_to_ru,
            night: 2025-03-19, regions: [RU-KRS]}
  - id: k-kyiv
    said: 2025-03-19
    said_tz: Europe/Kyiv
    said_precision: day
    claimant: zelenskyy
    type: count
    subject_side: RU
    topic: air_strikes
    count: {number: "12", counted: drones, metric: intercepted, weapon_class: drone, direction: ru_to_ua,
            night: 2025-03-19, regions: [UA-32]}
  - id: k-violations
    said: 2025-04-21
    said_tz: unknown
    said_precision: day
    claimant: ru_mod
    type: count
    subject_side: UA
    topic: ceasefire_terms
    count: {number: "4,900", counted: violations, metric: violations, window_id: easter_truce_2025}
  - id: k-killed
    said: 2025-03-19
    said_tz: Europe/Kyiv
    said_precision: day
    claimant: zelenskyy
    type: count
    subject_side: RU
    topic: civilian_harm
    count: {number: "three", counted: people, metric: killed, night: 2025-03-19, tz: Europe/Kyiv}
"""


@pytest.fixture(scope="module")
def kinds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kinds")
    (folder / "kinds.yaml").write_text(KINDS, encoding="utf-8")
    table, _ = claims_mod.read_claims(folder)
    strikes = make_strikes()
    strikes["not_reach_goal"] = pd.array([40, 56, 0, 0, 0, 60, 80], dtype="Int64")
    regions = pd.DataFrame({"strike_id": ["s-19-shahed", "s-19-shahed", "s-19-shahed", "s-20-shahed"],
                            "measure": ["destroyed", "destroyed", "affected", "destroyed"],
                            "region_id": ["UA-32", "UA-80", "UA-32", "UA-32"],
                            "count": pd.array([12, 9, 3, 30], dtype="Int64")})
    easter = ("p-0420-0700", "2025-04-20 04:00", "intercept_report", "2025-04-19 20:00", "2025-04-20 07:00", 40)
    out = check.check_claims(table, strikes, make_mod_posts([*POST_ROWS, easter]), make_regions(),
                             strike_regions=regions)
    return validate(out, check.SCHEMA, "claim_id")


def test_lost_from_radar_is_checked_against_the_air_forces_lost_drones(kinds):
    row = _row(kinds, "k-lost", "same_class")
    assert row["recorded_value"] == 56 and row["verdict"] == "matches_source" and row["record_ids"] == "s-19-shahed"


def test_a_regional_mod_claim_is_compared_with_its_region_never_the_headline(kinds):
    rows = kinds[kinds["claim_id"] == "k-kursk"]
    assert rows["basis"].tolist() == ["claimed_regions"]  # no national headline row (57)
    assert rows["recorded_value"].iloc[0] == 35 and rows["verdict"].iloc[0] == "matches_source"


def test_a_regional_air_force_figure_is_compared_with_strike_regions(kinds):
    row = _row(kinds, "k-kyiv", "claimed_regions")
    # the destroyed measure of UA-32 of that night's national report only (not 'affected', not the next night)
    assert row["recorded_value"] == 12 and row["verdict"] == "consistent" and row["verdict_basis"]


def test_uncheckable_kinds_say_why_and_truce_claims_get_context(kinds):
    viol = kinds[kinds["claim_id"] == "k-violations"].set_index("basis")
    assert viol.loc["none", "verdict"] == "not_checkable" and "truce violations" in viol.loc["none", "reason"]
    context = viol.loc["window_context"]
    assert not context["verdict_basis"] and context["verdict"] == "not_checkable"
    assert context["records_claimant"] == "ru_mod" and context["recorded_value"] == 40  # inside the Easter window
    killed = _row(kinds, "k-killed", "none")
    assert killed["verdict"] == "not_checkable" and "people killed" in killed["reason"]
    assert set(check.verdicts(kinds)["verdict"]) <= set(check.VERDICTS)


@pytest.mark.realdata
def test_real_mod_claims_about_its_own_posts_use_the_covering_report(real_checks):
    # 9 April 2025: the overnight summary (158, 20:00 -> 06:00 MSK) covers two evening posts of 8 April
    head = _row(real_checks, "mod0409-158-overnight", "headline")
    assert head["recorded_value"] == 158 and head["verdict"] == "matches_source"
    assert head["record_ids"] == "20250409-0704-9bb90535"
    # its printed breakdown is cut short: the sum (122) is not compared with the total
    assert _row(real_checks, "mod0409-158-overnight", "regional_breakdown")["verdict"] == "not_checkable"
    # "29 over the Rostov region": the region's line, never the national 158
    rostov = real_checks[real_checks["claim_id"] == "mod0409-29-rostov"]
    assert rostov["basis"].tolist() == ["claimed_regions"] and rostov["recorded_value"].item() == 29


@pytest.mark.realdata
def test_real_truce_tallies_are_not_checkable_and_air_force_nights_match(real_checks):
    verdict = check.verdicts(real_checks).set_index("claim_id")
    for claim_id in ("mdz0421-rumod-4900-violations", "mdz0421-zelenskyy-2935-violations",
                     "an0510-rumod-9318-violations", "star0405-rumod-14-energy-strikes"):
        assert verdict.loc[claim_id, "verdict"] == "not_checkable"
    for claim_id, value in (("ss0421-airforce-96-drones", 96), ("ss0421-airforce-47-lost", 47),
                            ("up0511-airforce-108-launched", 108), ("up0511-airforce-41-lost", 41)):
        assert verdict.loc[claim_id, "recorded_value"] == value and verdict.loc[claim_id, "verdict"] == "matches_source"


def test_truce_tallies_side_by_side(kinds):
    table, _ = claims_mod.read_claims()  # the curated ledger, with the calendar
    from ceasefire_stats.clean import calendar

    cal = calendar.read_calendar()
    tallies = check.truce_tallies(table, check.check_claims(table), cal)
    easter = check.side_by_side(tallies)
    easter = easter[easter["window_id"] == "easter_truce_2025"].set_index("claimant_side")
    # each side's tally of the other's violations, never one comparison
    assert easter.loc["RU", "tallies"] == "4,900" and easter.loc["RU", "subject_side"] == "UA"
    assert easter.loc["UA", "tallies"] == "2,935" and easter.loc["UA", "subject_side"] == "RU"
    after = tallies[(tallies["window_id"] == "easter_truce_2025") & (tallies["when"] == "after")]
    assert "ss0421-airforce-96-drones" in set(after["claim_id"])  # the Air Force's first night after it
    assert set(tallies.loc[tallies["count_metric"] == "violations", "verdict"]) == {"not_checkable"}
