"""Every vocabulary of the package, written once: directions, claimants, weapon classes and the
groups a claim can name, reporting bodies, and the kinds of MoD post.

Tables check their columns against these (``pa.Check.isin``), and the claim checks select strike
rows through :data:`CLASS_GROUPS`, which covers exactly :data:`WEAPON_CLASSES`:

>>> set(CLASS_GROUPS["any"]) == set(WEAPON_CLASSES)
True
>>> DIRECTIONS["ru_to_ua"]
'Russian weapons launched at Ukraine'
"""

from __future__ import annotations

DIRECTIONS: dict[str, str] = {
    "ru_to_ua": "Russian weapons launched at Ukraine",
    "ua_to_ru": "Ukrainian weapons over Russia and occupied areas",
}
"""Which way the weapons flew. Two directions are never one comparison."""

AIR_FORCE = "ua_air_force"
"""Claimant of the Air Force's strike reports (direction ``ru_to_ua``)."""
RU_MOD = "ru_mod"
"""Claimant of the Russian MoD's interception posts (direction ``ua_to_ru``)."""
SOURCE_CLAIMANTS: dict[str, str] = {AIR_FORCE: "ru_to_ua", RU_MOD: "ua_to_ru"}
"""The claimant of each record source and the direction it counts."""

#: The weapon classes, with their meaning. ``mixed`` is for bundles of several classes.
WEAPON_CLASSES: dict[str, str] = {
    "attack_drone": "one-way attack drone or loitering munition (Shahed-136/131, Lancet, Molniya...); "
                    "the Air Force's Shahed figure also includes decoy drones it does not count apart",
    "decoy": "decoy drone reported as such (Gerbera, Parodiya); none is reported apart in this file",
    "cruise_missile": "cruise or air-to-surface guided missile (Kh-101/Kh-555, Kalibr, Kh-59, Kh-22...)",
    "ballistic_missile": "ground-launched ballistic missile (Iskander-M, KN-23)",
    "aeroballistic_missile": "air-launched aeroballistic missile (Kh-47M2 Kinzhal)",
    "sam_ground_attack": "anti-aircraft (surface-to-air) missile used against ground targets (S-300, S-400)",
    "guided_bomb": "guided aerial bomb (KAB/GBU)",
    "recon_uav": "reconnaissance or tactical UAV (Orlan-10, ZALA, Supercam, Merlin-VR...)",
    "unknown": "type not established by the source (Unknown UAV, Unknown Missile)",
    "mixed": "a bundle whose components belong to different classes",
}

GENERIC_WEAPON_CLASSES: dict[str, str] = {
    "drone": "drones of unspecified class",
    "missile": "missiles of unspecified class",
    "any": "all means of air attack",
}
"""Classes a claim may name beyond :data:`WEAPON_CLASSES`."""

CLASS_GROUPS: dict[str, tuple[str, ...]] = {
    "drone": ("attack_drone", "decoy", "recon_uav"),
    "missile": ("cruise_missile", "ballistic_missile", "aeroballistic_missile", "sam_ground_attack"),
    "any": tuple(WEAPON_CLASSES),
    **{c: (c,) for c in WEAPON_CLASSES},
}
"""A claimed weapon class -> the strike classes it covers (every group a subset of
:data:`WEAPON_CLASSES`; ``mixed`` bundles and ``unknown`` count only under ``any``)."""

CLAIM_WEAPON_CLASSES: tuple[str, ...] = (*WEAPON_CLASSES, *GENERIC_WEAPON_CLASSES)
"""Every weapon class a curated claim may name."""

REPORTING_BODIES: dict[str, tuple[str, str]] = {
    "kpszsu": ("air_force", "national"),
    "pvkpivden": ("pvk_pivden", "regional_command"),  # Air Command South
    "pvkshid": ("pvk_shid", "regional_command"),  # Air Command East
    "pvkzahid": ("pvk_zahid", "regional_command"),  # Air Command West
    "pvkcenter": ("pvk_center", "regional_command"),  # Air Command Centre
    "generalstaff.ua": ("general_staff", "other_official"),  # General Staff of the AFU
    "cincafu": ("cincafu", "other_official"),  # Commander-in-Chief of the AFU
    "chiefukrdiu": ("chief_ukr_diu", "other_official"),  # Defence Intelligence (HUR) chief
    "kharkivoda.gov.ua": ("kharkiv_ova", "other_official"),  # Kharkiv regional administration
    "war_monitor": ("war_monitor", "unofficial"),  # a monitoring Telegram channel
}
"""Air Force source handle -> (reporting body, level). One national body; regional air commands
report their own sectors and overlap the national figures."""

NATIONAL_BODY = "air_force"
"""The national reporting body, whose figures are the country-wide counts."""
REGIONAL_COMMANDS: tuple[str, ...] = tuple(b for b, level in REPORTING_BODIES.values() if level == "regional_command")

MOD_POST_KINDS: tuple[str, ...] = ("intercept_report", "summary", "other")
"""What an MoD post is: a report of drones intercepted over a window, a digest, or anything else."""

TRUCE_STATUSES = ("in_force", "disputed", "proposed_never_began", "local_only")
"""``in_force`` declared with both bounds undisputed; ``disputed`` start, end or scope contested
(alternatives are sibling definitions); ``proposed_never_began`` never took effect;
``local_only`` a local arrangement (sectors, a plant's power lines), never national."""

TRUCE_SCOPES = ("all_hostilities", "energy", "kyiv", "cities", "local", "black_sea")
"""What the window covers: everything; energy infrastructure; strikes on Kyiv; strikes on Kyiv and
other cities; local sectors or zones; Black Sea navigation."""

CLAIM_METRICS: dict[str, str] = {
    "launched": "weapons fired or sent",
    "intercepted": "weapons shot down or suppressed",
    "lost_from_radar": "drones 'locationally lost' (lost from radar: mostly decoys or electronic warfare), "
                       "not intercepted",
    "struck": "weapons that reached a target",
    "hit": "objects damaged (hospitals, homes)",
    "overflown": "places weapons flew over",
    "violations": "breaches of a truce: one side's tally of the other's",
    "attacks": "attacks (assaults, shelling, strikes) counted as events, not weapons",
    "energy_strikes": "strikes (or attacks) on energy sites, counted as events or sites",
    "killed": "people killed",
    "injured": "people injured",
}
"""What a claimed count counts (``count.metric`` of a claim file)."""

METRIC_RECORDS: dict[str, dict[str, str]] = {
    "launched": {"ru_to_ua": "strikes.launched"},
    "intercepted": {"ru_to_ua": "strikes.destroyed", "ua_to_ru": "mod_posts.drones_destroyed"},
    "lost_from_radar": {"ru_to_ua": "strikes.not_reach_goal"},
}
"""What each metric can be checked against, per direction (``table.column``): a metric or direction
not listed here has no record to check it against, and its claims are ``not_checkable``."""

METRIC_UNCHECKABLE: dict[str, str] = {
    "struck": "the loaded sources count weapons launched and destroyed, not struck (what reached a target)",
    "hit": "no loaded record counts the objects weapons damaged",
    "overflown": "no loaded record counts the places weapons flew over",
    "violations": "no loaded record counts truce violations: each side's tally of the other's is itself a claim",
    "attacks": "no loaded record counts attacks as events: the records count weapons",
    "energy_strikes": "no loaded record says what a weapon was aimed at or struck: strikes on energy sites "
                      "are not counted",
    "killed": "no loaded record counts people killed",
    "injured": "no loaded record counts people injured",
}
"""Why a metric with no record (:data:`METRIC_RECORDS`) cannot be checked."""
