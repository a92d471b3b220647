"""Propose candidate numeric claims from an English article, to speed up curation.

An assistant for a person, not an oracle: :func:`propose` lists every quantity it finds, with its
sentence, the number as written, the parsed range and qualifier, the counted noun and the
nearest attributed speaker; the curator decides what is a claim and writes the record.

What it finds (regexes compiled once):

- numbers in digits or words with an optional qualifier ("more than 20 homes", "seven drones",
  "57 Ukrainian drones"), and vague quantities ("several strikes");
- ``a``/``an`` items in a list that also holds a number ("two hospitals, a railway, and more than
  20 homes" -> 1 railway);
- enumerations of three or more capitalised names after "regions of" and similar ("the regions of
  Kyiv, Zhytomyr, ... and Cherkasy" -> 9 regions, ``number_text`` ``"9 (listed)"``).

Skipped: years ("in 2014"), clock times and dates, ordinals, "one of", "no".

The speaker is the one attributed after the closing quote around the number ('"...," he said');
else the claimant (package alias table) named in the sentence next to a speech verb;
"he said"/"the ministry said" refer back to the latest matching speaker; "reportedly" gives
``unattributed``; otherwise the previous sentence's speaker is carried over
(``speaker_basis`` says which rule applied).

>>> p = propose('Zelenskyy said that 150 drones were launched. "Seven were shot down," he said.')
>>> p[["value_stated", "speaker", "speaker_basis"]].values.tolist()
[[150, 'zelenskyy', 'named'], [7, 'zelenskyy', 'quote']]
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
_NOUN_SKIP = frozenset({"ukrainian", "russian", "more", "new", "other", "of", "the", "large", "small", "enemy",
                        "civilian", "attack", "attacking", "additional", "separate", "own", "such", "its", "their"})
_NOT_NOUN = frozenset({"were", "was", "is", "are", "have", "has", "had", "and", "or", "to", "in", "on", "at", "by",
                       "that", "which", "who", "with", "for", "from", "but", "been", "will", "would", "said"})
_SPEECH = r"(?:said|says|stated|states|told|posted|added|wrote|announced|claimed|reported|accused|described|called|continued|responded|rejected|confirmed|warned)"
_PRONOUN_RE = re.compile(rf"\b(?P<ref>he|she|they|the ministry|the institute|the kremlin|the spokesman)\s+(?:also\s+)?{_SPEECH}\b"
                         rf"|\b{_SPEECH}\s+(?P<ref2>he|she)\b", re.IGNORECASE)
_REPORTEDLY = re.compile(r"\breportedly\b", re.IGNORECASE)
_YEAR_CONTEXT = re.compile(r"\b(?:in|since|by|of|until|from)\s+$", re.IGNORECASE)


def _aliases() -> tuple[re.Pattern[str], dict[str, str]]:
    index = {k: v for k, v in alias_index().items() if k not in ("reportedly", "the institute", "institute")}
    names = sorted(index, key=len, reverse=True)
    pattern = re.compile(r"\b(?P<alias>" + "|".join(re.escape(n) for n in names) + r")\b(?!['’]s\s+(?!" + _SPEECH + "))",
                         re.IGNORECASE)
    return pattern, index


_ALIAS_RE, _ALIAS_INDEX = _aliases()
_SPEECH_NEAR = re.compile(_SPEECH, re.IGNORECASE)

COLUMNS = ["sentence_no", "sentence", "start", "end", "kind", "number_text", "value_stated", "value_low",
           "value_high", "qualifier", "counted", "speaker", "speaker_basis"]


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
    # glue back a split after an initialism such as "U.S." (next word lowercase is handled by the regex)
    return out


def _counted_noun(after: str) -> str | None:
    for token in re.findall(r"[A-Za-z][A-Za-z-]*|[^\sA-Za-z]", after)[:4]:
        low = token.lower()
        if not token[0].isalpha() or low in _NOT_NOUN:
            return None
        if low in _NOUN_SKIP or (token[0].isupper() and low not in ("drones",)):
            continue
        return low
    return None


_SUBJECT_OF_SPEECH = re.compile(rf"^(?:\s+(?:also|then|later|has|had|have))?\s+{_SPEECH}\b", re.IGNORECASE)
_OBJECT_OF_SPEECH = re.compile(rf"\b{_SPEECH}\s+(?:the\s+)?$", re.IGNORECASE)


def _speaker_in(sentence: str, at: int) -> str | None:
    """The claimant named next to a speech verb in ``sentence``: one directly before or after the
    verb ("Zelenskyy said", "said Peskov") wins; else one within 60 characters of a verb;
    ties go to the one nearest offset ``at``."""
    best: tuple[int, int, str] | None = None
    for match in _ALIAS_RE.finditer(sentence):
        direct = bool(_SUBJECT_OF_SPEECH.match(sentence[match.end():])
                      or _OBJECT_OF_SPEECH.search(sentence[:match.start()]))
        window = sentence[max(0, match.start() - 60):match.end() + 60]
        if not direct and not _SPEECH_NEAR.search(window):
            continue
        key = match["alias"].casefold()
        claimant = _ALIAS_INDEX.get(key) or _ALIAS_INDEX.get(key.removeprefix("the "))
        if claimant is None:
            continue
        rank = (0 if direct else 1, abs(match.start() - at))
        if best is None or rank < best[:2]:
            best = (*rank, claimant)
    return best[2] if best else None


_QUOTE_SPAN = re.compile(r"[\"“](?P<inner>[^\"“”]+)[\"”]")
_AFTER_QUOTE = re.compile(rf"^\s*,?\s*(?:(?P<ref>he|she|they|the ministry|the institute)|(?P<alias>[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)*))"
                          rf"\s+{_SPEECH}\b")


def _quote_attribution(sentence: str, at: int, history: list[str]) -> str | None:
    """The speaker after the closing quote around offset ``at`` ('"...150 drones...," he said')."""
    for span in _QUOTE_SPAN.finditer(sentence):
        if span.start() <= at < span.end():
            tail = _AFTER_QUOTE.match(sentence[span.end():])
            if tail is None:
                return None
            if tail["ref"]:
                return _resolve_reference(tail["ref"], history)
            key = tail["alias"].casefold()
            return _ALIAS_INDEX.get(key) or _ALIAS_INDEX.get(key.removeprefix("the "))
    return None


def _resolve_reference(ref: str, history: list[str]) -> str | None:
    ref = ref.lower()
    if ref in ("he", "she", "they", "the spokesman"):
        return history[-1] if history else None
    word = ref.split()[-1]  # ministry, institute, kremlin
    for claimant in reversed(history):
        if word in CLAIMANTS[claimant].name.lower() or word in claimant:
            return claimant
    return {"ministry": "ru_mod", "institute": None, "kremlin": "ru_government"}.get(word)


def propose(text: str) -> pd.DataFrame:
    """Candidate numeric claims in ``text``: one row per quantity found (see the module docstring)."""
    rows: list[dict[str, object]] = []
    history: list[str] = []
    for no, (offset, sentence) in enumerate(sentences(text), start=1):
        found: list[dict[str, object]] = []
        taken: list[tuple[int, int]] = []
        for match in ENUM_RE.finditer(sentence):
            items = [i for i in re.split(r",\s*|\s+and\s+", match["items"]) if i.strip()]
            if len(items) >= 3:
                n = len(items)
                found.append(dict(start=match.start(), end=match.end(), kind="enumeration",
                                  number_text=f"{n} (listed)", value_stated=n, value_low=n, value_high=n,
                                  qualifier="exact", counted=match["noun"].lower()))
                taken.append((match.start(), match.end()))
        for match in NUMBER_RE.finditer(sentence):
            num = match["num"]
            before = sentence[:match.start()]
            after = sentence[match.end():]
            if re.fullmatch(r"(19|20)\d\d", num) and (_YEAR_CONTEXT.search(before) or not _counted_noun(after)):
                continue  # a year
            if num.lower() == "one" and re.match(r"\s+of\b", after):
                continue  # "one of its pipelines"
            if any(s <= match.start() < e for s, e in taken):
                continue
            phrase = f"{match['qual']} {num}" if match["qual"] else num
            try:
                q = parse_quantity(phrase.lower())
            except NumberParseError:
                continue
            found.append(dict(start=match.start(), end=match.end(), kind="number", number_text=phrase,
                              value_stated=q.value, value_low=q.value_low, value_high=q.value_high,
                              qualifier=q.qualifier, counted=_counted_noun(after)))
        for match in VAGUE_RE.finditer(sentence):
            q = parse_quantity(match["num"].lower())
            found.append(dict(start=match.start(), end=match.end(), kind="vague", number_text=match["num"],
                              value_stated=q.value, value_low=q.value_low, value_high=q.value_high,
                              qualifier=q.qualifier, counted=_counted_noun(sentence[match.end():])))
        numeric_ends = [f["end"] for f in found if f["kind"] == "number"]
        for match in LIST_ITEM_RE.finditer(sentence):
            if any(0 <= match.start() - end <= 60 for end in numeric_ends):
                found.append(dict(start=match.start("num"), end=match.end("noun"), kind="list_item",
                                  number_text=match["num"], value_stated=1, value_low=1, value_high=1,
                                  qualifier="exact", counted=match["noun"].lower()))
        # the sentence's speaker(s)
        pronoun = _PRONOUN_RE.search(sentence)
        for item in sorted(found, key=lambda f: f["start"]):
            speaker, basis = _quote_attribution(sentence, int(item["start"]), history), "quote"
            if speaker is None:
                speaker, basis = _speaker_in(sentence, int(item["start"])), "named"
            if speaker is None and pronoun:
                speaker, basis = _resolve_reference(pronoun["ref"] or pronoun["ref2"], history), "pronoun"
            if speaker is None and _REPORTEDLY.search(sentence):
                speaker, basis = "unattributed", "reportedly"
            if speaker is None and history:
                speaker, basis = history[-1], "previous_sentence"
            if speaker is None:
                basis = "none"
            rows.append({"sentence_no": no, "sentence": sentence, **item, "start": offset + int(item["start"]),
                         "end": offset + int(item["end"]), "speaker": speaker, "speaker_basis": basis})
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
