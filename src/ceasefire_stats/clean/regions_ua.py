"""Ukrainian regions as the Air Force files name them -> ISO 3166-2:UA codes.

Handles, on purpose:

- name variants: ``Dnipro oblast`` and ``Dnipropetrovsk oblast`` (and the truncated
  ``Dnipropetrovsk oblas``); ``Lutsk oblast`` (upstream's slip for Volyn oblast, whose
  centre is Lutsk);
- raion and place suffixes after a comma: ``Dnipropetrovsk oblast, Kryvyi Rih Raion`` ->
  ``UA-12`` with ``subregion='Kryvyi Rih Raion'``; qualifiers in brackets
  (``Kyiv oblast (south)``);
- cities, attributed to their oblast (Kyiv city has its own code ``UA-30``);
- the Air Force's compass sectors (``south``, ``north-east``, ``center``...) kept as
  sectors: ``UA-SECTOR-SOUTH``...; ``front line`` as ``UA-SECTOR-FRONTLINE``;
- ``Ukraine`` as ``UA`` (the whole country);
- groups joined with ``" and "`` (``Odesa oblast and Mykolaiv oblast``), which share one
  published figure: one id per member, joined with ``+`` (``UA-51+UA-48``), never split;
- the few foreign places that appear (Kursk oblast: ``RU-KRS``; border countries).

An unknown name resolves to ``None``: the cleaner flags it, it never becomes a guess.

>>> resolve_one("Dnipro oblast")
Region(region_id='UA-12', region_kind='oblast', region_name='Dnipropetrovsk oblast', subregion='')
>>> resolve_one("Dnipropetrovsk oblast, Kryvyi Rih Raion")
Region(region_id='UA-12', region_kind='raion', region_name='Dnipropetrovsk oblast', subregion='Kryvyi Rih Raion')
>>> resolve_one("south").region_id, resolve_one("Ukraine").region_id
('UA-SECTOR-SOUTH', 'UA')
>>> resolve_one("Odesa oblast and Mykolaiv oblast").region_id
'UA-51+UA-48'
>>> resolve_one("Atlantis") is None
True
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

# ---------------------------------------------------------------------------------------
# Constant tables
# ---------------------------------------------------------------------------------------

#: ISO 3166-2:UA code -> English name (oblasts, autonomous republic, cities with special status).
OBLASTS: dict[str, str] = {
    "UA-05": "Vinnytsia oblast", "UA-07": "Volyn oblast", "UA-09": "Luhansk oblast",
    "UA-12": "Dnipropetrovsk oblast", "UA-14": "Donetsk oblast", "UA-18": "Zhytomyr oblast",
    "UA-21": "Zakarpattia oblast", "UA-23": "Zaporizhzhia oblast", "UA-26": "Ivano-Frankivsk oblast",
    "UA-30": "Kyiv (city)", "UA-32": "Kyiv oblast", "UA-35": "Kirovohrad oblast",
    "UA-40": "Sevastopol (city)", "UA-43": "Crimea", "UA-46": "Lviv oblast",
    "UA-48": "Mykolaiv oblast", "UA-51": "Odesa oblast", "UA-53": "Poltava oblast",
    "UA-56": "Rivne oblast", "UA-59": "Sumy oblast", "UA-61": "Ternopil oblast",
    "UA-63": "Kharkiv oblast", "UA-65": "Kherson oblast", "UA-68": "Khmelnytskyi oblast",
    "UA-71": "Cherkasy oblast", "UA-74": "Chernihiv oblast", "UA-77": "Chernivtsi oblast",
}

#: Name variants (lower case) -> code, beyond the names in :data:`OBLASTS`.
OBLAST_VARIANTS: dict[str, str] = {
    "dnipro oblast": "UA-12",
    "dnipropetrovsk oblas": "UA-12",  # truncated once upstream
    "lutsk oblast": "UA-07",  # upstream slip: Lutsk is the centre of Volyn oblast
    "kiev oblast": "UA-32",
    "kyiv region": "UA-32",
    "crimea": "UA-43",
    "autonomous republic of crimea": "UA-43",
    "sevastopol": "UA-40",
    "kyiv": "UA-30",  # the city
    "kyiv city": "UA-30",
}

#: Cities and places named on their own -> the oblast they lie in.
PLACES: dict[str, str] = {
    "dnipro": "UA-12", "kryvyi rih": "UA-12", "pavlohrad": "UA-12", "zaporizhzhia": "UA-23",
    "kharkiv": "UA-63", "odesa": "UA-51", "snake island": "UA-51", "sumy": "UA-59",
    "kherson": "UA-65", "mykolaiv": "UA-48", "ochakiv": "UA-48", "kramatorsk": "UA-14",
    "kolomyia": "UA-26", "starokostiantyniv": "UA-68", "kremenchuk": "UA-53", "lutsk": "UA-07",
    "vinnytsia": "UA-05", "lviv": "UA-46", "poltava": "UA-53", "chernihiv": "UA-74",
    "zhytomyr": "UA-18", "rivne": "UA-56", "ternopil": "UA-61", "cherkasy": "UA-71",
    "khmelnytskyi": "UA-68", "ivano-frankivsk": "UA-26", "uzhhorod": "UA-21", "chernivtsi": "UA-77",
    "kropyvnytskyi": "UA-35", "izmail": "UA-51", "bila tserkva": "UA-32",
}

#: The Air Force's compass sectors (its regional air commands' areas) and similar areas.
SECTORS: dict[str, str] = {
    "south": "UA-SECTOR-SOUTH", "north": "UA-SECTOR-NORTH", "east": "UA-SECTOR-EAST",
    "west": "UA-SECTOR-WEST", "center": "UA-SECTOR-CENTER", "centre": "UA-SECTOR-CENTER",
    "south-east": "UA-SECTOR-SOUTHEAST", "south-west": "UA-SECTOR-SOUTHWEST",
    "north-east": "UA-SECTOR-NORTHEAST", "north-west": "UA-SECTOR-NORTHWEST",
    "front line": "UA-SECTOR-FRONTLINE",
}

COUNTRY: dict[str, str] = {"ukraine": "UA"}

#: Foreign places that appear in the Ukrainian files (ISO 3166-2:RU, ISO 3166-1 countries, seas).
FOREIGN: dict[str, tuple[str, str]] = {
    "kursk oblast": ("RU-KRS", "Kursk oblast"), "belgorod oblast": ("RU-BEL", "Belgorod oblast"),
    "bryansk oblast": ("RU-BRY", "Bryansk oblast"),
    "belarus": ("BY", "Belarus"), "russia": ("RU", "Russia"), "poland": ("PL", "Poland"),
    "moldova": ("MD", "Moldova"), "romania": ("RO", "Romania"),
    "black sea": ("SEA-BLACK", "Black Sea"), "sea of azov": ("SEA-AZOV", "Sea of Azov"),
}

GROUP_SEPARATOR = re.compile(r"\s+and\s+")
_QUALIFIER = re.compile(r"^(?P<base>.*?)\s*\((?P<qualifier>[^()]*)\)\s*$")
_SPACES = re.compile(r"\s+")
_BY_NAME = {name.lower(): code for code, name in OBLASTS.items()} | OBLAST_VARIANTS


@dataclasses.dataclass(frozen=True)
class Region:
    """A resolved place: canonical id, kind, canonical name, and the finer part as published."""

    region_id: str
    region_kind: str  # oblast, raion, city, sector, country, foreign, group
    region_name: str
    subregion: str


def _single(name: str) -> Region | None:
    text = _SPACES.sub(" ", name).strip()
    qualifier = ""
    match = _QUALIFIER.match(text)
    if match:
        text, qualifier = match.group("base"), match.group("qualifier").strip()
    head, _, tail = text.partition(",")
    key, tail = head.strip().lower(), tail.strip()
    sub = ", ".join(p for p in (tail, qualifier) if p)
    if key in _BY_NAME and not (key == "kyiv" and tail):
        code = _BY_NAME[key]
        kind = "city" if key in ("kyiv", "kyiv city", "sevastopol") else (
            "raion" if tail.lower().endswith("raion") else "oblast")
        return Region(code, kind, OBLASTS[code], sub)
    if key in PLACES:
        code = PLACES[key]
        return Region(code, "city", OBLASTS[code], ", ".join(p for p in (head.strip(), sub) if p))
    if key in SECTORS and not tail:
        return Region(SECTORS[key], "sector", key, sub)
    if key in COUNTRY and not tail:
        return Region(COUNTRY[key], "country", "Ukraine", sub)
    if key in FOREIGN:
        code, canonical = FOREIGN[key]
        return Region(code, "foreign", canonical, sub)
    return None


def resolve_one(name: str) -> Region | None:
    """Resolve one published place name or ``" and "`` group; ``None`` if any part is unknown."""
    parts = [p for p in GROUP_SEPARATOR.split(name.strip()) if p.strip()]
    if not parts:
        return None
    resolved = [_single(p) for p in parts]
    if any(r is None for r in resolved):
        return None
    if len(resolved) == 1:
        return resolved[0]
    return Region(
        region_id="+".join(r.region_id for r in resolved),  # type: ignore[union-attr]
        region_kind="group",
        region_name=" + ".join(r.region_name for r in resolved),  # type: ignore[union-attr]
        subregion="",
    )


def resolve(names: pd.Series | list[str]) -> pd.DataFrame:
    """One row per distinct non-empty name: ``name``, ``region_id`` (missing when unknown),
    ``region_kind``, ``region_name``, ``subregion``. Loops over distinct names only."""
    distinct = [n for n in pd.unique(pd.Series(names, dtype="str").dropna()) if n.strip()]
    rows = []
    for name in distinct:
        region = resolve_one(name)
        rows.append({"name": name} | (dataclasses.asdict(region) if region else
                                      {"region_id": None, "region_kind": None, "region_name": None,
                                       "subregion": None}))
    frame = pd.DataFrame(rows, columns=["name", "region_id", "region_kind", "region_name", "subregion"])
    return frame.astype("str")
