"""English number words and quantity qualifiers -> ``value_low``, ``value_high``, ``qualifier``.

A *quantity phrase* is what a text says about how many: ``"150"``, ``"seven"``, ``"more than
20"``, ``"about 150"``, ``"several"``, ``"dozens of"``. :func:`parse_quantity` turns it into a
:class:`Quantity`: the stated number (``value``, when there is one), an inclusive range
``[value_low, value_high]`` (``value_high`` is ``None`` when the phrase sets no upper bound)
and a qualifier code.

Range rules (the one documented convention; ``t`` is the ``about_tolerance`` parameter,
default :data:`ABOUT_TOLERANCE` = 0.10):

==============  ==============================================  =====================
qualifier       phrases                                          range
==============  ==============================================  =====================
``exact``       "150", "seven", "a"/"an" (= 1)                   [N, N]
``about``       about, around, approximately, roughly, some,     [floor(N(1-t)), ceil(N(1+t))],
                circa, an estimated, "~"                         at least N-1 .. N+1
``almost``      almost, nearly, close to, just under             [floor(N(1-t)), N]
``more_than``   more than, over, upwards of, in excess of,       [N+1, open]
                "N+"
``at_least``    at least, no fewer/less than, not less than      [N, open]
``up_to``       up to, as many as, at most, no more than         [0, N]
``fewer_than``  fewer than, less than, under, below              [0, N-1]
``range``       "between N and M", "N to M", "N-M", "N or M"     [N, M]
``a_few``       a few, few                                       [2, 5]
``couple``      a couple (of)                                    [2, 3]
``several``     several, a number of                             [3, 9]
``dozen``       a dozen                                          about 12
``dozens``      dozens (of)                                      [24, 99]
``tens``        tens of                                          [20, 99]
``hundreds``    hundreds (of)                                    [200, 999]
``thousands``   thousands (of)                                   [2000, 9999]
==============  ==============================================  =====================

>>> parse_quantity("more than 20")
Quantity(text='more than 20', value=20, value_low=21, value_high=None, qualifier='more_than')
>>> parse_quantity("about 150")[1:]
(150, 135, 165, 'about')
>>> parse_quantity("one hundred and fifty-seven").value
157
>>> parse_quantity("several")[1:]
(None, 3, 9, 'several')
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

ABOUT_TOLERANCE = 0.10
"""Default relative half-width of an ``about N`` range (10 %)."""

QUALIFIERS = (
    "exact", "about", "almost", "more_than", "at_least", "up_to", "fewer_than", "range",
    "a_few", "couple", "several", "dozen", "dozens", "tens", "hundreds", "thousands",
)
"""Every qualifier code :func:`parse_quantity` can return."""

OPEN_ENDED = ("more_than", "at_least")
"""Qualifiers with no upper bound (``value_high`` is ``None``)."""

VAGUE_RANGES: dict[str, tuple[int, int]] = {
    "a_few": (2, 5),
    "couple": (2, 3),
    "several": (3, 9),
    "dozens": (24, 99),
    "tens": (20, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
}
"""Ranges of the vague quantity words that state no number (documented convention)."""

UNITS = {
    "zero": 0, "nil": 0, "none": 0, "no": 0,
    "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES)
"""Every word :func:`words_to_int` understands."""

# qualifier prefixes, longest first so "no more than" wins over "more than"
_PREFIXES: tuple[tuple[str, str], ...] = tuple(sorted(
    [
        ("about", "about"), ("around", "about"), ("approximately", "about"), ("roughly", "about"),
        ("some", "about"), ("circa", "about"), ("an estimated", "about"), ("~", "about"),
        ("approx.", "about"), ("nearly", "almost"), ("almost", "almost"), ("close to", "almost"),
        ("just under", "almost"), ("more than", "more_than"), ("over", "more_than"),
        ("upwards of", "more_than"), ("in excess of", "more_than"), ("at least", "at_least"),
        ("no fewer than", "at_least"), ("no less than", "at_least"), ("not less than", "at_least"),
        ("up to", "up_to"), ("as many as", "up_to"), ("at most", "up_to"),
        ("no more than", "up_to"), ("fewer than", "fewer_than"), ("less than", "fewer_than"),
        ("under", "fewer_than"), ("below", "fewer_than"),
    ],
    key=lambda pair: -len(pair[0]),
))
_VAGUE_PHRASES = {
    "a few": "a_few", "few": "a_few", "a couple": "couple", "a couple of": "couple",
    "several": "several", "a number of": "several", "dozens": "dozens", "dozens of": "dozens",
    "tens of": "tens", "hundreds": "hundreds", "hundreds of": "hundreds",
    "thousands": "thousands", "thousands of": "thousands",
}
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_RANGE = re.compile(r"^(?:between\s+)?(?P<a>.+?)\s*(?:\band\b|\bto\b|\bor\b|-|–)\s*(?P<b>[^-–]+)$")


class Quantity(NamedTuple):
    """A parsed quantity phrase. ``value`` is the stated number (None for vague words such
    as "several"); ``value_low``/``value_high`` the inclusive range (``value_high`` None
    when open-ended)."""

    text: str
    value: int | None
    value_low: int
    value_high: int | None
    qualifier: str


class NumberParseError(ValueError):
    """The phrase is not a quantity this module understands."""


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", str(text).strip().lower().replace("\u2014", "-").replace("\u2013", "-"))


def words_to_int(text: str) -> int:
    """An integer written in digits or English words.

    >>> words_to_int("seven"), words_to_int("twenty-one"), words_to_int("1,200")
    (7, 21, 1200)
    >>> words_to_int("a hundred and fifty"), words_to_int("two thousand and twenty-five")
    (150, 2025)
    >>> words_to_int("many")
    Traceback (most recent call last):
    ...
    ceasefire_stats.text.en_numerals.NumberParseError: not a number: 'many'
    """
    norm = _normalise(text)
    if _DIGITS.match(norm):
        return int(norm.replace(",", ""))
    tokens = [t for t in re.split(r"[\s-]+", norm) if t and t != "and"]
    if not tokens or any(t not in NUMBER_WORDS for t in tokens):
        raise NumberParseError(f"not a number: {text!r}")
    if len(tokens) > 1 and any(t in ("a", "an", "no", "none", "nil", "single") for t in tokens[1:]):
        raise NumberParseError(f"not a number: {text!r}")
    total = current = 0
    seen_any = False
    for token in tokens:
        if token in UNITS:
            if token in ("no", "none", "nil") and len(tokens) > 1:
                raise NumberParseError(f"not a number: {text!r}")
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token == "hundred":
            current = (current or 1) * 100
        else:  # thousand, million
            total += (current or 1) * SCALES[token]
            current = 0
        seen_any = True
    if not seen_any:
        raise NumberParseError(f"not a number: {text!r}")
    return total + current


def int_to_words(n: int) -> str:
    """English words for ``0 <= n < 10**9`` (British "and"), the inverse of :func:`words_to_int`.

    >>> int_to_words(157), int_to_words(20_021)
    ('one hundred and fifty-seven', 'twenty thousand and twenty-one')
    """
    if not 0 <= n < 10**9:
        raise ValueError("int_to_words handles 0 <= n < 10**9")
    small = {v: k for k, v in UNITS.items() if k not in ("a", "an", "single", "nil", "none", "no")}
    tens = {v: k for k, v in TENS.items()}

    def below_thousand(m: int) -> str:
        parts = []
        if m >= 100:
            parts.append(f"{small[m // 100]} hundred")
            m %= 100
            if m:
                parts.append("and")
        if m >= 20:
            parts.append(tens[m // 10 * 10] + (f"-{small[m % 10]}" if m % 10 else ""))
        elif m or not parts:
            parts.append(small[m])
        return " ".join(parts)

    if n < 1000:
        return below_thousand(n)
    chunks = []
    for scale, word in ((1_000_000, "million"), (1_000, "thousand")):
        if n >= scale:
            chunks.append(f"{below_thousand(n // scale)} {word}")
            n %= scale
    if n:
        chunks.append(("and " if n < 100 else "") + below_thousand(n))
    return " ".join(chunks)


def about_range(value: int, about_tolerance: float = ABOUT_TOLERANCE) -> tuple[int, int]:
    """The inclusive range of ``about value``: ``value`` +- ``about_tolerance`` (relative),
    widened to at least +-1.

    >>> about_range(150), about_range(7), about_range(150, 0.05)
    ((135, 165), (6, 8), (142, 158))
    """
    if about_tolerance < 0:
        raise ValueError("about_tolerance must be >= 0")
    low = min(math.floor(value * (1 - about_tolerance) + 1e-9), value - 1)
    high = max(math.ceil(value * (1 + about_tolerance) - 1e-9), value + 1)
    return max(low, 0), high


def parse_quantity(text: str, about_tolerance: float = ABOUT_TOLERANCE) -> Quantity:
    """Parse a quantity phrase; see the module docstring for the range rules.

    >>> parse_quantity("seven")[1:]
    (7, 7, 7, 'exact')
    >>> parse_quantity("a")[1:]
    (1, 1, 1, 'exact')
    >>> parse_quantity("between 20 and 30")[1:]
    (None, 20, 30, 'range')
    >>> parse_quantity("up to 40")[1:], parse_quantity("fewer than ten")[1:]
    ((40, 0, 40, 'up_to'), (10, 0, 9, 'fewer_than'))
    >>> parse_quantity("dozens of")[1:], parse_quantity("150+")[1:]
    ((None, 24, 99, 'dozens'), (150, 151, None, 'more_than'))
    >>> parse_quantity("lots")
    Traceback (most recent call last):
    ...
    ceasefire_stats.text.en_numerals.NumberParseError: not a quantity: 'lots'
    """
    norm = _normalise(text)
    if norm.endswith(" of") and norm not in _VAGUE_PHRASES:
        norm = norm[:-3].strip()
    if norm in _VAGUE_PHRASES:
        qualifier = _VAGUE_PHRASES[norm]
        low, high = VAGUE_RANGES[qualifier]
        return Quantity(text, None, low, high, qualifier)
    if norm in ("a dozen", "dozen"):
        low, high = about_range(12, about_tolerance)
        return Quantity(text, 12, low, high, "dozen")
    if norm.endswith("+") and norm[:-1].strip():
        value = _number(norm[:-1].strip(), text)
        return Quantity(text, value, value + 1, None, "more_than")
    for prefix, qualifier in _PREFIXES:
        if norm.startswith(prefix) and (prefix == "~" or norm[len(prefix):len(prefix) + 1] == " "):
            rest = norm[len(prefix):].strip()
            if rest == "a dozen":
                value = 12
            else:
                value = _number(rest, text)
            return _bounded(text, value, qualifier, about_tolerance)
    try:
        value = words_to_int(norm)
    except NumberParseError:
        value = None
    if value is not None:
        return Quantity(text, value, value, value, "exact")
    match = _RANGE.match(norm)
    if match:
        low, high = _number(match["a"], text), _number(match["b"], text)
        if low > high:
            raise NumberParseError(f"range runs backwards: {text!r}")
        return Quantity(text, None, low, high, "range")
    raise NumberParseError(f"not a quantity: {text!r}")


def _number(fragment: str, text: str) -> int:
    try:
        return words_to_int(fragment)
    except NumberParseError:
        raise NumberParseError(f"not a quantity: {text!r}") from None


def _bounded(text: str, value: int, qualifier: str, about_tolerance: float) -> Quantity:
    if qualifier == "about":
        low, high = about_range(value, about_tolerance)
        return Quantity(text, value, low, high, qualifier)
    if qualifier == "almost":
        return Quantity(text, value, about_range(value, about_tolerance)[0], value, qualifier)
    if qualifier == "more_than":
        return Quantity(text, value, value + 1, None, qualifier)
    if qualifier == "at_least":
        return Quantity(text, value, value, None, qualifier)
    if qualifier == "up_to":
        return Quantity(text, value, 0, value, qualifier)
    if qualifier == "fewer_than":
        if value < 1:
            raise NumberParseError(f"nothing is fewer than zero: {text!r}")
        return Quantity(text, value, 0, value - 1, qualifier)
    raise AssertionError(qualifier)  # pragma: no cover


def contains(quantity: Quantity, n: int) -> bool:
    """True when ``n`` lies in the quantity's range.

    >>> contains(parse_quantity("more than 20"), 21), contains(parse_quantity("more than 20"), 20)
    (True, False)
    """
    return quantity.value_low <= n and (quantity.value_high is None or n <= quantity.value_high)
