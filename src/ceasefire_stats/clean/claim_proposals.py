"""Propose whole numeric claims from an English article, to speed up curation.

An assistant for a person, not an oracle: :func:`propose` lists every quantity that looks like a
claim, with its sentence, the number as written, the parsed range and qualifier, the **counted
noun**, a guessed **metric** (:data:`ceasefire_stats.vocab.CLAIM_METRICS`), **direction** and weapon
class, and the attributed **speaker**; :func:`draft` writes them as a claims file in the ledger's
format, marked as proposals for a curator to confirm (``ceasefire-stats claims propose``).

What it finds (regexes compiled once):

- numbers in digits or words with an optional qualifier ("more than 20 homes", "seven drones",
  "57 Ukrainian drones"), and vague quantities ("several strikes");
- ``a``/``an`` items in a list that also holds a number ("two hospitals, a railway, and more than
  20 homes" -> 1 railway);
- enumerations of three or more capitalised names after "regions of" and similar ("the regions of
  Kyiv, Zhytomyr, ... and Cherkasy" -> 9 regions, ``number_text`` ``"9 (listed)"``).

Not proposed: years ("in 2014"), dates ("April 21", "21 April"), clock times ("09:30", "6 p.m."),
durations ("30 days", "the past 24 hours", "three-day"), ordinals, "one of", "no", and page
furniture ("Photo 1 of 4", "5 min read", "2 comments", lines starting "Updated"/"Published"/"By").

**The counted noun** is the noun the number counts, skipping modifiers ("57 Ukrainian drones",
"87 attack drones" -> drones; "3,316 drone strikes" -> strikes). A number without its own noun
takes the last counted noun before it (its antecedent): "1,882 shellings ..., 812 of them" ->
shellings; "158 drones, 67 of them over Krasnodar and 29 over the Rostov region" -> drones; "42
drones ..., while 47 others" -> drones; "killed"/"injured" with no noun count ``people``.

**The metric** is read from the noun (violations; shellings/assaults/attacks/strikes are
``attacks``, ``energy_strikes`` near an energy word; buildings/homes/settlements are ``hit``) or
else from the verb phrase nearest the number (shot down/destroyed -> intercepted, lost from
radar/off radar/electronic warfare -> lost_from_radar, launched/fired -> launched, killed,
injured, violated/breached -> violations); a number with an antecedent inherits its metric.
**The direction** (``ru_to_ua``: Russia's weapons or actions against Ukraine; ``ua_to_ru`` the
reverse; for violations and attacks, whose they are) comes from the adjective on the noun
("Ukrainian drones"), else the acting side ("Russian forces violated", "accused Kyiv"), else a
place (Kursk, Rostov ... vs Kharkiv, Odesa ...), else the antecedent, else the speaker's side
(a side counts the other's weapons and violations).

**The speaker** is the one attributed after the closing quote around the number ('"...," he said');
else one named next to a speech verb or after "according to" in the sentence (the package alias
table; curly apostrophes read as straight ones; "Name, an adviser to X, said" is Name); a named
person outside the table ("regional governor Oleh Kiper said") gives **no** speaker, never the
last known one; "he said"/"it said"/"the ministry said" refer back to the latest speaker;
"reportedly" gives ``unattributed``; otherwise the previous sentence's speaker is carried over
(``speaker_basis`` says which rule applied).

>>> p = propose('Zelenskyy said that 150 Russian drones were launched. "Seven were shot down," he said.')
>>> p[["value_stated", "counted", "metric", "direction", "speaker", "speaker_basis"]].values.tolist()
[[150, 'drones', 'launched', 'ru_to_ua', 'zelenskyy', 'named'], [7, 'drones', 'intercepted', 'ru_to_ua', 'zelenskyy', 'quote']]
"""

from __future__ import annotations

import re

import pandas as pd

from ceasefire_stats.clean.claimants import CLAIMANTS, alias_index
from ceasefire_stats.text.en_numerals import TENS, UNITS, NumberParseError, parse_quantity

_NUMBER_WORD_LIST = sorted(
    [w for w in UNITS if w not in ("a", "an", "no", "none", "nil", "single", "zero")] + list(TENS),
    key=len, reverse=True,
)
_WORD = "|".join(_NUMBER_WORD_LIST)
_WORD_NUMBER = rf"(?:(?:{_WORD})(?:[- ](?:{_WORD}))*(?:\s+(?:hundred|thousand|million)(?:\s+(?:and\s+)?(?:{_WORD})(?:-(?:{_WORD}))?)?)?)"
_QUALIFIER = (r"(?:more than|fewer than|less than|at least|up to|as many as|no more than|no fewer than|"
              r"about|around|approximately|roughly|nearly|almost|over|some)")
NUMBER_RE = re.compile(
    rf"(?<![\w:.\-/])(?:(?P<qual>{_QUALIFIER})\s+)?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUMBER})(?![\w:\-/]|\.\d)",
    re.IGNORECASE,
)
VAGUE_RE = re.compile(r"\b(?P<num>several|a few|dozens of|hundreds of|thousands of|a couple of)\b", re.IGNORECASE)
LIST_ITEM_RE = re.compile(r"(?:,|\band\b)\s+(?P<num>an?)\s+(?P<noun>[a-z][a-z-]+)(?=\s*(?:,|\band\b|\.|$))")
ENUM_RE = re.compile(
    r"\b(?P<noun>regions|provinces|oblasts|cities|countries|districts)\s+of\s+(?:the\s+)?"
    r"(?P<items>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?(?:,\s+[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)+,?\s+and\s+[A-Z][\w'-]+)"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])|\n\s*\n|\n")

# --- what is not a count ---------------------------------------------------------------------
_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
           r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
_DATE_BEFORE = re.compile(rf"\b{_MONTHS}\s*$")
_DATE_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+{_MONTHS}(?![a-z])")
_DURATION_AFTER = re.compile(r"^[\s-]*(?:hours?|days?|weeks?|months?|years?|minutes?|mins?|hrs?|seconds?|"
                             r"a\.m\.|p\.m\.|am|pm|GMT|UTC|MSK|o'clock|percent|per cent|%|million|billion|bn|"
                             r"dollars|euros|hryvnias?|roubles|rubles)(?![a-z])", re.IGNORECASE)
_RANGE_DATE_AFTER = re.compile(rf"^\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?![a-z])")
_MONEY_BEFORE = re.compile(r"(?:\$|€|£|US\$|USD\s|EUR\s|UAH\s)$")
_FURNITURE_AFTER = re.compile(r"^\s+(?:of\s+\d+\s*(?:$|[|,.;)\n])|comments?\b|shares?\b|views?\b|likes?\b|replies\b)",
                              re.IGNORECASE)
_FURNITURE_LINE = re.compile(r"^\s*\(?(?:Updated|Published|Photo|Image|Video|By\s|Read more|Share|Copyright|©|"
                             r"Reporting by|Writing by|Editing by)",
                             re.IGNORECASE)
_YEAR_CONTEXT = re.compile(r"\b(?:in|since|by|of|until|from)\s+$", re.IGNORECASE)

# --- the counted noun --------------------------------------------------------------------------
_MODIFIERS = frozenset({
    "ukrainian", "russian", "more", "new", "other", "the", "large", "small", "enemy", "civilian", "attack",
    "attacking", "additional", "separate", "own", "such", "its", "their", "strike", "shahed-type", "shahed",
    "ballistic", "cruise", "guided", "glide", "aerial", "air", "heavy", "artillery", "drone", "missile",
    "apartment", "residential", "energy", "power", "decoy", "kamikaze", "fpv", "long-range", "combat",
    "fixed-wing", "unmanned", "iranian-made", "armed", "ceasefire", "truce", "military", "reconnaissance",
})
"""Words between a number and its noun that describe it ("57 Ukrainian drones", "3,316 drone strikes")."""
_NOT_NOUN = frozenset({
    "were", "was", "is", "are", "have", "has", "had", "and", "or", "to", "in", "on", "at", "by", "that", "which",
    "who", "with", "for", "from", "but", "been", "will", "would", "said", "of", "over", "near", "across", "along",
    "inside", "outside", "into", "them", "those", "these", "others", "went", "vanished", "disappeared", "fell",
    "landed", "killed", "injured", "wounded", "dead", "died", "including", "while", "as", "than", "out", "more",
    "each", "per", "a", "an", "it", "they", "there", "got", "remained", "did", "could", "may",
})
"""A word after the number that shows it has no noun of its own (it counts its antecedent)."""
_PEOPLE_AFTER = re.compile(r"^\s+(?:were\s+|was\s+|people\s+)?(?:killed|injured|wounded|dead|died|hurt)\b", re.IGNORECASE)
WEAPON_NOUNS = {"drones": "drone", "drone": "drone", "uavs": "drone", "uav": "drone", "shaheds": "drone",
                "decoys": "drone", "missiles": "missile", "missile": "missile", "bombs": "guided_bomb",
                "bomb": "guided_bomb", "rockets": "missile"}
"""Counted nouns that are weapons, with the claim file's weapon class."""
_EVENT_NOUNS = {"violations": "violations", "violation": "violations", "shellings": "attacks",
                "assaults": "attacks", "attacks": "attacks", "strikes": "attacks", "attempts": "attacks",
                "clashes": "attacks", "incursions": "attacks"}
_OBJECT_NOUNS = frozenset({"buildings", "homes", "houses", "blocks", "settlements", "facilities", "hospitals",
                           "schools", "railways", "railway", "substations", "sites", "villages", "towns", "cars",
                           "vehicles", "house", "building", "home", "regions", "oblasts", "enterprises"})
_PERSON_NOUNS = frozenset({"people", "civilians", "persons", "person", "children", "child", "woman", "women", "man",
                           "men", "soldiers", "residents"})

# --- the metric --------------------------------------------------------------------------------
_METRIC_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((m, re.compile(p, re.IGNORECASE)) for m, p in (
    ("lost_from_radar", r"lost (?:from|off) (?:the )?radar|off (?:the )?radar|from (?:the )?radar|lost to electronic "
                        r"warfare|electronic warfare|locationally lost|vanished|disappeared|redirected|jammed|suppressed"),
    ("intercepted", r"shot down|shoot\w* down|downed|downing|destroy(?:ed|ing)|intercept\w*|neutrali[sz]\w*|repelled|"
                    r"taken down"),
    ("violations", r"violat\w*|breach\w*|broken? (?:the|its|their) (?:own )?(?:truce|ceasefire)"),
    ("killed", r"killed|died|dead|deaths?"),
    ("injured", r"injured|wounded|hurt"),
    ("launched", r"launched|fired|attacked \w+ with|sent|used|counted"),
    ("hit", r"damaged|destroyed buildings"),
))
_ENERGY = re.compile(r"energy|power (?:plant|station|facilit|grid|line)|substation|grid|oil|gas|electric|pipeline|"
                     r"refiner", re.IGNORECASE)

# --- the direction -----------------------------------------------------------------------------
_RU = r"(?:Russia|Russian|Moscow|Kremlin)"
_UA = r"(?:Ukraine|Ukrainian|Kyiv|Kiev)"
_ACT = (r"(?:\w+\s){0,2}(?:launched|fired|attacked|struck|hit|violated|breached|broke|broken|carried out|used|"
        r"shelled|sent|had)")
_ACTOR_RU = re.compile(rf"\b{_RU}(?:['’]s)?(?:\s+(?:forces|troops|army|military|units))?\s+{_ACT}|accused {_RU}\b"
                       rf"|\b{_RU}\s+(?:drone|missile|glide|guided|air|artillery)\b")
_ACTOR_UA = re.compile(rf"\b{_UA}(?:['’]s)?(?:\s+(?:forces|troops|army|military|units))?\s+{_ACT}|accused {_UA}\b"
                       rf"|\b{_UA}\s+(?:drone|missile)\s+(?:attack|strike)")
_ADJ_RU = re.compile(r"^(?:\s+(?:more|other|new|additional))?\s+Russian\b")
_ADJ_UA = re.compile(r"^(?:\s+(?:more|other|new|additional))?\s+Ukrainian\b")
"""The side as the adjective of the counted noun: "57 Ukrainian drones", "220 Russian strikes"."""
_RU_PLACES = re.compile(r"\b(?:Kursk|Belgorod|Bryansk|Rostov|Krasnodar|Oryol|Voronezh|Tula|Kaluga|Smolensk|"
                        r"Lipetsk|Moscow region|Ryazan|Tver|Saratov|Tambov|Kaliningrad|Crimea|Azov)\b")
_UA_PLACES = re.compile(r"\b(?:Kharkiv|Odesa|Odessa|Sumy|Zaporizhzhia|Dnipro\w*|Kherson|Mykolaiv|Poltava|"
                        r"Cherkasy|Pokrovsk|Chernihiv|Zhytomyr|Vinnytsia|Lviv|Kryvyi Rih|Donetsk|Vasylivka)\b")

# --- the speaker ----------------------------------------------------------------------------------
_SPEECH = (r"(?:said|says|stated|states|told|posted|added|wrote|announced|claimed|reported|accused|described|"
           r"called|continued|responded|rejected|confirmed|warned|counted|recorded)")
_PRONOUN_RE = re.compile(rf"\b(?P<ref>he|she|they|it|the ministry|the institute|the kremlin|the spokesman|the air force)"
                         rf"\s+(?:also\s+)?{_SPEECH}\b|\b{_SPEECH}\s+(?P<ref2>he|she|it)\b", re.IGNORECASE)
_REPORTEDLY = re.compile(r"\breportedly\b", re.IGNORECASE)
_GENERIC_SPEAKER = re.compile(r"\b(?:officials|authorities|sources|witnesses|residents|local media|medics|rescuers|"
                              r"police|emergency services)\s+(?:\w+\s+)?(?:said|say|says|reported|told)\b", re.IGNORECASE)
"""Speakers without a name ("officials said"): the claim is nobody's in the alias table."""
_NAME = r"[A-Z][a-z'’-]+(?:\s[A-Z][a-z'’-]+){0,2}"
_UNKNOWN_SUBJECT = re.compile(rf"(?P<name>{_NAME})(?:,\s[^,.]{{1,60}},)?,?\s+(?:also\s+)?{_SPEECH}\b")
_UNKNOWN_OBJECT = re.compile(
    rf"\b{_SPEECH},?\s+(?:(?!on\b|in\b|at\b|to\b|from\b|by\b|with\b|via\b|that\b)[a-z]+\s){{0,3}}(?P<name>{_NAME})"
    r"\s*(?:[,.;]|$)")
_NOT_NAMES = frozenset({"He", "She", "It", "They", "The", "This", "That", "There", "A", "An", "In", "On", "Of",
                        "We", "I", "Separately", "Later", "Earlier", "Officials", "Sources", "Authorities",
                        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Telegram",
                        "Facebook", "X", "Reuters", "Wire", "January", "February", "March", "April", "May", "June",
                        "July", "August", "September", "October", "November", "December", "Ukraine", "Russia"})
UNKNOWN = "unknown"
"""History marker of a named speaker outside the alias table ("he said" after it is unknown too)."""


def _aliases() -> tuple[re.Pattern[str], dict[str, str]]:
    index = {k: v for k, v in alias_index().items() if k not in ("reportedly", "the institute", "institute")}
    names = sorted(index, key=len, reverse=True)
    pattern = re.compile(r"\b(?P<alias>" + "|".join(re.escape(n) for n in names) + r")\b(?!'s\s+(?!" + _SPEECH + "))",
                         re.IGNORECASE)
    return pattern, index


_ALIAS_RE, _ALIAS_INDEX = _aliases()
_SPEECH_NEAR = re.compile(_SPEECH, re.IGNORECASE)

COLUMNS = ["sentence_no", "sentence", "start", "end", "kind", "number_text", "value_stated", "value_low",
           "value_high", "qualifier", "counted", "metric", "direction", "weapon_class", "speaker", "speaker_basis"]


def sentences(text: str) -> list[tuple[int, str]]:
    """(start offset, sentence) pairs; splits on sentence punctuation before a capital and on newlines.

    >>> [s for _, s in sentences("He said it. The U.S. president agreed.\\nNew line")]
    ['He said it.', 'The U.S. president agreed.', 'New line']
    """
    out, pos = [], 0
    for match in _SENTENCE_END.finditer(text):
        chunk = text[pos:match.start() + (1 if text[match.start()] in "\"”’'" else 0)]
        if chunk.strip():
            out.append((pos + len(chunk) - len(chunk.lstrip()), chunk.strip()))
        pos = match.end()
    if text[pos:].strip():
        out.append((pos + len(text[pos:]) - len(text[pos:].lstrip()), text[pos:].strip()))
    return out


def _plain(text: str) -> str:
    """Curly apostrophes and quotes as straight ones (same length, so offsets stay true)."""
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def _own_noun(after: str) -> str | None:
    """The noun right after a number ("57 Ukrainian drones" -> drones), or None when the number
    has none of its own ("812 of them", "29 over the Rostov region", "47 others")."""
    tokens = re.findall(r"[A-Za-z][\w'-]*|[^\sA-Za-z]", after)[:5]
    for k, token in enumerate(tokens):
        low = token.lower()
        if not token[0].isalpha() or low in _NOT_NOUN:
            return None
        following = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
        if low in _MODIFIERS or low.endswith("-type") or token[0].isupper():
            if following and following[0].isalpha() and following not in _NOT_NOUN:
                continue
            if low in _MODIFIERS and not token[0].isupper() and low not in ("more", "other", "the", "its", "their"):
                return low  # "the drone" alone: the modifier is the noun
            return None
        return low
    return None


def _of_the_noun(after: str) -> str | None:
    """ "60 of the 108 drones" -> drones."""
    match = re.match(r"^\s+of\s+(?:(?:the|its|their)\s+)?(?:\d[\d,]*\s+)?(?P<rest>.*)", after)
    return _own_noun(" " + match["rest"]) if match else None


def _metric(noun: str | None, sentence: str, start: int, end: int, lo: int = 0, default: bool = True) -> str | None:
    """The metric of the number at ``sentence[start:end]``: from its noun, else the nearest cue
    at or after offset ``lo`` (the end of its antecedent), else ``launched`` for weapons (when
    ``default``)."""
    local = sentence[max(0, start - 60):end + 60]
    if noun in WEAPON_NOUNS and re.search(r"\b\d[\d,]*\s+of (?:(?:the|its|their)\s+)?$", sentence[:start]):
        return "launched"  # "60 of the 108 drones": the whole is the number launched
    if noun in _EVENT_NOUNS:
        if _EVENT_NOUNS[noun] == "attacks" and _ENERGY.search(local):
            return "energy_strikes"
        return _EVENT_NOUNS[noun]
    if noun == "times":
        if re.search(r"violat|breach|broke", local, re.IGNORECASE):
            return "violations"
        return "energy_strikes" if _ENERGY.search(local) else "attacks"
    metric = (_passive_cue(sentence[end:end + 60]) or _nearest_cue(sentence, start, end, lo, after_only=not default)
              or _nearest_cue(sentence, start, end, lo))
    if noun in _OBJECT_NOUNS:
        return "energy_strikes" if _ENERGY.search(local) and noun in ("regions", "sites", "facilities") else (
            metric if metric in ("hit", "energy_strikes") else "hit")
    if noun in _PERSON_NOUNS and metric not in ("killed", "injured"):
        return "killed" if re.search(r"killed|died|dead", local, re.IGNORECASE) else metric
    if metric is None and noun in WEAPON_NOUNS and default:
        return "launched"
    return metric


_PASSIVE = re.compile(r"^(?:\s+[\w'-]+){0,3}?\s+(?:were|was|have been|had been|are|got)\s+(?=\w)")


def _passive_cue(after: str) -> str | None:
    """The metric of "N drones were destroyed": the verb of the number's own clause, right after its noun."""
    match = _PASSIVE.match(after)
    if match is None:
        return None
    rest = after[match.end():]
    for text in (rest, re.sub(r"^\w+\s+", "", rest)):  # "were destroyed", "were later destroyed"
        metric = next((metric for metric, cue in _METRIC_CUES if cue.match(text)), None)
        if metric is not None:
            return metric
    return None


def _nearest_cue(sentence: str, start: int, end: int, lo: int = 0, after_only: bool = False) -> str | None:
    """The metric whose cue is nearest the number (within 80 characters, from offset ``lo`` on; after
    the number only, within 40, when ``after_only``: "... and 36 were lost to electronic warfare")."""
    best: tuple[int, str] | None = None
    for metric, cue in _METRIC_CUES:
        for match in cue.finditer(sentence):
            if match.start() < lo or (after_only and match.start() < end):
                continue
            gap = start - match.end() if match.end() <= start else match.start() - end
            if gap < 0 or gap > (40 if after_only else 80):
                continue
            if best is None or gap < best[0]:
                best = (gap, metric)
    return best[1] if best else None


def _direction(sentence: str, start: int, end: int) -> str | None:
    """The direction of the number at ``sentence[start:end]`` from the sentence alone (None when it
    does not say): the adjective on its noun, the acting side, a place."""
    plain = _plain(sentence)
    after = plain[end:end + 40]
    if _ADJ_UA.match(after):
        return "ua_to_ru"
    if _ADJ_RU.match(after):
        return "ru_to_ua"
    acts = [(m.start(), "ru_to_ua") for m in _ACTOR_RU.finditer(plain)] + [
        (m.start(), "ua_to_ru") for m in _ACTOR_UA.finditer(plain)]
    before = [a for a in acts if a[0] < end]
    if before:
        return max(before)[1]
    if acts:
        return min(acts)[1]
    ru, ua = _RU_PLACES.search(plain), _UA_PLACES.search(plain)
    if ru and not ua:
        return "ua_to_ru"
    if ua and not ru:
        return "ru_to_ua"
    return None


_SUBJECT_OF_SPEECH = re.compile(rf"^(?:,\s[^,.]{{1,60}},)?(?:\s+(?:also|then|later|has|had|have))?\s+{_SPEECH}\b",
                                re.IGNORECASE)
_OBJECT_OF_SPEECH = re.compile(rf"\b(?:{_SPEECH}|according to)\s+(?:the\s+)?(?:(?:Russia|Ukraine)'s\s+)?$", re.IGNORECASE)
_END_OF_OBJECT = re.compile(r"^\s*(?:[,.;:!?]|$)")
"""After "said X" or "according to X", X is the speaker only if nothing follows ("said Peskov.");
"said Russia had ..." makes Russia the subject of what was said, not its speaker."""


def _candidates(sentence: str) -> list[tuple[int, int, str]]:
    """(offset, directness, speaker) of every speaker named in ``sentence``: claimants of the
    alias table next to a speech verb, and named people outside it (speaker :data:`UNKNOWN`)."""
    plain = _plain(sentence)
    found: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int]] = []
    for match in _ALIAS_RE.finditer(plain):
        obj = bool(_OBJECT_OF_SPEECH.search(plain[:match.start()]))
        if obj and not _END_OF_OBJECT.match(plain[match.end():]) and not re.search(
                r"according to\s+(?:the\s+)?(?:(?:Russia|Ukraine)'s\s+)?$", plain[:match.start()], re.IGNORECASE):
            continue  # "said Russia had broken ...": Russia is what was said about
        direct = bool(_SUBJECT_OF_SPEECH.match(plain[match.end():]) or obj)
        window = plain[max(0, match.start() - 60):match.end() + 60]
        if not direct and not _SPEECH_NEAR.search(window):
            continue
        key = match["alias"].casefold()
        claimant = _ALIAS_INDEX.get(key) or _ALIAS_INDEX.get(key.removeprefix("the "))
        if claimant is None:
            continue
        found.append((match.start(), 0 if direct else 1, claimant))
        spans.append((match.start(), match.end()))
    for pattern in (_UNKNOWN_SUBJECT, _UNKNOWN_OBJECT):
        for match in pattern.finditer(plain):
            name = match["name"]
            first = name.split()[0]
            if first in _NOT_NAMES or _ALIAS_RE.fullmatch(name) or any(
                    s <= match.start("name") < e or match.start("name") <= s < match.end("name") for s, e in spans):
                continue
            if re.fullmatch(rf"{_RU}|{_UA}|{_RU}'s|{_UA}'s", name):
                continue
            found.append((match.start("name"), 0, UNKNOWN))
    return found


def _speaker_in(sentence: str, at: int, direct_only: bool = False) -> str | None:
    """The speaker named in ``sentence`` for the number at offset ``at``: one directly before or
    after a speech verb ("Zelenskyy said", "said Peskov", "according to the Air Force") wins; else
    one within 60 characters of a verb (not with ``direct_only``); ties go to the one nearest ``at``.
    :data:`UNKNOWN` when that speaker is a named person outside the alias table; None when nobody is named."""
    best = min(((direct, abs(offset - at), who) for offset, direct, who in _candidates(sentence)
                if not (direct_only and direct)), default=None)
    return best[2] if best else None


_QUOTE_SPAN = re.compile(r"[\"“](?P<inner>[^\"“”]+)[\"”]")
_AFTER_QUOTE = re.compile(rf"^\s*,?\s*(?:(?P<ref>he|she|they|it|the ministry|the institute|the air force)|"
                          rf"(?P<alias>[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)*))\s+{_SPEECH}\b")


def _quote_attribution(sentence: str, at: int, history: list[str]) -> str | None:
    """The speaker after the closing quote around offset ``at`` ('"...150 drones...," he said')."""
    for span in _QUOTE_SPAN.finditer(sentence):
        if span.start() <= at < span.end():
            tail = _AFTER_QUOTE.match(_plain(sentence[span.end():]))
            if tail is None:
                return None
            if tail["ref"]:
                return _resolve_reference(tail["ref"], history)
            key = tail["alias"].casefold()
            return _ALIAS_INDEX.get(key) or _ALIAS_INDEX.get(key.removeprefix("the ")) or UNKNOWN
    return None


def _resolve_reference(ref: str, history: list[str]) -> str | None:
    ref = ref.lower()
    if ref in ("he", "she", "they", "it", "the spokesman"):
        return history[-1] if history else None
    word = ref.split()[-1]  # ministry, institute, kremlin, force
    for claimant in reversed(history):
        if claimant != UNKNOWN and (word in CLAIMANTS[claimant].name.lower() or word in claimant):
            return claimant
    return {"ministry": "ru_mod", "institute": None, "kremlin": "ru_government", "force": "ua_air_force"}.get(word)


_SIDE_DIRECTION = {"UA": "ru_to_ua", "RU": "ua_to_ru"}
"""A side counts the other's weapons and violations: a Ukrainian speaker's count is of Russia's."""


def _numbers(sentence: str) -> list[dict[str, object]]:
    """The quantities of one sentence (offsets within it), without speakers, metrics or directions."""
    found: list[dict[str, object]] = []
    if _FURNITURE_LINE.match(sentence):
        return found
    taken: list[tuple[int, int]] = []
    for match in ENUM_RE.finditer(sentence):
        items = [i for i in re.split(r",\s*|\s+and\s+", match["items"]) if i.strip()]
        if len(items) >= 3:
            n = len(items)
            found.append(dict(start=match.start(), end=match.end(), kind="enumeration", number_text=f"{n} (listed)",
                              value_stated=n, value_low=n, value_high=n, qualifier="exact",
                              counted=match["noun"].lower(), own=True))
            taken.append((match.start(), match.end()))
    for match in NUMBER_RE.finditer(sentence):
        num = match["num"]
        before, after = sentence[:match.start()], sentence[match.end():]
        if re.fullmatch(r"(19|20)\d\d", num) and (_YEAR_CONTEXT.search(before) or not _own_noun(after)
                                                 or _DATE_BEFORE.search(before.rstrip(", "))):
            continue  # a year
        if _DATE_BEFORE.search(before) or _DATE_AFTER.match(after) or _RANGE_DATE_AFTER.match(after):
            continue  # "April 21", "21 April", "the night of 10 to 11 May"
        if _MONEY_BEFORE.search(before):
            continue  # "$50 million"
        if _DURATION_AFTER.match(after) or _FURNITURE_AFTER.match(after):
            continue  # "24 hours", "6 p.m.", "Photo 1 of 4", "2 comments"
        if re.search(r"(?:Photo|Image|page)\s+$", before, re.IGNORECASE):
            continue
        if num.lower() == "one" and re.match(r"\s+of\b", after):
            continue  # "one of its pipelines"
        if any(s <= match.start() < e for s, e in taken):
            continue
        phrase = f"{match['qual']} {num}" if match["qual"] else num
        try:
            q = parse_quantity(phrase.lower())
        except NumberParseError:
            continue
        noun = _own_noun(after) or _of_the_noun(after)
        if noun is None and _PEOPLE_AFTER.match(after):
            noun = "people"
        found.append(dict(start=match.start(), end=match.end(), kind="number", number_text=phrase,
                          value_stated=q.value, value_low=q.value_low, value_high=q.value_high,
                          qualifier=q.qualifier, counted=noun, own=noun is not None))
    for match in re.finditer(r"\b(?P<num>twice|once)\b(?!\s+(?:again|more|before|upon))", sentence, re.IGNORECASE):
        if re.match(r"\s+(?:a|per|every)\s+(?:day|week|month|year)\b", sentence[match.end():]) and match["num"].lower() == "once":
            continue  # "once a day"
        n = 2 if match["num"].lower() == "twice" else 1
        found.append(dict(start=match.start(), end=match.end(), kind="number", number_text="two" if n == 2 else "one",
                          value_stated=n, value_low=n, value_high=n, qualifier="exact", counted="times", own=True))
    for match in VAGUE_RE.finditer(sentence):
        after = sentence[match.end():]
        if _DURATION_AFTER.match(after):
            continue
        q = parse_quantity(match["num"].lower())
        noun = _own_noun(after)
        found.append(dict(start=match.start(), end=match.end(), kind="vague", number_text=match["num"],
                          value_stated=q.value, value_low=q.value_low, value_high=q.value_high,
                          qualifier=q.qualifier, counted=noun, own=noun is not None))
    numeric_ends = [f["end"] for f in found if f["kind"] == "number"]
    for match in LIST_ITEM_RE.finditer(sentence):
        if any(0 <= match.start() - end <= 60 for end in numeric_ends):
            found.append(dict(start=match.start("num"), end=match.end("noun"), kind="list_item",
                              number_text=match["num"], value_stated=1, value_low=1, value_high=1,
                              qualifier="exact", counted=match["noun"].lower(), own=True))
    return sorted(found, key=lambda f: f["start"])


def propose(text: str) -> pd.DataFrame:
    """Candidate numeric claims in ``text``: one row per quantity found (see the module docstring)."""
    rows: list[dict[str, object]] = []
    history: list[str] = []
    last: dict[str, object] | None = None  # the latest proposal with a noun of its own: the antecedent
    for no, (offset, sentence) in enumerate(sentences(text), start=1):
        plain = _plain(sentence)
        pronoun = _PRONOUN_RE.search(plain)
        for item in _numbers(sentence):
            start, end = int(item["start"]), int(item["end"])
            speaker, basis = _quote_attribution(sentence, start, history), "quote"
            if speaker is None:  # a pronoun subject of a speech verb ("He added that Russia ...") beats a name
                # that is merely near a verb
                speaker, basis = _speaker_in(sentence, start, direct_only=bool(pronoun)), "named"
            if speaker is None and pronoun:
                speaker, basis = _resolve_reference(pronoun["ref"] or pronoun["ref2"], history), "pronoun"
            if speaker is None and _GENERIC_SPEAKER.search(sentence):
                speaker, basis = UNKNOWN, "generic"
            if speaker is None and _REPORTEDLY.search(sentence):
                speaker, basis = "unattributed", "reportedly"
            if speaker is None and history:
                speaker, basis = history[-1], "previous_sentence"
            if speaker is None:
                basis = "none"
            antecedent = last if not item["own"] and last is not None else None
            noun = item["counted"] if item["own"] else (antecedent["counted"] if antecedent else None)
            if antecedent is not None:  # cues after the antecedent, else the antecedent's metric
                lo = int(antecedent["end"]) if antecedent["no"] == no else 0
                metric = _metric(noun, sentence, start, end, lo=lo, default=False) or antecedent["metric"]
            else:
                metric = _metric(noun, sentence, start, end)
            direction = _direction(sentence, start, end)
            if antecedent is not None and antecedent["no"] == no and not _ADJ_UA.match(_plain(sentence[end:end + 40])) \
                    and not _ADJ_RU.match(_plain(sentence[end:end + 40])):
                direction = antecedent["direction"] or direction
            side = CLAIMANTS[speaker].side if speaker in CLAIMANTS else None
            if direction is None or (metric == "intercepted" and side in _SIDE_DIRECTION
                                     and not _ADJ_UA.match(_plain(sentence[end:end + 40]))
                                     and not _ADJ_RU.match(_plain(sentence[end:end + 40]))):
                direction = _SIDE_DIRECTION.get(side) or direction or (last["direction"] if last else None)
            row = {"sentence_no": no, "sentence": sentence, **{k: v for k, v in item.items() if k != "own"},
                   "counted": noun, "metric": metric, "direction": direction,
                   "weapon_class": WEAPON_NOUNS.get(noun) if noun else None,
                   "start": offset + start, "end": offset + end,
                   "speaker": None if speaker == UNKNOWN else speaker,
                   "speaker_basis": "named_unknown" if speaker == UNKNOWN and basis != "generic" else basis}
            rows.append(row)
            if item["own"]:
                last = {"no": no, "counted": noun, "metric": metric, "direction": direction, "end": end}
        named = _speaker_in(sentence, 0)
        if named is None and pronoun:
            named = _resolve_reference(pronoun["ref"] or pronoun["ref2"], history)
        if named is not None:
            history.append(named)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("sentence_no", "start", "end", "value_stated", "value_low", "value_high"):
        frame[column] = pd.array(frame[column].astype(object).where(frame[column].notna(), None), dtype="Int64")
    return frame.sort_values("start", kind="stable").reset_index(drop=True)


def _stem(noun: object) -> str | None:
    if noun is None or pd.isna(noun):
        return None
    noun = str(noun).lower()
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def score(proposals: pd.DataFrame, claims: pd.DataFrame) -> dict[str, object]:
    """Precision and recall of ``proposals`` against the curated count claims in ``claims``
    (one source document). A proposal matches a claim with the same range (``value_low``,
    ``value_high``) and counted noun (singular/plural folded), and finds every claim with that key:
    one stated number may ground several claims (the MoD's seven drones launched and shot down).

    Returns ``{"proposals", "curated", "matched_proposals", "found_claims", "precision",
    "recall", "speaker_agreement", "table"}``; ``table`` is the proposals with the matched claim id.
    """
    counts = claims[claims["claim_type"] == "count"]
    keys: dict[tuple, list] = {}  # one stated number may ground several claims ("launched seven ... shot them down")
    for r in counts.itertuples():
        keys.setdefault((int(r.value_low), None if pd.isna(r.value_high) else int(r.value_high),
                         _stem(r.count_noun)), []).append(r)
    matched_ids, speakers_ok, found = [], [], set()
    for r in proposals.itertuples():
        key = (int(r.value_low), None if pd.isna(r.value_high) else int(r.value_high), _stem(r.counted))
        matches = keys.get(key, [])
        matched_ids.append(matches[0].claim_id if matches else None)
        found.update(c.claim_id for c in matches)
        if matches:
            speakers_ok.append(r.speaker == matches[0].claimant)
    table = proposals.assign(claim_id=pd.Series(matched_ids, index=proposals.index, dtype="str"))
    n_prop, n_cur = len(table), len(counts)
    n_match = int(table["claim_id"].notna().sum())
    return {
        "proposals": n_prop, "curated": n_cur, "matched_proposals": n_match, "found_claims": len(found),
        "precision": n_match / n_prop if n_prop else float("nan"),
        "recall": len(found) / n_cur if n_cur else float("nan"),
        "speaker_agreement": sum(speakers_ok) / len(speakers_ok) if speakers_ok else float("nan"),
        "table": table,
    }


# --- label sets: how well the proposer does on texts with known claims ----------------------------

LABEL_KEYS = ("value", "counted", "metric", "direction", "speaker")
"""Fields of one labelled numeric claim (``speaker: unknown`` = a named person outside the alias table,
or nobody)."""


def read_labels(path) -> list[dict[str, object]]:
    """The documents of a label set (``curated/labels/claim_proposals_*.yaml``): each ``{id, text,
    claims}`` with claims of :data:`LABEL_KEYS`. Raises ``ValueError`` naming the document and field."""
    from pathlib import Path

    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    docs = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(docs, list) or not docs:
        raise ValueError(f"{path}: a label set is a mapping with a non-empty list 'documents'")
    for doc in docs:
        for k, claim in enumerate(doc.get("claims") or []):
            missing = [key for key in LABEL_KEYS if key not in claim]
            if missing:
                raise ValueError(f"{path}: document {doc.get('id')!r} claim {k}: missing {missing}")
    return docs


def score_labels(documents: list[dict[str, object]]) -> dict[str, object]:
    """Score :func:`propose` on labelled documents. Each labelled claim is matched to at most one
    proposal of its document with the same stated number (first unmatched, in text order).

    Returns ``claims`` (labelled numeric claims), ``proposals``, ``matched``, and the rates:
    ``number_and_noun`` (labelled claims whose number is proposed with the right counted noun,
    singular/plural folded), ``precision`` (proposals that are labelled claims), ``direction``,
    ``metric`` and ``speaker`` (right among the matched proposals; no speaker = ``unknown``),
    with ``table``: one row per labelled claim and per unmatched proposal.
    """
    rows = []
    n_props = 0
    for doc in documents:
        props = propose(str(doc["text"])).astype(object)
        n_props += len(props)
        used: set[int] = set()
        for claim in doc.get("claims") or []:
            hit = next((i for i, r in props.iterrows() if i not in used and r["value_stated"] == claim["value"]), None)
            row = {"doc": doc["id"], **{f"label_{k}": claim[k] for k in LABEL_KEYS}, "matched": hit is not None}
            if hit is not None:
                used.add(hit)
                r = props.loc[hit]
                row.update(counted=r["counted"], metric=r["metric"], direction=r["direction"],
                           speaker=r["speaker"] if isinstance(r["speaker"], str) else "unknown")
            rows.append(row)
        for i, r in props.iterrows():
            if i not in used:
                rows.append({"doc": doc["id"], "matched": False, "label_value": None, "counted": r["counted"],
                             "number_text": r["number_text"], "extra": True})
    table = pd.DataFrame(rows)
    labelled = table[table["label_value"].notna()]
    matched = labelled[labelled["matched"]]

    def rate(ok: pd.Series, n: int) -> float:
        return float(ok.sum()) / n if n else float("nan")

    noun_ok = matched.apply(lambda r: _stem(r["counted"]) == _stem(r["label_counted"]), axis=1) if len(matched) else \
        pd.Series(dtype=bool)
    return {
        "claims": len(labelled), "proposals": n_props, "matched": len(matched),
        "number_and_noun": rate(noun_ok, len(labelled)),
        "precision": rate(pd.Series([True] * len(matched)), n_props),
        "direction": rate(matched["direction"] == matched["label_direction"], len(matched)),
        "metric": rate(matched["metric"] == matched["label_metric"], len(matched)),
        "speaker": rate(matched["speaker"] == matched["label_speaker"], len(matched)),
        "table": table,
    }


# --- a draft claims file ------------------------------------------------------------------------

_TOPIC_OF_METRIC = {"violations": "ceasefire_violations", "attacks": "ceasefire_violations",
                    "energy_strikes": "energy_strikes", "killed": "civilian_harm", "injured": "civilian_harm",
                    "hit": "civilian_harm"}
_SUBJECT_OF_DIRECTION = {"ru_to_ua": "RU", "ua_to_ru": "UA"}
_DATE_IN_TEXT = re.compile(
    rf"\b(?P<iso>20\d\d-\d\d-\d\d)\b|\b(?P<d>\d{{1,2}})\.(?P<m>\d\d)\.(?P<y>20\d\d)\b"
    rf"|\b(?P<md>{_MONTHS})\s+(?P<mdd>\d{{1,2}}),\s+(?P<mdy>20\d\d)\b|\b(?P<dmd>\d{{1,2}})\s+(?P<dmm>{_MONTHS})\s+(?P<dmy>20\d\d)\b")
DRAFT_HEADER = (
    "# PROPOSALS written by `ceasefire-stats claims propose`: every claim below is a machine's guess, not a\n"
    "# curated record. For each one: delete it if it is not a claim; confirm or fix number, counted, metric,\n"
    "# direction, claimant (unattributed = no speaker found), said (the publication day +-1 until you know\n"
    "# better), topic and the quote; keep a quote only if it is the short phrase that is the claim. Then remove\n"
    "# 'PROPOSAL' from the notes. Format: src/ceasefire_stats/curated/claims/README.md.\n")


def _published_fields(published: str) -> tuple[dict[str, object], str]:
    """The ``source`` fields of a ``--published`` value, and its local date (YYYY-MM-DD)."""
    import datetime as dt

    text = published.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        dt.date.fromisoformat(text)
        return {"published": text, "published_tz": "unknown", "published_precision": "day"}, text
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--published {published!r} is not a date (2025-04-21) or a datetime "
                         "(2025-04-21T10:05:00+03:00, or 2025-04-21 10:05 when the zone is unknown)") from None
    if moment.tzinfo is None:
        return {"published": moment.strftime("%Y-%m-%d %H:%M:%S"), "published_tz": "unknown",
                "published_precision": "minute"}, moment.date().isoformat()
    return {"published": moment.isoformat()}, moment.date().isoformat()


def date_in_text(text: str) -> str | None:
    """The first calendar date printed in ``text`` (``2025-04-21``, ``21.04.2025``, ``April 21, 2025``,
    ``21 April 2025``), as YYYY-MM-DD, or None.

    >>> date_in_text("By Staff | Published 10 May 2025 | 2 comments")
    '2025-05-10'
    """
    import datetime as dt

    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    for match in _DATE_IN_TEXT.finditer(text):
        try:
            if match["iso"]:
                return dt.date.fromisoformat(match["iso"]).isoformat()
            if match["d"]:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
            if match["md"]:
                return dt.date(int(match["mdy"]), months.index(match["md"][:3].lower()) + 1, int(match["mdd"])).isoformat()
            return dt.date(int(match["dmy"]), months.index(match["dmm"][:3].lower()) + 1, int(match["dmd"])).isoformat()
        except ValueError:
            continue
    return None


def _quote(sentence: str, number_text: str, limit: int = 160) -> tuple[str, str]:
    """(quote, quote_kind): the sentence of a number, cut at whole words to ``limit`` characters
    around it; ``direct`` when the number stands inside quotation marks.

    >>> _quote('"We downed 12 drones," the ministry said.', "12")
    ('"We downed 12 drones," the ministry said.', 'direct')
    """
    text = " ".join(sentence.split())
    at = max(text.find(number_text), 0)
    if len(text) > limit:
        words, lo, hi = text.split(" "), 0, 0
        pos = [0]
        for word in words:
            pos.append(pos[-1] + len(word) + 1)
        centre = next((k for k in range(len(words)) if pos[k + 1] > at), 0)
        lo, hi = centre, centre + 1
        while True:
            grown = False
            for cand in ((lo - 1, hi), (lo, hi + 1)):
                if 0 <= cand[0] and cand[1] <= len(words) and len(" ".join(words[cand[0]:cand[1]])) <= limit:
                    lo, hi, grown = cand[0], cand[1], True
            if not grown:
                break
        text = " ".join(words[lo:hi])
    before = sentence[:sentence.find(number_text)] if number_text in sentence else ""
    inside = before.count('"') % 2 == 1 or before.count("\u201c") > before.count("\u201d")
    return text, "direct" if inside else "paraphrase"


def draft(text: str, published: str | None = None, title: str | None = None, doc_id: str = "draft") -> str:
    """A draft claims file (YAML text, format 1) of the numeric claims :func:`propose` finds in
    ``text``, each marked ``PROPOSAL`` for a curator to confirm. ``published`` is the source's
    publication (a date, or a datetime with or without offset); without it, the first date printed
    in the text is used (zone unknown). Raises ``ValueError`` when neither gives a date."""
    import yaml

    if published is None:
        found = date_in_text(text)
        if found is None:
            raise ValueError("the text prints no date: give --published (e.g. 2025-04-21)")
        published = found
    source_fields, day = _published_fields(published)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    source = {"title": title or (lines[0][:120] if lines else "untitled"), "outlet": "unknown", "url": None,
              **source_fields, "language": "en",
              "notes": "PROPOSAL: drafted by ceasefire-stats claims propose; confirm outlet, title, url and time."}
    claims = []
    slug = re.sub(r"[^a-z0-9]+", "-", doc_id.lower()).strip("-") or "draft"
    for k, row in enumerate(propose(text).astype(object).itertuples(), start=1):
        noun = row.counted if isinstance(row.counted, str) else "items"
        metric = row.metric if isinstance(row.metric, str) else ("launched" if noun in WEAPON_NOUNS else "hit")
        direction = row.direction if isinstance(row.direction, str) else None
        speaker = row.speaker if isinstance(row.speaker, str) else "unattributed"
        count: dict[str, object] = {"number": str(row.number_text).split(" (")[0] if row.kind != "enumeration"
                                    else str(row.value_stated), "counted": noun, "metric": metric}
        weapon = row.weapon_class if isinstance(row.weapon_class, str) else None
        if weapon is not None and direction is not None:
            count.update(weapon_class=weapon, direction=direction)
        elif direction is not None and metric in ("launched", "intercepted", "lost_from_radar"):
            count["direction"] = direction
        quote, kind = _quote(str(row.sentence), str(row.number_text).split(" (")[0])
        claims.append({
            "id": f"{slug}-{k:02d}-{re.sub(r'[^a-z0-9]+', '-', f'{row.value_low}-{noun}'.lower()).strip('-')}",
            "said": day, "said_tz": "unknown", "said_precision": "approx", "claimant": speaker, "type": "count",
            "subject_side": _SUBJECT_OF_DIRECTION.get(direction, "none"),
            "topic": _TOPIC_OF_METRIC.get(metric, "air_strikes"), "count": count, "quote": quote, "quote_kind": kind,
            "notes": f"PROPOSAL (sentence {row.sentence_no}; speaker found by: {row.speaker_basis}"
                     + ("; a named speaker outside the claimant table: add it under claimants:" if
                        row.speaker_basis == "named_unknown" else "") + ")",
        })
    if not claims:
        raise ValueError("no numeric claim found in the text: nothing to propose")
    body = yaml.safe_dump({"format": 1, "source": source, "claims": claims}, sort_keys=False, allow_unicode=True,
                          width=110, default_flow_style=False)
    return DRAFT_HEADER + body
