"""Select posts from the MoD Telegram file for hand-labelling.

The patterns below only FIND CANDIDATES for each stratum; every label in
mod_labels.csv was decided by reading the text. Nothing here derives a label.

Usage: python scripts/select_mod_labels.py PATH_TO_mod_russia_clean.csv
Prints raw_row, stratum, datetime (one line per selected post).
"""

import random
import re
import sys

import pandas as pd

SEED = 20261126
PER_STRATUM = 12
YEARS = ["2023", "2024", "2025", "2026"]

CASE_STUDY_UTC = [
    "2025-03-18 04:14", "2025-03-19 04:36", "2025-03-19 15:33", "2025-03-19 14:02",
    "2025-03-19 20:00", "2025-03-20 04:05", "2025-03-20 12:33", "2025-03-20 15:26",
    "2025-03-20 09:45", "2025-03-20 10:44", "2025-03-20 20:00",
]

DRONE = r"(?:БПЛА|БпЛА|беспилотн)"
KILL = r"(?:уничтож|перехвач|сбит)"
NUMWORD_ALT = (r"(?:один|одного|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|"
               r"одиннадцать|двенадцать|тринадцать|четырнадцать|пятнадцать|шестнадцать|"
               r"семнадцать|восемнадцать|девятнадцать|двадцать)")
NUMWORD = r"\b" + NUMWORD_ALT + r"\b"
DIGEST = r"(?:Главное за день|Сводка Министерства обороны|Итоги недели|за неделю)"


def is_digest(t):
    return re.search(DIGEST, t, re.I) is not None


def has_intercept_words(t):
    return re.search(KILL, t) is not None and re.search(DRONE, t) is not None


# Order matters: a post is assigned to the first stratum (in this order) that
# selects it; posts already selected are removed from later candidate pools.
STRATA = [
    ("digest", lambda t: is_digest(t)),
    ("footer", lambda t: not is_digest(t) and has_intercept_words(t) and re.search(
        r"[Вв]сего\W*(?:за ночь|за сутки|в ночное|,? начиная|с \d|\*\*\s*с|в течение)"
        r"|Ранее,|Кроме того,? (?:в период|с \d|около)", t) is not None),
    ("po_n", lambda t: not is_digest(t) and re.search(r"\bпо\s+(?:\d+|" + NUMWORD_ALT + r")\b", t) is not None
     and has_intercept_words(t)),
    ("munitions", lambda t: not is_digest(t) and has_intercept_words(t)
     and re.search(r"ракет|HIMARS|Вампир|Нептун|бомб|ATACMS|Storm Shadow|Ольха|Точка-У", t) is not None),
    ("number_words", lambda t: not is_digest(t) and re.search(KILL + r"\w*\s+" + NUMWORD, t) is not None),
    ("singular", lambda t: not is_digest(t)
     and re.search(r"(?:уничтожен|перехвачен|сбит)\s+(?:украинский\s+)?беспилотн", t) is not None),
    ("noun_first", lambda t: not is_digest(t)
     and re.search(r"(?:\d+\s+)?(?:[Уу]краинск\w+\s+)?" + DRONE + r"\w*[^.:]{0,120}?\s" + KILL + r"\w*", t) is not None
     and re.search(r"(?:БПЛА|беспилотн\w+ летательн\w+ аппарат\w*)[^.:]{0,120}?(?:уничтожен|перехвачен)\w*", t) is not None),
    ("range", lambda t: not is_digest(t) and has_intercept_words(t)
     and re.search(r"\bс\s+\d{1,2}[.:]\d{2}", t) is not None),
    ("moment", lambda t: not is_digest(t) and has_intercept_words(t)
     and re.search(r"[Оо]коло\s+\d{1,2}[.:]\d{2}", t) is not None),
    ("night", lambda t: not is_digest(t) and has_intercept_words(t)
     and re.search(r"прошедшей ночи|ночью", t) is not None and "мск" not in t),
    ("truncated", lambda t: len(t) == 400 and has_intercept_words(t)),
    ("plain", lambda t: has_intercept_words(t)),
    ("other", lambda t: not has_intercept_words(t) or not re.search(r"украинск|киевск", t, re.I)),
]


# Second pass (added after the first batch showed that the loose "munitions"
# pattern mostly caught front-line features with no intercept report): stricter
# pools, drawn with the same RNG after the first pass.
NOT_SUMMARY = r"Главное за день|Сводка|о ходе"
SUPPLEMENT = [
    ("munitions", 12, lambda t: re.search(r"средствами ПВО|пресечен", t) is not None
     and re.search(r"ракет|HIMARS|Хаймарс|Вампир|Нептун|бомб|ATACMS|Storm Shadow|Ольха|Точка|снаряд", t) is not None
     and re.search(DRONE, t) is not None and re.search(NOT_SUMMARY, t) is None),
    # unmanned boats reported after the drone count ("Кроме того ... безэкипажн...")
    ("munitions", 12, lambda t: re.search(r"Ранее|Кроме того|[Вв]сего", t) is not None
     and "средствами ПВО" in t and re.search(NOT_SUMMARY + r"|группировки", t) is None),
]


# Third pass, not random: itemised reports whose digit-only items did not add up
# to the headline (candidates for `sum_mismatch`). On reading, every one sums
# correctly once word numerals (and, in one post, a soft hyphen before the
# dash) are taken into account, so they are kept as parser traps.
EXTRA_ROWS = {3712: "number_words", 3720: "number_words", 4266: "number_words",
              4290: "number_words", 4430: "plain", 5891: "plain"}


def sample_by_year(rng, pool, years, n):
    """Round-robin over years so every year is represented where possible."""
    by_year = {y: [i for i in pool if years[i] == y] for y in YEARS}
    for y in YEARS:
        rng.shuffle(by_year[y])
    out = []
    while len(out) < n and any(by_year.values()):
        for y in YEARS:
            if by_year[y] and len(out) < n:
                out.append(by_year[y].pop())
    return out


def main(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    texts = df["text_snippet"].tolist()
    years = df["datetime"].str[:4].tolist()
    chosen = {}
    for utc in CASE_STUDY_UTC:
        for i in df.index[df["datetime"] == utc]:
            chosen[i] = "case_study"
    rng = random.Random(SEED)
    for name, pred in STRATA:
        pool = [i for i in range(len(texts)) if i not in chosen and pred(texts[i])]
        for i in sample_by_year(rng, pool, years, PER_STRATUM):
            chosen[i] = name
        print(f"# {name}: pool={len(pool)}", file=sys.stderr)
    for name, n, pred in SUPPLEMENT:
        pool = [i for i in range(len(texts)) if i not in chosen and pred(texts[i])]
        for i in sample_by_year(rng, pool, years, n):
            chosen[i] = name
        print(f"# supplement {name}: pool={len(pool)}", file=sys.stderr)
    for raw_row, name in EXTRA_ROWS.items():
        assert raw_row - 2 not in chosen
        chosen[raw_row - 2] = name
    for i in sorted(chosen):
        print(f"{i + 2}\t{chosen[i]}\t{df['datetime'][i]}")


if __name__ == "__main__":
    main(sys.argv[1])
