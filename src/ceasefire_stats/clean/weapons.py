"""Weapon models: canonical names, weapon classes, bundles.

The Air Force files name weapons as published by piterfm (``X-101/X-555`` for Kh-101/Kh-555,
``C-300`` for S-300, Cyrillic ``Молнія``...). A published ``model`` may be a *bundle* of
several models joined with ``" and "`` (``X-101/X-555 and Kalibr``): the Air Force reported
one figure for them together, so the row is kept whole, flagged ``is_bundle`` and its
components listed. A slash inside one name (``Iskander-M/KN-23``) is one entry whose exact
variant was not told apart, not a bundle.

The weapon class comes from the weapon reference table (``missiles_and_uavs.csv``: its
``category`` and ``type``) where that is possible, and from the documented alias map
:data:`MODELS` otherwise; :data:`CLASS_OVERRIDES` lists, with reasons, the few models whose
reference category we do not follow. A bundle's class is the common class of its components,
or ``mixed`` when they differ (the reference's own rows for bundles are not used for the
class: ``X-47 Kinzhal and Iskander-M/KN-23`` is listed there as a cruise missile).

>>> ref = reference_classes(pd.DataFrame({"model": ["X-101/X-555", "Kalibr", "Молнія"],
...     "category": ["cruise missile", "cruise missile", "UAV"], "type": ["air-launched", "", ""]}))
>>> ref
{'X-101/X-555': 'cruise_missile', 'Kalibr': 'cruise_missile'}
>>> resolve_one("X-101/X-555 and Kalibr", ref)
Weapon(model='X-101/X-555 and Kalibr', model_canonical='Kh-101/Kh-555 + Kalibr', weapon_class='cruise_missile', is_bundle=True, component_models='Kh-101/Kh-555|Kalibr', class_source='reference')
>>> resolve_one("Молнія", ref).weapon_class
'attack_drone'
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd

from ceasefire_stats.core.ledger import Ledger
from ceasefire_stats.core.rawcsv import read_csv_text

# ---------------------------------------------------------------------------------------
# Constant tables
# ---------------------------------------------------------------------------------------


#: Reference ``(category, type)`` -> class. A ``None`` type matches any type of the category.
REFERENCE_CLASS_RULES: dict[tuple[str, str | None], str] = {
    ("UAV", "loitering munition"): "attack_drone",
    ("UAV", "reconnaissance"): "recon_uav",
    ("UAV", "multirole ISTAR"): "recon_uav",
    ("UAV", "reconnaissance and armed"): "recon_uav",
    ("ballistic missile", None): "ballistic_missile",
    ("cruise missile", None): "cruise_missile",
    ("guided bomb", None): "guided_bomb",
    ("surface-to-air missile", None): "sam_ground_attack",
}

#: Published single-model name -> (canonical model, class when the reference cannot give it).
#: Canonical names transliterate the Cyrillic "Х" of Kh- missiles and "С" of S- missiles
#: that the source writes with Latin look-alikes, and Cyrillic names to Latin.
MODELS: dict[str, tuple[str, str | None]] = {
    # attack drones
    "Shahed-136/131": ("Shahed-136/131", None),
    "Lancet": ("Lancet", None),
    "Kub": ("Kub", None),
    "Молнія": ("Molniya", "attack_drone"),  # reference: UAV without a type; a strike drone
    "Привет-82": ("Privet-82", "attack_drone"),  # not in the reference; a strike drone
    "Gerbera": ("Gerbera", "decoy"),  # not in this file version; kept for newer versions
    "Parodiya": ("Parodiya", "decoy"),
    # reconnaissance / tactical UAVs
    "Orlan-10": ("Orlan-10", None),
    "Orlan-30": ("Orlan-30", None),
    "Supercam": ("Supercam", None),
    "ZALA": ("ZALA", None),
    "Merlin-VR": ("Merlin-VR", None),
    "Eleron": ("Eleron", None),
    "Forpost": ("Forpost", None),
    "Granat-4": ("Granat-4", None),
    "Orion": ("Orion", None),
    "Mohajer-6": ("Mohajer-6", None),
    "Reconnaissance UAV": ("Reconnaissance UAV", None),
    "Картограф": ("Kartograf", "recon_uav"),  # not in the reference; a reconnaissance UAV
    "Фенікс": ("Feniks", "recon_uav"),  # not in the reference; reported by PvKPivden with recon UAVs
    # generic labels
    "Unknown UAV": ("Unknown UAV", None),
    "Unknown Missile": ("Unknown Missile", None),
    "Aerial Bomb": ("Aerial Bomb", "guided_bomb"),  # not in the reference; KAB guided bombs
    # ballistic
    "Iskander-M": ("Iskander-M", None),
    "KN-23": ("KN-23", None),
    "Iskander-M/KN-23": ("Iskander-M/KN-23", None),
    "Ballistic Missile": ("Ballistic Missile", None),
    "Intercontinental Ballistic Missile": ("Intercontinental Ballistic Missile", None),
    # upstream spells it once with a lower-case "b" (no reference row): same model
    "Intercontinental ballistic missile": ("Intercontinental Ballistic Missile", "ballistic_missile"),
    "X-47 Kinzhal": ("Kh-47M2 Kinzhal", None),
    # cruise and air-to-surface
    "Kalibr": ("Kalibr", None),
    "Iskander-K": ("Iskander-K", None),
    "X-101/X-555": ("Kh-101/Kh-555", None),
    "X-22": ("Kh-22", None),
    "X-32": ("Kh-32", None),
    "X-31": ("Kh-31", None),
    "X-31P": ("Kh-31P", None),
    "X-31PD": ("Kh-31PD", None),
    "X-35": ("Kh-35", None),
    "X-59": ("Kh-59", None),
    "X-59MK2": ("Kh-59MK2", None),
    "X-69": ("Kh-69", None),
    "X-59/X-69": ("Kh-59/Kh-69", None),
    "3M22 Zircon": ("3M22 Zircon", None),
    "P-800 Oniks": ("P-800 Oniks", None),
    "Banderol": ("Banderol", None),
    # guided bombs
    "GBU": ("GBU", None),
    # surface-to-air missiles used against ground targets
    "C-300": ("S-300", None),
    "C-400": ("S-400", None),
    "C-300/C-400": ("S-300/S-400", None),
}

#: Models whose reference category we do not follow, and why.
CLASS_OVERRIDES: dict[str, tuple[str, str]] = {
    "X-47 Kinzhal": ("aeroballistic_missile", "reference says 'ballistic missile'; Kinzhal is "
                     "air-launched and the Air Force reports it as aeroballistic"),
    "Unknown Missile": ("unknown", "reference says 'cruise missile' for this generic label; the "
                        "source did not establish the type"),
    "Unknown UAV": ("unknown", "reference gives no type; the source did not establish the type "
                    "(may be attack drones, decoys or reconnaissance UAVs)"),
}

BUNDLE_SEPARATOR = re.compile(r"\s+and\s+")
REFERENCE_COLUMNS = ["model", "category", "type"]


@dataclasses.dataclass(frozen=True)
class Weapon:
    """A published ``model`` string resolved to canonical name(s) and a class."""

    model: str
    model_canonical: str
    weapon_class: str
    is_bundle: bool
    component_models: str
    class_source: str  # 'reference', 'alias_map', 'override', 'unknown_model'


# ---------------------------------------------------------------------------------------
# Reference table
# ---------------------------------------------------------------------------------------


def read_reference(path: str | Path) -> tuple[pd.DataFrame, Ledger]:
    """Read ``missiles_and_uavs.csv``; return the table (str columns) and its ledger.

    Rows without a model are rejected (``missing_model``); a repeated model is a duplicate.
    The misspelt column ``in_sevice`` is read as published (not used here).
    """
    frame = read_csv_text(path, REFERENCE_COLUMNS, allow_extra=True)
    # the file's own line numbers (blank lines and multi-line cells count), not positions
    raw_rows = pd.Series(frame.pop("raw_row").to_numpy(), dtype="Int64")
    frame = frame.assign(**{c: frame[c].str.strip() for c in REFERENCE_COLUMNS})
    empty = frame["model"] == ""
    rejected = pd.DataFrame({"raw_row": raw_rows[empty.to_numpy()], "reason": "missing_model",
                             "column": "model", "value": ""})
    dup = frame["model"].duplicated() & ~empty
    first = raw_rows.groupby(frame["model"].to_numpy()).transform("first")
    duplicates = pd.DataFrame({"raw_row": raw_rows[dup.to_numpy()], "duplicate_of": first[dup.to_numpy()]})
    ledger = Ledger.from_parts("weapons", raw_rows, rejected=rejected.astype({"reason": "str", "column": "str",
                               "value": "str"}), duplicates=duplicates)
    keep = (~empty & ~dup).to_numpy()
    return frame.loc[keep, REFERENCE_COLUMNS].reset_index(drop=True), ledger


def reference_classes(reference: pd.DataFrame) -> dict[str, str]:
    """Class of each single (non-bundle) reference model by :data:`REFERENCE_CLASS_RULES`
    (models whose category and type match no rule are left to the alias map)."""
    out: dict[str, str] = {}
    for model, category, kind in reference[REFERENCE_COLUMNS].itertuples(index=False):
        if BUNDLE_SEPARATOR.search(model):
            continue
        cls = REFERENCE_CLASS_RULES.get((category, kind)) or REFERENCE_CLASS_RULES.get((category, None))
        if cls is not None:
            out[model] = cls
    return out


# ---------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------


def _component(name: str, ref: dict[str, str]) -> tuple[str, str, str]:
    """(canonical, class, class_source) of one single model name."""
    canonical, alias_class = MODELS.get(name, (name, None))
    if name in CLASS_OVERRIDES:
        return canonical, CLASS_OVERRIDES[name][0], "override"
    if name in ref:
        return canonical, ref[name], "reference"
    if alias_class is not None:
        return canonical, alias_class, "alias_map"
    if name in MODELS:  # listed, but neither reference nor alias map gives a class
        return canonical, "unknown", "unknown_model"
    return name, "unknown", "unknown_model"


def resolve_one(model: str, ref: dict[str, str]) -> Weapon:
    """Resolve one published model string (single model or bundle)."""
    parts = [p.strip() for p in BUNDLE_SEPARATOR.split(model.strip()) if p.strip()]
    resolved = [_component(p, ref) for p in parts]
    classes = {c for _, c, _ in resolved}
    sources = [s for _, _, s in resolved]
    source = "unknown_model" if "unknown_model" in sources else (
        "override" if "override" in sources else ("alias_map" if "alias_map" in sources else "reference"))
    return Weapon(
        model=model,
        model_canonical=" + ".join(c for c, _, _ in resolved),
        weapon_class=classes.pop() if len(classes) == 1 else "mixed",
        is_bundle=len(parts) > 1,
        component_models="|".join(c for c, _, _ in resolved),
        class_source=source,
    )


def resolve(models: pd.Series | list[str], reference: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct published model: canonical name(s), class, bundle flag.

    The loop runs over distinct model strings (a few dozen), not over rows.
    """
    ref = reference_classes(reference)
    distinct = pd.unique(pd.Series(models, dtype="str").dropna())
    rows = [dataclasses.asdict(resolve_one(m, ref)) for m in distinct]
    columns = [f.name for f in dataclasses.fields(Weapon)]
    return pd.DataFrame(rows, columns=columns).astype({"is_bundle": "bool"})
