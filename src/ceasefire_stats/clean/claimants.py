"""The curated claimant table: canonical ids, names, roles, sides and the spellings that map to them.

A claims file names its claimant by canonical id or by any alias here ("Zelensky",
"Volodymyr Zelenskyy" -> ``zelenskyy``). A file may add claimants of its own in a
``claimants:`` block (same fields); a claimant used by several files belongs here.

>>> canonical("Volodymyr Zelensky"), canonical("  the Russian Defense Ministry ")
('zelenskyy', 'ru_mod')
>>> CLAIMANTS["stubb"].side
'FI'
"""

from __future__ import annotations

import dataclasses
import re

SIDES = (
    "UA", "RU", "US", "FI", "EU", "UK", "FR", "DE", "PL", "BY", "TR", "SA", "NATO", "UN", "IAEA",
    "think_tank", "media", "unattributed",
)
"""Allowed claimant sides: a state (ISO 3166-1 alpha-2) or organisation, ``think_tank``,
``media`` (the outlet's own statement) or ``unattributed`` ("reportedly")."""

SUBJECT_SIDES = (*SIDES, "both", "none")
"""Allowed ``subject_side`` values: whose conduct a claim is about (``both``, ``none`` too)."""


@dataclasses.dataclass(frozen=True)
class Claimant:
    """One claimant: canonical id, display name, role (at the time of the curated sources),
    side, and other spellings."""

    id: str
    name: str
    role: str
    side: str
    aliases: tuple[str, ...] = ()


_TABLE = (
    Claimant("zelenskyy", "Volodymyr Zelenskyy", "President of Ukraine", "UA",
             ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskyi", "Volodymyr Zelenskyy",
              "Volodymyr Zelensky", "President Zelenskyy", "President Zelensky")),
    Claimant("trump", "Donald Trump", "President of the United States", "US",
             ("Trump", "Donald Trump", "Donald J. Trump", "President Trump")),
    Claimant("putin", "Vladimir Putin", "President of Russia", "RU",
             ("Putin", "Vladimir Putin", "President Putin")),
    Claimant("peskov", "Dmitry Peskov", "Kremlin spokesman", "RU",
             ("Peskov", "Dmitry Peskov", "Dmitri Peskov")),
    Claimant("ushakov", "Yuri Ushakov", "Kremlin foreign-policy aide", "RU", ("Ushakov", "Yuri Ushakov")),
    Claimant("ru_government", "Russian government (unspecified)",
             "the Russian state as reported without a named speaker", "RU",
             ("Russia", "Moscow", "Kremlin", "the Kremlin", "Russian government")),
    Claimant("ru_mod", "Ministry of Defence of the Russian Federation",
             "Russian defence ministry (Telegram @mod_russia)", "RU",
             ("Russian Defense Ministry", "Russian Defence Ministry", "Russian Ministry of Defence",
              "Russian Ministry of Defense", "Russia's defence ministry", "Russia's defense ministry",
              "MoD", "mod_russia", "Ministry of Defence")),
    Claimant("ua_air_force", "Air Force of the Armed Forces of Ukraine", "Ukrainian Air Force command", "UA",
             ("Ukrainian Air Force", "Air Force", "kpszsu")),
    Claimant("white_house", "The White House", "Executive Office of the US President", "US",
             ("White House", "Washington")),
    Claimant("leavitt", "Karoline Leavitt", "White House Press Secretary", "US",
             ("Leavitt", "Karoline Leavitt")),
    Claimant("waltz", "Mike Waltz", "US National Security Advisor", "US",
             ("Waltz", "Mike Waltz", "Michael Waltz")),
    Claimant("rubio", "Marco Rubio", "US Secretary of State", "US", ("Rubio", "Marco Rubio")),
    Claimant("stubb", "Alexander Stubb", "President of Finland", "FI",
             ("Stubb", "Alexander Stubb", "President Stubb")),
    Claimant("isw", "Institute for the Study of War", "Washington-based think tank", "think_tank",
             ("ISW", "Institute for the Study of War", "the institute")),
    Claimant("gould_davies", "Nigel Gould-Davies",
             "Senior Fellow for Russia and Eurasia, International Institute for Strategic Studies",
             "think_tank", ("Gould-Davies", "Nigel Gould-Davies")),
    Claimant("ua_general_staff", "General Staff of the Armed Forces of Ukraine", "Ukrainian military command", "UA",
             ("General Staff", "Ukrainian General Staff", "General Staff of the Armed Forces of Ukraine",
              "Ukraine's military", "Ukrainian military", "Ukraine's General Staff")),
    Claimant("syrskyi", "Oleksandr Syrskyi", "Commander-in-Chief of the Armed Forces of Ukraine", "UA",
             ("Syrskyi", "Oleksandr Syrskyi", "Syrsky")),
    Claimant("sybiha", "Andrii Sybiha", "Minister of Foreign Affairs of Ukraine", "UA",
             ("Sybiha", "Andrii Sybiha", "Andriy Sybiha")),
    Claimant("lytvyn", "Dmytro Lytvyn", "Communications adviser to the President of Ukraine", "UA",
             ("Lytvyn", "Dmytro Lytvyn")),
    Claimant("zakharova", "Maria Zakharova", "Spokeswoman of the Russian Foreign Ministry", "RU",
             ("Zakharova", "Maria Zakharova")),
    Claimant("unattributed", "unattributed report", "a statement the source reports without a speaker "
             "(\"reportedly\")", "unattributed", ("reportedly",)),
)

CLAIMANTS: dict[str, Claimant] = {c.id: c for c in _TABLE}
"""The package's claimants by canonical id."""

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_SPACE = re.compile(r"\s+")


def alias_key(name: str) -> str:
    """The normalised form aliases are compared in (casefolded, one space, no leading 'the').

    >>> alias_key("  The   Kremlin ")
    'kremlin'
    """
    key = _SPACE.sub(" ", str(name).strip().casefold().replace("\u2019", "'"))
    return key[4:] if key.startswith("the ") else key


def alias_index(claimants: dict[str, Claimant] | None = None) -> dict[str, str]:
    """Normalised alias -> canonical id for ``claimants`` (default: the package table).
    Raises ``ValueError`` when one alias names two claimants."""
    index: dict[str, str] = {}
    for claimant in (claimants or CLAIMANTS).values():
        for alias in (claimant.id, claimant.name, *claimant.aliases):
            key = alias_key(alias)
            if index.get(key, claimant.id) != claimant.id:
                raise ValueError(f"alias {alias!r} names both {index[key]!r} and {claimant.id!r}")
            index[key] = claimant.id
    return index


_INDEX = alias_index()


def canonical(name: str, extra: dict[str, Claimant] | None = None) -> str | None:
    """The canonical id of a claimant name or id, or None when unknown."""
    if extra:
        return alias_index({**CLAIMANTS, **extra}).get(alias_key(name))
    return _INDEX.get(alias_key(name))
