"""Russian numerals: digits, words in every case and gender, singular, distributive."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire_stats.text import ru_numerals as nm


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("57", 57),
        ("**19**", 19),
        ("один", 1), ("одного", 1), ("одному", 1), ("одну", 1), ("одной", 1),
        ("два", 2), ("две", 2), ("двух", 2), ("двумя", 2),
        ("двадцать три", 23),
        ("сто сорок один", 141),
        ("ста сорока одного", 141),
        ("Трёх", 3),
        ("девяносто", 90),
        ("двухсот пяти", 205),
        ("ноль", 0),
    ],
)
def test_parse_numeral(text, value):
    assert nm.parse_numeral(text) == value


@pytest.mark.parametrize("text", ["", "бпла", "сорок сорок", "один сорок", "двадцать двенадцать", "сто ноль"])
def test_not_a_numeral(text):
    assert nm.parse_numeral(text) is None


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("уничтожено и перехвачено **46** украинских БПЛА", 46),
        ("уничтожены семь украинских беспилотных летательных аппаратов", 7),
        ("украинский беспилотный летательный аппарат уничтожен над территорией", 1),
        ("уничтожен украинский БПЛА самолетного типа", 1),
        ("по одному БпЛА", 1),
    ],
)
def test_drone_count(phrase, value):
    assert nm.drone_count(phrase) == value


def test_drone_count_without_count_is_none():
    assert nm.drone_count("над акваторией моря") is None


def test_distributive_gives_n_to_each_place():
    assert nm.distributive("по два БпЛА – над территориями Тульской, Калужской и Орловской областей") == (
        2, ["тульской", "калужской", "орловской"])
    assert nm.distributive("по **4** – над Курской областью и акваторией моря")[0] == 4
    assert nm.distributive("девять – над территорией области") is None


def test_numeral_pattern_finds_words_in_text():
    import re

    found = re.findall(nm.NUMERAL_PATTERN, "уничтожены тридцать два и 15")
    assert [nm.parse_numeral(f) for f in found if nm.parse_numeral(f) is not None] == [32, 15]


def test_to_words_rejects_out_of_range():
    with pytest.raises(ValueError):
        nm.to_words(1000)


@given(st.integers(0, 999), st.sampled_from(nm.CASES), st.sampled_from(["m", "f", "n"]))
def test_round_trip_every_case_and_gender(value, case, gender):
    words = nm.to_words(value, case, gender)
    assert nm.parse_numeral(words) == value
    assert nm.parse_numeral(words.upper()) == value
    assert nm.parse_numeral(f"**{words}**") == value


@given(st.text(max_size=40))
def test_parse_numeral_never_raises(text):
    value = nm.parse_numeral(text)
    assert value is None or value >= 0
