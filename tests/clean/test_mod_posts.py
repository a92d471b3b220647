"""The MoD post parser: short phrases written in the posts' style, property tests, and the
real posts of the case study (read from the mirrored file by raw row + text sha256)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire_stats.clean import mod_posts as mp
from ceasefire_stats.core.fields import validate
from ceasefire_stats.core.files import frame_to_bytes
from ceasefire_stats.nights import MOSCOW

MSK = "Europe/Moscow"


def msk(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=MSK)


def test_night_list_with_distributive_item():
    post = mp.parse_post(
        "🎖🎖 В течение прошедшей ночи дежурными средствами ПВО** перехвачены и уничтожены 12 украинских "
        "беспилотных летательных аппаратов:** ▪️ **8** БПЛА – над территорией **Брянской** области, ▪️ по два "
        "БПЛА - над территориями Курской и Орловской областей. 🔹 [Минобороны России](https://t.me/mod_russia)",
        "2025-05-01 04:15")
    assert post.kind == "intercept_report" and post.parse_status == "parsed"
    assert post.drones_destroyed == 12
    assert post.breakdown == {"RU-BRY": 8, "RU-KRS": 2, "RU-ORL": 2}
    assert post.breakdown_status == "complete"
    assert post.window_kind == "night"
    assert post.window_end == msk("2025-05-01 07:00") and post.window_start == msk("2025-04-30 23:00")


def test_dated_range_across_midnight_and_regions_without_counts():
    post = mp.parse_post(
        "В период с 20.00 мск 22 мая до 7.00 мск 23 мая дежурными средствами ПВО уничтожены 30 украинских "
        "БПЛА над территориями Курской и Белгородской областей.", "2025-05-23 04:20")
    assert (post.window_kind, post.window_start, post.window_end) == (
        "range", msk("2025-05-22 20:00"), msk("2025-05-23 07:00"))
    assert post.drones_destroyed == 30
    assert post.breakdown == {"RU-BEL": None, "RU-KRS": None} and post.breakdown_status == "none"


def test_undated_range_posted_after_midnight_is_the_previous_evening():
    post = mp.parse_post("С 21.00 до 23.00 мск дежурными средствами ПВО уничтожены семь украинских БПЛА "
                         "над территорией Ростовской области.", "2025-09-12 21:10")  # 00:10 MSK 13 Sept
    assert (post.window_start, post.window_end) == (msk("2025-09-12 21:00"), msk("2025-09-12 23:00"))
    assert post.breakdown == {"RU-ROS": 7} and post.breakdown_status == "complete"


def test_until_midnight():
    post = mp.parse_post("25 августа с 20.00 мск до полуночи дежурными средствами ПВО уничтожены 5 "
                         "украинских БПЛА над Брянской областью.", "2025-08-25 21:40")
    assert (post.window_start, post.window_end) == (msk("2025-08-25 20:00"), msk("2025-08-26 00:00"))


def test_moment_and_singular_without_numeral():
    post = mp.parse_post("Около 16.30 мск дежурными средствами ПВО украинский беспилотный летательный "
                         "аппарат уничтожен над территорией Белгородской области.", "2025-03-20 13:40")
    assert post.window_kind == "moment" and post.window_start == post.window_end == msk("2025-03-20 16:30")
    assert post.drones_destroyed == 1 and post.breakdown == {"RU-BEL": 1}


def test_noun_first_list_without_headline_total_takes_the_sum():
    post = mp.parse_post("Около 11.00 мск дежурными средствами ПВО три украинских беспилотных летательных "
                         "аппарата уничтожены над территорией Курской области и один – над территорией "
                         "Брянской области.", "2024-06-01 08:30")
    assert post.drones_destroyed == 4
    assert post.breakdown == {"RU-BRY": 1, "RU-KRS": 3} and post.breakdown_status == "complete"
    assert "total_from_list" in post.parse_reason


def test_footer_total_is_kept_apart():
    post = mp.parse_post("С 23.00 до 7.00 мск дежурными средствами ПВО уничтожены шесть украинских БПЛА над "
                         "акваторией Черного моря. ➡️ Всего за ночь перехвачены и уничтожены 23 беспилотных "
                         "летательных аппарата.", "2025-06-23 04:10")
    assert (post.drones_destroyed, post.footer_total) == (6, 23)
    assert post.breakdown == {"SEA-BLACK": 6} and post.breakdown_status == "complete"


def test_rockets_are_not_drones():
    post = mp.parse_post("Около 19.00 мск дежурными средствами ПВО уничтожены четыре реактивных снаряда РСЗО "
                         "«Вампир» и два украинских беспилотных летательных аппарата над территорией "
                         "Белгородской области.", "2024-05-25 16:10")
    assert (post.drones_destroyed, post.rockets_destroyed) == (2, 4)
    assert post.breakdown == {"RU-BEL": 2}


def test_rocket_only_report_has_no_drone_headline():
    post = mp.parse_post("Около 19.00 мск дежурными средствами ПВО пятнадцать реактивных снарядов РСЗО "
                         "«Вампир» уничтожены над Белгородской областью.", "2024-05-25 16:10")
    assert post.kind == "intercept_report" and post.drones_destroyed is None
    assert post.rockets_destroyed == 15 and post.parse_status == "parsed"


def test_digest_and_other_posts_are_not_claims():
    digest = mp.parse_post("🗓 Главное за день ▫️ Дежурными средствами ПВО уничтожены 40 украинских БПЛА.",
                           "2025-03-20 17:00")
    assert (digest.kind, digest.parse_status, digest.drones_destroyed) == ("summary", "not_claim", None)
    other = mp.parse_post("Расчеты ЗРПК «Панцирь» круглосуточно контролируют небо над позициями.", "2025-01-01")
    assert (other.kind, other.parse_status, other.parse_reason) == ("other", "not_claim", "no_intercept_claim")


def test_cut_list_is_incomplete():
    text = ("В течение прошедшей ночи дежурными средствами ПВО уничтожены 90 украинских БПЛА: ▪️ 40 БпЛА – над "
            "территорией Курской области, ▪️ 20 БпЛА – над территорией Брянской области, ▪️ по три БпЛА – над "
            "территориями Тульской области и Р")
    text = text + "x" * (400 - len(text))
    post = mp.parse_post(text, "2025-03-20 04:05")
    assert post.truncated and post.drones_destroyed == 90
    assert post.breakdown_status == "incomplete"


def test_full_list_that_does_not_add_up_is_a_mismatch():
    post = mp.parse_post("В течение прошедшей ночи дежурными средствами ПВО уничтожены 10 украинских БПЛА: "
                         "пять – над территорией Курской области, три – над территорией Брянской области.",
                         "2025-03-20 04:05")
    assert post.breakdown_status == "sum_mismatch"


def test_parse_frame_needs_aware_times():
    with pytest.raises(TypeError):
        mp.parse_frame(pd.Series(["x"]), pd.Series(pd.to_datetime(["2025-01-01"])))


def test_parse_frame_on_nothing():
    posts, regions = mp.parse_frame(pd.Series([], dtype="str"), pd.Series([], dtype="datetime64[us, UTC]"))
    assert len(posts) == 0 and len(regions) == 0


_POSTISH = st.lists(
    st.sampled_from(["уничтожены", "по", "два", "БПЛА", "–", "над", "территорией", "Курской", "области", ":",
                     "**7**", "с 20.00 мск", "до 7.00", "22 мая", "Всего", "около 16.30", ".", "и", "ракета",
                     "украинский беспилотный летательный аппарат", "в том числе", "ночи", "🔹", "сто", "\u00ad",
                     "в небе", "несколько", "сбит", "уничтожил", "Белгородской"]),
    max_size=40).map(" ".join)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.one_of(st.text(max_size=400), _POSTISH),
                          st.datetimes(min_value=pd.Timestamp("2023-01-01").to_pydatetime(),
                                       max_value=pd.Timestamp("2026-12-31").to_pydatetime())),
                min_size=1, max_size=8))
def test_parser_never_raises_and_returns_a_status(cases):
    for post in mp.parse_posts([text for text, _ in cases], [pd.Timestamp(when) for _, when in cases]):
        assert post.parse_status in mp.PARSE_STATUSES and post.kind in mp.KINDS
        if post.window_start is not None and post.window_end is not None:
            assert post.window_end >= post.window_start
        assert post.drones_destroyed is None or post.drones_destroyed >= 0


def test_tables_ledger_and_duplicates_on_a_tiny_raw_frame():
    text = "Около 16.30 мск дежурными средствами ПВО уничтожен украинский БПЛА над Курской областью."
    raw = pd.DataFrame({
        "raw_row": pd.array([2, 3, 4, 5], dtype="Int64"),
        "date": ["2025-03-20"] * 4,
        "datetime": ["2025-03-20 13:40", "2025-03-20 13:40", "2025-03-20 14:00", "not a time"],
        "drone_count": ["0", "0", "0", "0"], "oblasts": ["kursk"] * 4,
        "text_snippet": [text, text, "🗓 Главное за день", text]})
    posts, regions, ledger = mp.tables(raw)
    ledger.check(n_in=4)
    assert ledger.summary() == {"source": "mod_posts", "in": 4, "kept": 1, "flagged": 0, "rejected": 1,
                                "duplicate": 1, "not_claim": 1}
    validate(posts, mp.MOD_POSTS_SCHEMA)
    validate(regions, mp.MOD_POST_REGIONS_SCHEMA)
    assert posts["posted_at_msk"].dt.tz.key == MOSCOW
    assert str(posts.loc[0, "attribution_date"].date()) == "2025-03-20"
    assert regions[["region_id", "drones_destroyed"]].values.tolist() == [["RU-KRS", 1]]


def _same_tables(a, b):
    """Equal tables and ledgers, to the bytes (Arrow IPC bytes also tell a column in pieces)."""
    for x, y in zip([*a[:2], a[2].rows, a[2].rejects, a[2].flags], [*b[:2], b[2].rows, b[2].rejects, b[2].flags],
                    strict=True):
        pd.testing.assert_frame_equal(x, y)
        assert frame_to_bytes(x) == frame_to_bytes(y)


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_tables_parsed_in_chunks_equal_tables_parsed_whole(monkeypatch, chunk):
    text = "Около 16.30 мск дежурными средствами ПВО уничтожен украинский БПЛА над Курской областью."
    raw = pd.DataFrame({  # a chunk without any region, a duplicate across chunks, a bad time, a digest
        "raw_row": pd.array([2, 3, 4, 5, 6, 7], dtype="Int64"), "date": ["2025-03-20"] * 6,
        "datetime": ["2025-03-20 13:40", "2025-03-20 13:50", "2025-03-20 13:40", "not a time",
                     "2025-03-20 14:00", "2025-03-20 14:10"],
        "drone_count": ["0"] * 6, "oblasts": ["kursk"] * 6,
        "text_snippet": ["🗓 Главное за день", text, "🗓 Главное за день", text, "  ",
                         text.replace(" над Курской областью", "")]})
    ok = raw["datetime"] != "not a time"
    texts, posted = raw.loc[ok, "text_snippet"], pd.to_datetime(raw.loc[ok, "datetime"]).dt.tz_localize("UTC")
    whole, parsed = mp.tables(raw), mp.parse_frame(texts, posted)
    monkeypatch.setattr(mp, "PARSE_CHUNK", chunk)
    _same_tables(mp.tables(raw), whole)
    for x, y in zip(mp.parse_frame(texts, posted), parsed, strict=True):
        pd.testing.assert_frame_equal(x, y)


@pytest.mark.parametrize("stamp", ["0202-03-20 13:40", "2099-03-20 13:40", "2021-06-01 08:00"])
def test_a_post_dated_outside_the_plausible_range_is_rejected(stamp):
    text = "Около 16.30 мск дежурными средствами ПВО уничтожен украинский БПЛА над Курской областью."
    raw = pd.DataFrame({
        "raw_row": pd.array([2, 3], dtype="Int64"), "date": ["2025-03-20"] * 2,
        "datetime": ["2025-03-20 13:40", stamp], "drone_count": ["1", "1"], "oblasts": ["kursk"] * 2,
        "text_snippet": [text, text.replace("16.30", "17.30")]})
    posts, _, ledger = mp.tables(raw)
    ledger.check(n_in=2)
    assert posts["raw_row"].tolist() == [2]
    assert ledger.rejects[["raw_row", "reason", "value"]].values.tolist() == [[3, "implausible_date", stamp]]


# --- real posts (MANIFEST §3 case study) ------------------------------------------------------


@pytest.fixture(scope="module")
def real(real_mod_raw, real_mod):
    return (real_mod_raw, *real_mod)


def _post(real, raw_row: int, sha: str):
    raw, posts, regions, _ = real
    row = posts.loc[posts["raw_row"] == raw_row].iloc[0]
    assert row["text_sha256"] == sha, "raw row no longer points to the same post"
    breakdown = regions[regions["post_id"] == row["post_id"]].set_index("region_id")["drones_destroyed"]
    return row, breakdown


@pytest.mark.realdata
def test_night_of_18_to_19_march_2025(real):
    row, breakdown = _post(real, 3942, "e497757b7dfb71d5a9ec05f5f6a7ec4114f033d128065e7f9b38a00f67f149ce")
    assert str(row["posted_at_utc"]) == "2025-03-19 04:36:00+00:00"
    assert row["kind"] == "intercept_report" and row["window_kind"] == "night"
    assert row["window_end"] == msk("2025-03-19 07:00")
    assert str(row["attribution_date"].date()) == "2025-03-19"
    assert row["drones_destroyed"] == 57 and row["drone_count_source"] == 35
    assert breakdown.to_dict() == {"RU-BRY": 1, "RU-KRS": 35, "RU-ORL": 13, "RU-TUL": 1, "SEA-AZOV": 7}
    assert row["breakdown_status"] == "complete"


@pytest.mark.realdata
def test_night_of_19_to_20_march_2025_is_cut(real):
    row, breakdown = _post(real, 3946, "486e49b560a9f55e1d3a7529cf392e8555009dd324517bdf74a5d95e38a88e07")
    assert str(row["posted_at_utc"]) == "2025-03-20 04:05:00+00:00"
    assert row["drones_destroyed"] == 132 and row["truncated"]
    assert row["breakdown_status"] == "incomplete"
    assert breakdown.to_dict() == {"RU-BEL": 22, "RU-KRS": 3, "RU-ROS": 9, "RU-SAR": 54, "RU-VOR": 40}


@pytest.mark.realdata
def test_the_real_file_parsed_in_chunks_equals_it_parsed_whole(real, monkeypatch):
    raw, *whole = real
    monkeypatch.setattr(mp, "PARSE_CHUNK", 997)
    _same_tables(mp.tables(raw), whole)
    texts = raw["text_snippet"].iloc[:2500]
    posted = pd.to_datetime(raw["datetime"].iloc[:2500]).dt.tz_localize("UTC")
    chunked = mp.parse_frame(texts, posted)
    monkeypatch.setattr(mp, "PARSE_CHUNK", 8192)
    for x, y in zip(chunked, mp.parse_frame(texts, posted), strict=True):
        pd.testing.assert_frame_equal(x, y)


@pytest.mark.realdata
def test_whole_file_ledger_and_schemas(real):
    raw, posts, regions, ledger = real
    ledger.check(n_in=len(raw))
    summary = ledger.summary()
    assert summary["in"] == 5927 and summary["kept"] + summary["not_claim"] == len(posts)
    validate(posts, mp.MOD_POSTS_SCHEMA, "post_id")
    validate(regions, mp.MOD_POST_REGIONS_SCHEMA, "post_id")
    reports = posts[posts["kind"] == "intercept_report"]
    whole = reports["breakdown_status"].isin(["complete", "sum_mismatch"])
    assert (reports.loc[whole, "breakdown_status"] == "complete").mean() > 0.99


def test_a_text_holding_the_internal_separator_keeps_rows_aligned():
    # found by the property test: normalisation joins the column with a record separator
    texts = pd.Series(["около 16.30 мск уничтожен\x1eукраинский БПЛА над Курской областью", "другое"])
    posts, _ = mp.parse_frame(texts, pd.Series(pd.to_datetime(["2025-03-20 13:40"] * 2).tz_localize("UTC")))
    assert len(posts) == 2 and posts["kind"].tolist()[1] == "other"


def test_2023_form_without_an_air_defence_word_is_an_intercept_report():
    # the 2023 posts name no «ПВО»: «пресечена попытка ... атаки», then «... был перехвачен над ...»
    post = mp.parse_post(
        "Около 14.10 мск пресечена попытка атаки БПЛА по объектам на территории России. "
        "Украинский беспилотный летательный аппарат был перехвачен над территорией Курской области.",
        "2023-09-10 11:20",
    )
    assert (post.kind, post.drones_destroyed, post.window_kind) == ("intercept_report", 1, "moment")
    assert post.breakdown == {"RU-KRS": 1}



# --- reports whose count cannot be read: a reject with a reason, never "other" -------------


@pytest.mark.parametrize("text", [
    "Дежурными средствами ПВО уничтожены несколько украинских БПЛА над территорией Курской области.",
    "Около 14.00 мск над территорией Белгородской области уничтожено XX украинских беспилотников.",
    "В течение прошедшей ночи украинские беспилотники, летевшие в сторону Москвы, были сбиты "
    "над территорией Калужской области.",
    "Ряд украинских беспилотных летательных аппаратов перехвачен над акваторией Азовского моря.",
])
def test_a_report_whose_count_cannot_be_read_fails_with_a_reason(text):
    post = mp.parse_post(text, "2025-03-20 11:00")
    assert (post.kind, post.parse_status) == ("intercept_report", "failed")
    assert post.parse_reason.split(";")[0] == "no_count_parsed" and post.drones_destroyed is None


def test_an_unreadable_report_is_rejected_and_its_neighbours_kept():
    texts = ["Дежурными средствами ПВО уничтожены несколько украинских БПЛА над территорией Курской области.",
             "Около 15.15 мск еще один украинский беспилотный летательный аппарат уничтожен над территорией "
             "Белгородской области.",
             "Расчет ЗРК «Тор» уничтожил БПЛА в небе над Харьковской областью."]
    raw = pd.DataFrame({
        "raw_row": pd.array([2, 3, 4], dtype="Int64"), "date": ["2025-03-20"] * 3,
        "datetime": ["2025-03-20 08:00", "2025-03-20 12:20", "2025-03-20 13:00"],
        "drone_count": ["0"] * 3, "oblasts": [""] * 3, "text_snippet": texts})
    posts, regions, ledger = mp.tables(raw)
    ledger.check(n_in=3)
    assert ledger.rejects[["raw_row", "reason"]].values.tolist() == [[2, "no_count_parsed"]]
    assert posts[["raw_row", "kind", "drones_destroyed"]].astype(object).values.tolist() == [
        [3, "intercept_report", 1], [4, "other", pd.NA]]
    assert regions[["region_id", "drones_destroyed"]].values.tolist() == [["RU-BEL", 1]]


@pytest.mark.parametrize("text", [
    "Расчет ЗРК «Оса-АКМ» уничтожил БПЛА противника в небе над Херсонской областью.",  # active verb: a crew
    "В небе над Харьковской областью был обнаружен и уничтожен БПЛА ВСУ типа «Фурия».",  # «в небе над»
    "Корабли выполнили вылеты над акваторией Черного моря для поиска и уничтожения беспилотных "
    "летательных аппаратов.",  # a noun, not a passive verb
    "Ударным БПЛА уничтожен танк ВСУ на Запорожском направлении.",  # no place «над ...»
    "Пресс-центр группировки: над территорией Курской области уничтожены украинские БПЛА.",  # a statement
])
def test_front_line_posts_are_not_reports(text):
    post = mp.parse_post(text, "2025-03-20 11:00")
    assert (post.kind, post.parse_status) == ("other", "not_claim")


@pytest.mark.parametrize("text, count, region", [
    ("Около 22.00 мск над Брянской областью уничтожен еще один украинский беспилотник.", 1, "RU-BRY"),
    ("В 06.50 мск очередной украинский БПЛА самолетного типа уничтожен над территорией Белгородской области.",
     1, "RU-BEL"),
    ("С 12.00 до 13.00 мск еще два украинских беспилотных летательных аппарата уничтожены над территорией "
     "Белгородской области.", 2, "RU-BEL"),
])
def test_a_report_without_an_air_defence_word_is_read(text, count, region):
    post = mp.parse_post(text, "2024-06-01 11:00")
    assert (post.kind, post.drones_destroyed, post.breakdown) == ("intercept_report", count, {region: count})


def test_the_report_frame_is_fast_on_a_hostile_sentence():
    # Python's backtracking ``re`` took seconds on this; the frame is matched by RE2 in both paths
    for text in (("БПЛА уничтожен " * 300)[:4096], ("уничтожены БПЛА, " * 300)[:4096]):
        assert mp.parse_post(text, "2025-01-01 04:00").parse_status in mp.PARSE_STATUSES


@pytest.mark.realdata
def test_real_reports_whose_count_is_not_read_are_rejected(real):
    raw, posts, _, ledger = real
    rejects = ledger.rejects.set_index("raw_row")
    # 459: «два БПЛА, летящих в направлении города Москвы, уничтожены средствами ПВО ... над территорией»
    # 725: «уничтожено над акваторией Черного моря и территорией Республики Крым 19 украинских БПЛА»
    for raw_row, sha in [(459, "bf8b2c21f0a440fefceaec73453f1bc14b42acc9417429c1da69dffe7c671f67"),
                         (725, "e5ed455049c06be9f35145c794f2b0f77b49b5c27a993c7d974fb16af49a13b1")]:
        assert rejects.loc[raw_row, ["reason", "value"]].tolist() == ["no_count_parsed", sha]
        assert raw_row not in set(posts["raw_row"])


@pytest.mark.realdata
def test_real_reports_that_name_no_air_defence_word_are_read(real):
    # «около 15.15 мск еще один украинский беспилотный летательный аппарат уничтожен над территорией
    # белгородской области»: "other" until the report frame
    row, breakdown = _post(real, 1642, "e66136696dcb1474bf69a6396e5f4e43d3b2ddab75236dc5f8db34435e252e51")
    assert (row["kind"], row["drones_destroyed"], row["window_kind"]) == ("intercept_report", 1, "moment")
    assert breakdown.to_dict() == {"RU-BEL": 1}


def test_a_text_longer_than_any_post_is_read_up_to_telegrams_limit():
    post = mp.parse_post("ПВО уничтожено 5 БПЛА: " + " ракет" * 20_000, "2025-01-01 04:00")
    assert post.truncated and post.parse_status in mp.PARSE_STATUSES


# --- one post is a row of the frame parser ---------------------------------------------------


def test_parse_posts_gives_each_row_of_parse_frame_as_plain_values():
    texts = ["В течение прошедшей ночи дежурными средствами ПВО уничтожены 12 украинских БПЛА: 9 – над "
             "территорией Брянской области, по три – над акваториями Черного и Азовского морей.",
             "Расчеты ЗРПК «Панцирь» круглосуточно контролируют небо над позициями.",
             "Дежурными средствами ПВО уничтожены несколько украинских БПЛА над территорией Курской области."]
    when = ["2025-05-01 04:10", "2025-05-01 05:00", "2025-05-01 06:00"]
    frame, regions = mp.parse_frame(pd.Series(texts), pd.Series(pd.to_datetime(when)).dt.tz_localize("UTC"))
    posts = mp.parse_posts(texts, when)
    assert posts[0] == mp.parse_post(texts[0], when[0])
    for row, post in enumerate(posts):
        for field in dataclasses.fields(mp.ModPost):
            if field.name != "breakdown":
                expected = frame.loc[row, field.name]
                assert getattr(post, field.name) == (None if pd.isna(expected) else expected), field.name
        mine = regions[regions["row"] == row]
        assert post.breakdown == dict(zip(mine["region_id"], mine["drones_destroyed"].astype(int), strict=True))
    assert type(posts[0].drones_destroyed) is int and type(posts[0].truncated) is bool
    assert (posts[1].drones_destroyed, posts[2].drones_destroyed) == (None, None)


@pytest.mark.realdata
def test_the_raw_file_read_in_chunks_is_the_raw_file(raw_file):
    whole = mp.read_raw(raw_file(mp.SOURCE))
    chunks = list(mp.read_raw_chunks(raw_file(mp.SOURCE), 1000))
    assert [len(c) for c in chunks] == [1000] * 5 + [927]
    pd.testing.assert_frame_equal(pd.concat(chunks), whole)
