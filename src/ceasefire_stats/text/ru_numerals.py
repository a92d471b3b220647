"""Russian cardinal numerals 0-999: digits, number words in every case and gender, the bare
singular noun (= 1), and the distributive «по N ... над территориями A и B областей».

Texts are matched in lower case with «ё» written «е» (see :func:`normalise`). The word tables
below are the whole grammar: a numeral is one to three words, hundreds then tens then units
(«сто сорок один»), each word in any case («двадцати трех», «ста сорока одному»).

>>> parse_numeral("**19**")
19
>>> parse_numeral("сто сорок один")
141
>>> parse_numeral("двадцатью тремя")
23
>>> drone_count("украинский беспилотный летательный аппарат уничтожен")
1
>>> distributive("по три БпЛА – над территориями Курской и Брянской областей")
(3, ['курской', 'брянской'])
>>> to_words(241, case="gen", gender="f")
'двухсот сорока одной'
"""

from __future__ import annotations

import re
from functools import cache

CASES = ("nom", "gen", "dat", "acc", "ins", "prep")
"""Grammatical cases, in the order of every row of the tables below (accusative inanimate)."""

# value -> forms by case (nom, gen, dat, acc, ins, prep); 1 and 2 also by gender.
_ONE = {
    "m": ("один", "одного", "одному", "один", "одним", "одном"),
    "f": ("одна", "одной", "одной", "одну", "одной", "одной"),
    "n": ("одно", "одного", "одному", "одно", "одним", "одном"),
}
_TWO = {
    "m": ("два", "двух", "двум", "два", "двумя", "двух"),
    "f": ("две", "двух", "двум", "две", "двумя", "двух"),
    "n": ("два", "двух", "двум", "два", "двумя", "двух"),
}


def _soft(stem: str) -> tuple[str, ...]:
    """Forms of numerals declined like «пять»: пять, пяти, пяти, пять, пятью, пяти."""
    return (stem + "ь", stem + "и", stem + "и", stem + "ь", stem + "ью", stem + "и")


_UNITS: dict[int, tuple[str, ...]] = {
    3: ("три", "трех", "трем", "три", "тремя", "трех"),
    4: ("четыре", "четырех", "четырем", "четыре", "четырьмя", "четырех"),
    5: _soft("пят"),
    6: _soft("шест"),
    7: _soft("сем"),
    8: ("восемь", "восьми", "восьми", "восемь", "восемью", "восьми"),
    9: _soft("девят"),
}
_TEENS: dict[int, tuple[str, ...]] = {
    10: _soft("десят"),
    11: _soft("одиннадцат"),
    12: _soft("двенадцат"),
    13: _soft("тринадцат"),
    14: _soft("четырнадцат"),
    15: _soft("пятнадцат"),
    16: _soft("шестнадцат"),
    17: _soft("семнадцат"),
    18: _soft("восемнадцат"),
    19: _soft("девятнадцат"),
}
_TENS: dict[int, tuple[str, ...]] = {
    20: _soft("двадцат"),
    30: _soft("тридцат"),
    40: ("сорок", "сорока", "сорока", "сорок", "сорока", "сорока"),
    50: ("пятьдесят", "пятидесяти", "пятидесяти", "пятьдесят", "пятьюдесятью", "пятидесяти"),
    60: ("шестьдесят", "шестидесяти", "шестидесяти", "шестьдесят", "шестьюдесятью", "шестидесяти"),
    70: ("семьдесят", "семидесяти", "семидесяти", "семьдесят", "семьюдесятью", "семидесяти"),
    80: ("восемьдесят", "восьмидесяти", "восьмидесяти", "восемьдесят", "восемьюдесятью", "восьмидесяти"),
    90: ("девяносто", "девяноста", "девяноста", "девяносто", "девяноста", "девяноста"),
}
_HUNDREDS: dict[int, tuple[str, ...]] = {
    100: ("сто", "ста", "ста", "сто", "ста", "ста"),
    200: ("двести", "двухсот", "двумстам", "двести", "двумястами", "двухстах"),
    300: ("триста", "трехсот", "тремстам", "триста", "тремястами", "трехстах"),
    400: ("четыреста", "четырехсот", "четыремстам", "четыреста", "четырьмястами", "четырехстах"),
    500: ("пятьсот", "пятисот", "пятистам", "пятьсот", "пятьюстами", "пятистах"),
    600: ("шестьсот", "шестисот", "шестистам", "шестьсот", "шестьюстами", "шестистах"),
    700: ("семьсот", "семисот", "семистам", "семьсот", "семьюстами", "семистах"),
    800: ("восемьсот", "восьмисот", "восьмистам", "восемьсот", "восемьюстами", "восьмистах"),
    900: ("девятьсот", "девятисот", "девятистам", "девятьсот", "девятьюстами", "девятистах"),
}
_ZERO = ("ноль", "нуля", "нулю", "ноль", "нулем", "нуле")
# Variants seen in texts besides the table forms.
_VARIANTS = {"восьмью": 8, "нуль": 0, "одни": 1, "одних": 1, "одними": 1, "одною": 1,
             "оба": 2, "обе": 2, "обоих": 2, "обеих": 2, "обоим": 2, "обеим": 2}

WORD_VALUES: dict[str, int] = {}
"""Every number-word form (lower case, «е» for «ё») -> its value."""
for _value, _forms in [(1, f) for f in _ONE.values()] + [(2, f) for f in _TWO.values()] + [
    (v, f) for table in (_UNITS, _TEENS, _TENS, _HUNDREDS) for v, f in table.items()
] + [(0, _ZERO)]:
    for _form in _forms:
        WORD_VALUES[_form] = _value
WORD_VALUES.update(_VARIANTS)


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation of ``words`` factored as a trie (fast to match, longest first).

    >>> _trie_pattern(["сто", "ста", "сорок"])
    '(?:с(?:т(?:о|а)|орок))'
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in node.items() if char != ""]
        branches.sort(key=len, reverse=True)
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return "(?:" + build(trie) + ")"


_WORD = _trie_pattern(sorted(WORD_VALUES))
WORD_PATTERN = _WORD + "(?:[^а-я-]|$)"
NUMBER_WORDS_PATTERN = f"{_WORD}(?: {_WORD}){{0,2}}"
"""Regex for one to three number words separated by single spaces (lower-case text).
It is a plain RE2- and ``re``-compatible pattern (no look-arounds), matched after a
non-letter; callers check the result with :func:`parse_numeral`."""
NUMERAL_PATTERN = f"(?:[0-9]{{1,4}}|{NUMBER_WORDS_PATTERN})"
"""Digits or one to three number words."""

_MARKDOWN = re.compile(r"[*_]+")
_DIGITS = re.compile(r"^[0-9]+$")
_SPACES = re.compile(r"\s+")
_LETTERS = re.compile(r"[а-я]+")


def normalise(text: str) -> str:
    """Lower case, «ё» -> «е», markdown emphasis removed, whitespace collapsed.

    >>> normalise("**Уничтожены  ТРЁХ**")
    'уничтожены трех'
    """
    return _SPACES.sub(" ", _MARKDOWN.sub("", text.lower().replace("ё", "е"))).strip()


def _magnitude(value: int) -> int:
    return 3 if value >= 100 else 2 if value >= 20 else 1


@cache
def parse_numeral(text: str) -> int | None:
    """The value of a numeral written in digits or in words (0-999 for words), else None.

    Words must come hundreds, tens, units, one of each at most: «сорок один» is 41,
    «один сорок» is not a numeral. Markdown and case are ignored.

    >>> [parse_numeral(s) for s in ["57", "семь", "двумя", "двухстах сорока", "сорок сорок", "бпла"]]
    [57, 7, 2, 240, None, None]
    """
    words = normalise(text)
    if not words:
        return None
    if _DIGITS.match(words):
        return int(words)
    total, last = 0, 4
    for word in words.split(" "):
        value = WORD_VALUES.get(word)
        if value is None:
            return None
        size = _magnitude(value)
        if size >= last or (value == 0 and total):
            return None
        if value < 20 and last == 2 and value >= 10:
            return None  # «двадцать двенадцать»
        total, last = total + value, size
    return total


def to_words(value: int, case: str = "nom", gender: str = "m") -> str:
    """Spell ``value`` (0-999) as a Russian cardinal in ``case`` (see :data:`CASES`) and
    ``gender`` (``m``, ``f``, ``n``; it matters for 1 and 2 only). Accusative is inanimate.

    >>> to_words(132, "ins")
    'ста тридцатью двумя'
    >>> to_words(1, "acc", "f"), to_words(0)
    ('одну', 'ноль')
    """
    if not 0 <= value <= 999:
        raise ValueError(f"to_words handles 0-999, not {value}")
    i = CASES.index(case)
    if value == 0:
        return _ZERO[i]
    parts = []
    hundreds, rest = divmod(value, 100)
    if hundreds:
        parts.append(_HUNDREDS[hundreds * 100][i])
    if 10 <= rest <= 19:
        parts.append(_TEENS[rest][i])
    else:
        tens, units = divmod(rest, 10)
        if tens:
            parts.append(_TENS[tens * 10][i])
        if units == 1:
            parts.append(_ONE[gender][i])
        elif units == 2:
            parts.append(_TWO[gender][i])
        elif units:
            parts.append(_UNITS[units][i])
    return " ".join(parts)


_DRONE_SINGULAR = re.compile(
    r"(?:^|[^а-я])(?:беспилотн(?:ый|ого|ому|ым|ом) летательн\w+ аппарат(?:а|у|ом|е)?|бпла|беспилотник)"
    r"(?:[^а-я]|$)"
)
_LEADING_NUMBER = re.compile(rf"(?:^|[^а-я0-9])(?:по )?({NUMERAL_PATTERN})(?:[^а-я0-9]|$)")


def drone_count(phrase: str) -> int | None:
    """The number of drones in a short claim phrase: its numeral, or 1 for a singular noun
    with no numeral («украинский беспилотный летательный аппарат уничтожен»), else None.

    >>> drone_count("уничтожены **19** украинских БПЛА")
    19
    >>> drone_count("уничтожено и перехвачено двадцать три украинских беспилотных летательных аппарата")
    23
    >>> drone_count("уничтожен украинский беспилотный летательный аппарат самолетного типа")
    1
    >>> drone_count("над территорией области") is None
    True
    """
    text = normalise(phrase)
    for match in _LEADING_NUMBER.finditer(text):
        value = parse_numeral(match.group(1))
        if value is not None:
            return value
    return 1 if _DRONE_SINGULAR.search(text) else None


_DISTRIBUTIVE = re.compile(rf"(?:^|[^а-я])по ({NUMERAL_PATTERN})[^а-я0-9]")
_PLACE_NOUNS = re.compile(r"(?:област|кра[йяеюё]|республик|мор[еяюй])\w*$")
_FUNCTION_WORDS = frozenset({"над", "и", "территориями", "территорией", "акваториями", "акваторией",
                             "бпла", "беспилотников", "по", "–"})


def distributive(phrase: str) -> tuple[int, list[str]] | None:
    """Split a distributive item «по N ... над территориями A, B и C областей» into N (the
    count for EACH place) and the place words A, B, C (lower case, as written), or None
    when the phrase is not distributive. Place words are resolved to region ids by
    :mod:`ceasefire_stats.clean.regions_ru`.

    >>> distributive("по одному – над территориями Орловской, Тульской и Курской областей")
    (1, ['орловской', 'тульской', 'курской'])
    >>> distributive("семь БПЛА – над Курской областью") is None
    True
    """
    text = normalise(phrase)
    match = _DISTRIBUTIVE.search(text + " ")
    if match is None:
        return None
    value = parse_numeral(match.group(1))
    if value is None:
        return None
    places = []
    for chunk in re.split(r",| и ", text[match.end():].split("над", 1)[-1]):
        words = [w for w in _LETTERS.findall(chunk) if w not in _FUNCTION_WORDS]
        words = [w for w in words if not _PLACE_NOUNS.match(w)] or words[:1]
        if words:
            places.append(" ".join(words))
    return value, places
