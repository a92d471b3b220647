"""English number words and qualifiers: property tests and the seed article's phrases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire_stats.text.en_numerals import (
    ABOUT_TOLERANCE,
    QUALIFIERS,
    VAGUE_RANGES,
    NumberParseError,
    about_range,
    contains,
    int_to_words,
    parse_quantity,
    words_to_int,
)

counts = st.integers(min_value=0, max_value=999_999)
positive = st.integers(min_value=1, max_value=999_999)


@given(counts)
def test_words_round_trip(n):
    assert words_to_int(int_to_words(n)) == n


@given(counts)
def test_digits_and_thousands_separators(n):
    assert words_to_int(str(n)) == n
    assert words_to_int(f"{n:,}") == n


@given(counts)
def test_bare_number_is_exact(n):
    q = parse_quantity(int_to_words(n))
    assert (q.value, q.value_low, q.value_high, q.qualifier) == (n, n, n, "exact")


@given(counts, st.sampled_from(["more than", "over", "upwards of", "in excess of"]))
def test_more_than_is_open_above_n(n, prefix):
    q = parse_quantity(f"{prefix} {n}")
    assert (q.value, q.value_low, q.value_high, q.qualifier) == (n, n + 1, None, "more_than")
    assert not contains(q, n) and contains(q, n + 1) and contains(q, 10 * n + 2)


@given(counts)
def test_at_least_includes_n(n):
    q = parse_quantity(f"at least {int_to_words(n)}")
    assert (q.value_low, q.value_high, q.qualifier) == (n, None, "at_least")


@given(positive)
def test_fewer_than_and_up_to(n):
    fewer, up_to = parse_quantity(f"fewer than {n}"), parse_quantity(f"up to {n}")
    assert (fewer.value_low, fewer.value_high) == (0, n - 1)
    assert (up_to.value_low, up_to.value_high) == (0, n)


@given(positive, st.floats(min_value=0, max_value=0.5), st.sampled_from(["about", "around", "roughly", "approximately"]))
def test_about_range_contains_n_and_respects_tolerance(n, tol, prefix):
    q = parse_quantity(f"{prefix} {n}", about_tolerance=tol)
    assert q.qualifier == "about" and q.value == n
    assert q.value_low < n < q.value_high  # never narrower than +-1
    assert q.value_low >= min(n * (1 - tol) - 1, n - 1)
    assert q.value_high <= max(n * (1 + tol) + 1, n + 1)


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_ranges_are_ordered(a, b):
    low, high = min(a, b), max(a, b)
    q = parse_quantity(f"between {low} and {high}")
    assert (q.value_low, q.value_high, q.qualifier) == (low, high, "range")
    if a > b:
        with pytest.raises(NumberParseError):
            parse_quantity(f"between {a} and {b}")


@pytest.mark.parametrize("word,qualifier", [("several", "several"), ("a few", "a_few"), ("dozens of", "dozens"),
                                            ("hundreds of", "hundreds"), ("a couple of", "couple"),
                                            ("a number of", "several"), ("tens of", "tens")])
def test_vague_words_have_documented_ranges(word, qualifier):
    q = parse_quantity(word)
    assert q.qualifier == qualifier and q.value is None
    assert (q.value_low, q.value_high) == VAGUE_RANGES[qualifier]


def test_documented_conventions():
    assert VAGUE_RANGES["several"] == (3, 9) and VAGUE_RANGES["dozens"] == (24, 99)
    assert ABOUT_TOLERANCE == 0.10
    assert about_range(150) == (135, 165)
    assert set(QUALIFIERS) >= {"exact", "about", "more_than", "at_least", "up_to", "fewer_than", "several", "dozens"}


# the quantity phrases of the seed article (short phrases, written out here)
@pytest.mark.parametrize("phrase,expected", [
    ("150", (150, 150, 150, "exact")),
    ("two", (2, 2, 2, "exact")),
    ("a", (1, 1, 1, "exact")),
    ("more than 20", (20, 21, None, "more_than")),
    ("nine", (9, 9, 9, "exact")),
    ("seven", (7, 7, 7, "exact")),
    ("three", (3, 3, 3, "exact")),
    ("one", (1, 1, 1, "exact")),
    ("57", (57, 57, 57, "exact")),
    ("several", (None, 3, 9, "several")),
    ("about 150", (150, 135, 165, "about")),
])
def test_seed_phrases(phrase, expected):
    assert tuple(parse_quantity(phrase))[1:] == expected


@pytest.mark.parametrize("bad", ["", "many", "a lot", "twenty apples", "more than", "between 5 and", "fewer than 0"])
def test_not_quantities_raise(bad):
    with pytest.raises(NumberParseError):
        parse_quantity(bad)
