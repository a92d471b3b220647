'''Constant patterns of the MoD post parser (:mod:`ceasefire_stats.clean.mod_posts`).

They read text already normalised by :func:`~ceasefire_stats.clean.mod_posts.normalise_texts`
(lower case, «ё» written «е», dashes «–», single spaces) and recognise:

- the **headline claim**: a count of drones next to a destruction verb, verb first or noun
  first, in digits or number words (:data:`HEADLINE_PATTERN`), and the **footer** total
  after «всего» (:data:`FOOTER_MARK`, :data:`FOOTER_TOTAL_PATTERN`);
- the **claim window**: a range «с 20.00 до 6.30» (:data:`RANGE_PATTERN`), a moment
  «около 16.30» (:data:`MOMENT_PATTERN`), a night phrase (:data:`NIGHT_PATTERN`), with
  dates in digits or month names (:data:`MONTHS`);
- the **kind** of post: digest titles (:data:`SUMMARY_PATTERN`), air-defence wording
  (:data:`AIR_DEFENCE_PATTERN`), front-line statements (:data:`OTHER_PATTERN`);
- counts of **other munitions**: rockets, missiles, guided bombs (:data:`MUNITION_RE`);
- the **breakdown** tokens: items «N – над ...», distributive «по N», region mentions
  (:data:`TOKEN_RE`);
- and the byte table and byte patterns the normaliser uses (:data:`BYTE_TABLE`).

``*_PATTERN`` strings run on whole columns in Arrow's RE2 engine (and are valid Python
``re``); ``*_RE`` are compiled Python ``re`` patterns (some need look-behind, which RE2 lacks).

>>> claim = re.search(HEADLINE_PATTERN, "силами пво уничтожены 7 бпла над морем")
>>> claim.group("n_verb")
'7'
>>> re.search(HEADLINE_PATTERN, "пять бпла были уничтожены").group("n_noun")
'пять'
>>> window = re.search(RANGE_PATTERN, "с 22.00 до 6.30 мск 3 мая")
>>> window.group("h1", "h2", "m2", "d2", "mo2")
('22', '6', '30', '3', 'мая')
>>> bool(re.search(NIGHT_PATTERN, "этой ночью было тихо"))
True
>>> rockets = MUNITION_RE.search("сбиты 3 реактивных снаряда")
>>> rockets.group("n"), rockets.lastgroup
('3', 'rockets')
>>> [m.lastgroup for m in TOKEN_RE.finditer(" 4 – над морем, по два – над полем")]
['n', 'n']
'''

from __future__ import annotations

import re

import pandas as pd

from ceasefire_stats.clean import regions_ru
from ceasefire_stats.text.ru_numerals import NUMERAL_PATTERN

# ---------------------------------------------------------------------------------------
# Words (building blocks of the patterns below)

MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
_MONTH = "(?:" + "|".join(MONTHS) + ")"
MONTH_WORDS = pd.Index(list(MONTHS))
"""Month words in calendar order (position + 1 = month number)."""
_N = NUMERAL_PATTERN
_W = "(?:од|об|дв|тр|че|пя|ше|се|во|де|со|ст|но|ну)[а-я]*"
_N_FAST = f"(?:[0-9]{{1,4}}|{_W}(?: {_W}){{0,2}})"
"""A loose numeral (digits, or one to three words starting like a number word): keeps the
whole-column RE2 patterns small enough for RE2's DFA. Captures are checked with
:func:`parse_numeral`; a row whose capture is not a numeral is re-read with the exact
pattern (Python ``re``)."""
_DRONE = (r"(?:украинск[а-я]* )?(?:беспилотн[а-я]* летательн[а-я]* аппарат[а-я]*|бпла|беспилотник[а-я]*"
          r"|беспилотн[а-я]* аппарат[а-я]*)")
_DRONE_ONE = (r"(?:украинск(?:ий|ого) )?(?:беспилотн(?:ый|ого) летательн(?:ый|ого) аппарат(?:а)?"
              r"|бпла|беспилотник)")
_DRONES_PL = r"(?:украинские )?(?:беспилотные летательные аппараты|бпла|беспилотники)"
"""A plural drone noun with no numeral: «беспилотные летательные аппараты были уничтожены»
refers back to the count of the attack («атаку двумя БПЛА»)."""
_VERB = r"(?:уничтож|перехвач|сбит|сбиты|поражен|подавлен|обнаружен)[а-я]*"
_VERB2 = rf"{_VERB}(?: и {_VERB})?"
_TYPE = r"(?: самолетного типа)?"
_B = r"(?:^|[^а-я0-9])"  # left word boundary (RE2 has no Unicode \b)

# ---------------------------------------------------------------------------------------
# Headline and footer


# Headline: leftmost claim; alternatives in priority order at the same position.
def _headline_pattern(n: str) -> str:
    """The headline regex with ``n`` as its numeral sub-pattern."""
    return (
        _B + "(?P<claim>"
        # «атаку четырьмя БПЛА ... все украинские БПЛА уничтожены»
        rf"атак[а-я]* (?:[сc] применением )?(?:[^.]*? и )?(?P<n_all>{n}) {_DRONE}[^.]*\. [^.]*?(?:все (?:{_DRONE}|воздушные цели)|{_DRONES_PL})"
        rf" (?:были )?(?:своевременно )?(?:обнаружены и )?{_VERB}"
        # singular, verb first: «уничтожен украинский беспилотный летательный аппарат»
        rf"|(?P<v_one>{_VERB2} (?:был )?{_DRONE_ONE})[^а-я]"
        # verb first: «уничтожено и перехвачено 57 украинских беспилотных летательных аппаратов»
        rf"|{_VERB2} (?:были )?(?:в полете |в воздухе )?(?:еще )?(?P<n_verb>{n}) {_DRONE}"
        rf"(?:, еще (?P<n_extra>{n}) {_DRONE})?"
        # verb first past other munitions: «уничтожены 12 реактивных снарядов и 12 БПЛА»
        rf"|{_VERB2} [^.:;]*?(?:снаряд|ракет|бомб)[^.:;]*? и (?P<n_skip>{n}) {_DRONE}"
        # noun first: «три украинских беспилотных летательных аппарата уничтожены»
        rf"|(?P<n_noun>{n}) {_DRONE}{_TYPE} (?:были |был )?(?:обнаружены и )?{_VERB}"
        rf"(?: и (?:еще )?(?P<n_more>{n}) (?:{_DRONE} )?{_VERB})?"
        # singular noun first: «украинский беспилотный летательный аппарат уничтожен»
        rf"|(?P<noun_one>{_DRONE_ONE}){_TYPE} (?:был )?(?:своевременно )?(?:обнаружен и )?"
        r"(?:уничтожен|перехвачен|сбит|подавлен)[а-я]*"
        # no count before the list: «беспилотные летательные аппараты перехвачены и уничтожены над
        # территориями белгородской 4 бпла, курской 1 бпла ...» (early 2024)
        rf"|(?P<no_count>{_DRONES_PL} (?:были )?{_VERB2} (?:в воздухе )?над территори"
        rf"|{_VERB2} (?:украинские )?беспилотные летательные аппараты (?:в воздухе )?над территори"
        rf"|(?:были )?{_VERB2}: {n} (?:украинск[а-я]* )?(?:бпла|беспилотн)"
        rf"|{_VERB2} над территори[а-я]* [а-я]+ (?:област[а-я]* )?{n} бпла)"
        ")"
    )


HEADLINE_PATTERN = _headline_pattern(_N_FAST)
HEADLINE_EXACT_RE = re.compile(_headline_pattern(_N))
FOOTER_MARK = " всего"
"""A footer starts at the first «всего» (after normalisation)."""
FOOTER_TOTAL_PATTERN = (
    rf"{_B}(?:{_VERB2} (?:были )?(?P<n_verb>{_N_FAST}) (?:украинск|беспилотн|бпла)|(?P<n_noun>{_N_FAST}) {_DRONE}{_TYPE} {_VERB})"
)

# ---------------------------------------------------------------------------------------
# Claim window

_TIME = r"(?P<{h}>[0-9]{{1,2}})[.:](?P<{m}>[0-9]{{2}})"
_DATE = r"(?P<{d}>[0-9]{{1,2}})(?: (?P<{mo}>" + _MONTH + r")|\.(?P<{mn}>[0-9]{{2}}))"
RANGE_PATTERN = (
    _B + r"(?:" + _DATE.format(d="d0", mo="mo0", mn="mn0") + r" )?(?:в период |начиная )?с "
    + r"(?:(?P<from_midnight>полуночи)|" + _TIME.format(h="h1", m="m1") + r")(?: часов)?(?: мск)?(?: " + _DATE.format(d="d1", mo="mo1", mn="mn1") + ")?"
    + r" (?:до|по) (?:(?P<midnight>полуночи)|" + _TIME.format(h="h2", m="m2") + r"(?: часов)?(?: мск)?(?: "
    + _DATE.format(d="d2", mo="mo2", mn="mn2") + ")?)"
)
MOMENT_PATTERN = (
    _B + r"(?:" + _DATE.format(d="d1", mo="mo1", mn="mn1") + r" (?:т\.г\. )?)?(?:сегодня )?"
    r"(?:около|примерно в|в районе|в) (?:(?P<h1>[0-9]{1,2})[.:](?P<m1>[0-9]{2})"
    r"|(?P<h2>[0-9]{1,2}) час[а-я]*(?: (?P<m2>[0-9]{1,2}) минут)?)(?:[^0-9]|$)"
)
NIGHT_PATTERN = (
    r"(?:прошедшей ночи|прошедшую ночь|сегодня ночью|этой ночью|минувшей ночью|в ночное время"
    r"|ночью [0-9]{1,2} " + _MONTH + ")"
)

# ---------------------------------------------------------------------------------------
# Kind of post

OTHER_PATTERN = r"(?:заявление|пресс-центр)"
"""Front-line statements of the army groups: they mention drones shot down in passing."""
AIR_DEFENCE_PATTERN = r"пво|рэб|средствами|силами|перехвач|пресечен[аы]? попытк"
_SPAN = r"(?:[^.!?]|\.[0-9])"  # within one sentence (a clock time «23.50» does not end it)
_DRONE_NOUN = r"(?:бпла|беспилотн[а-я]* летательн[а-я]* аппарат[а-я]*|беспилотник[а-я]*)"
_PASSIVE = r"(?:уничтожен|перехвачен|сбит|поражен|подавлен)(?:ы|о|а)?(?:[^а-я]|$)"
_OVER = r"над (?:территори|акватори|[а-я]+ (?:област|район|кра[еяю]|республик))"
SKY_PHRASE = "в небе над"
SKY_BLANKED = "в небе"
""":data:`SKY_PHRASE` is replaced by this before :data:`REPORT_FRAME_PATTERN` is matched: «в
небе над Харьковской областью» is how front-line posts of air-defence crews place their kills
(RE2 has no look-behind to say "над, but not after в небе")."""
REPORT_FRAME_PATTERN = (
    rf"(?:{_DRONE_NOUN}{_SPAN}*{_PASSIVE}|{_PASSIVE}{_SPAN}*{_DRONE_NOUN}){_SPAN}*{_OVER}"
    rf"|{_OVER}{_SPAN}*{_PASSIVE}{_SPAN}*{_DRONE_NOUN}"
)
"""An intercept report's frame, with or without a count the parser can read: a drone noun and
a passive destruction verb in one sentence with the place «над территорией / акваторией / над
Брянской областью» («еще один украинский беспилотник уничтожен над территорией Белгородской
области», «были уничтожены: две ОТР ...; три украинских БПЛА над территорией Брянской
области»). Passive only, and not «в небе над»: front-line posts of air-defence crews («расчет
ЗРК уничтожил БПЛА в небе над Харьковской областью») are not the ministry's reports. A post in
this frame is a report even where no air-defence word is named; when its count cannot be read
it is a ``failed`` report (rejected as ``no_count_parsed``), never ``other``.

RE2 only (Arrow), in both paths: its unbounded ``*`` spans run in linear time, where Python's
backtracking ``re`` takes seconds on a hostile 4,096-character sentence (and bounded spans
made RE2 twenty times slower)."""
SUMMARY_PATTERN = (
    r"(?:главное за день|сводка|о ходе проведения специальной военной операции"
    r"|о ходе отражения попытки вторжения|итоги недели|итогам недели)"
)

# ---------------------------------------------------------------------------------------
# Other munitions

_MUNITION_NOUNS = {
    "rockets": r"(?:реактивн[а-я]* снаряд[а-я]*|снаряд[а-я]* рсзо)",
    "missiles": r"(?:[а-я-]*ракет[а-я]*|отр(?![а-я]))",
    "guided_bombs": r"(?:[а-я]* ?(?:авиабомб|авиационн[а-я]* бомб|бомб)[а-я]*)",
}
MUNITION_RE = re.compile(
    rf"(?<![а-я0-9])(?P<n>{_N}) (?:[а-я-]+ ){{0,2}}?(?:"
    + "|".join(f"(?P<{kind}>{noun})" for kind, noun in _MUNITION_NOUNS.items()) + ")"
)
"""A count of rockets, missiles or guided bombs; the named group that matched gives the kind."""
MISSILE_ONE_RE = re.compile(r"(?<![а-я])(?:противорадиолокационная|крылатая|управляемая|оперативно-тактическая) ракета")
MUNITION_HINT_PATTERN = r"снаряд|ракет|бомб"
MUNITION_CLAIM_RE = re.compile(
    rf"(?:{_VERB}).{{0,80}}(?:{MUNITION_HINT_PATTERN})|(?:{MUNITION_HINT_PATTERN}).{{0,40}}{_VERB}")
"""A destruction verb near a munition noun (either order)."""
DRONE_WORD_RE = re.compile(r"бпл|беспилот")
MUNITION_WORD_RE = re.compile(r"снаряд|ракет|бомб|безэкипаж")

# ---------------------------------------------------------------------------------------
# Breakdown tokens (Python ``re``: needs look-behind); matched in order over each post's
# text from its headline on.
_ITEM_VERB = r"(?:(?:были |был )?(?:уничтожен|сбит|перехвачен|поражен|подавлен)[а-я]*(?: и (?:уничтожен|перехвачен)[а-я]*)?)"
TOKEN_RE = re.compile(
    r" (?:"  # a token starts after a space (a literal first: the engine jumps between spaces)
    r"(?P<skip>в том числе [^,–;]*(?:, летевш[а-я]* на [а-я]+)?|у (?:[а-я-]+ )?побережья(?: [а-я-]+){1,2})"
    r"|(?P<mun>(?:ракет|снаряд|авиабомб|бомб|безэкипаж|отр(?![а-я]))[а-я]*)"
    r"(?=(?:(?! и )[^,.;])*?(?:уничтожен|сбит|перехвачен|над ))"
    rf"|(?P<po>по )?(?P<n>{_N}) (?:{_DRONE} )?(?:самолетного типа )?(?:{_ITEM_VERB} )?"
    r"(?:–(?! по )(?: над)?|(?:над|в акватории|в районе))(?![а-я])"
    rf"|(?<!все )(?P<one>{_DRONE_ONE}){_TYPE} (?:(?:был )?(?:уничтожен|сбит|перехвачен)(?: и (?:уничтожен|перехвачен))? )?"
    r"(?:средствами пво )?(?:в воздухе )?над(?![а-я])"
    rf"|(?:уничтожен|сбит|перехвачен)[а-я]*(?= (?P<n_post>{_N}) (?:{_DRONE}|бпл|беспилотн|$))"
    rf"|(?<!\. )(?<!еще )(?P<n_after>{_N}) (?:бпла|беспилотник[а-я]*)(?![а-я])"
    rf"|(?P<reg>{regions_ru.MENTION_PATTERN})"
    r")"
)

# ---------------------------------------------------------------------------------------
# Normalisation (bytes of cp1251-encoded text)

# Characters replaced by a space before matching (emoji, bullets, brackets...): every
# character that is not a letter, digit, space or kept punctuation.
_KEPT = "абвгдежзийклмнопрстуфхцчшщъыьэюяabcdefghijklmnopqrstuvwxyz0123456789 .,:;–«»\"%№/\x1e-"


_LOOKALIKES = str.maketrans("aceopxy", "асеорху")
"""Latin letters typed inside Russian words («уничтоженo», «c применением»): read as Cyrillic
(the patterns match Russian only, so Latin words are never needed)."""


def _byte_map(byte: int) -> int:
    """A cp1251 byte -> the byte of its normalised character, or a space (see :data:`BYTE_TABLE`)."""
    char = bytes([byte]).decode("cp1251", errors="replace").lower().replace("ё", "е").replace("—", "–")
    char = char.translate(_LOOKALIKES)
    return char.encode("cp1251")[0] if len(char) == 1 and char in _KEPT else 32


BYTE_TABLE = bytes(_byte_map(b) for b in range(256))
"""cp1251 byte -> its lower-case kept character («ё» -> «е», «—» -> «–»), else a space."""
DASH_BYTE = "–".encode("cp1251")
SPACES_BYTES_RE = re.compile(rb"  +")
COMMA_BYTES_RE = re.compile(rb",(?=[\xe0-\xff])")
URL_PATTERN = "https?://[^)" + "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x3001)) if c.isspace()) + "]*"
"""A link up to whitespace (Python's ``\\s``: every ``str.isspace`` character) or «)»; RE2."""
TWO_SEAS_BYTES = [(f"{a} и {b} морей".encode("cp1251"), f"{a} моря и {b} моря".encode("cp1251"))
                  for a in ("черного", "азовского", "каспийского") for b in ("черного", "азовского", "каспийского")
                  if a != b]
"""«над акваториями Азовского и Черного морей»: both seas are named by one noun."""

# ---------------------------------------------------------------------------------------
# Named groups of the whole-column patterns

GROUP_NAMES = {p: tuple(re.compile(p).groupindex)
               for p in (HEADLINE_PATTERN, FOOTER_TOTAL_PATTERN, RANGE_PATTERN, MOMENT_PATTERN)}
"""The named groups of each whole-column RE2 pattern (read once, at import)."""

# ---------------------------------------------------------------------------------------
# Patterns also compiled for Python ``re`` (the corpus generator reads one normalised text with them)

HEADLINE_RE = re.compile(HEADLINE_PATTERN)
RANGE_RE = re.compile(RANGE_PATTERN)
MOMENT_RE = re.compile(MOMENT_PATTERN)
NIGHT_RE = re.compile(NIGHT_PATTERN)
URL_RE = re.compile(r"https?://[^)\s]*")
""":data:`URL_PATTERN` in Python ``re``: ``\\s`` is every ``str.isspace`` character."""
