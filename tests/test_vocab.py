"""One vocabulary: the classes a claim can name select only classes the strikes table has."""

from __future__ import annotations

import pytest

from ceasefire_stats import vocab
from ceasefire_stats.clean import airforce, claims


def test_every_class_group_is_a_subset_of_the_strike_classes():
    strike_classes = set(vocab.WEAPON_CLASSES)
    for group, classes in vocab.CLASS_GROUPS.items():
        assert set(classes) <= strike_classes, group


def test_any_covers_every_strike_class_and_missiles_cover_the_aeroballistic_one():
    """The regression of the copied vocabulary: ``any`` missed ``aeroballistic_missile`` and
    ``mixed`` (102 strike rows), ``missile`` missed ``aeroballistic_missile`` (73 rows)."""
    assert set(vocab.CLASS_GROUPS["any"]) == set(vocab.WEAPON_CLASSES)
    assert {"aeroballistic_missile", "mixed"} <= set(vocab.CLASS_GROUPS["any"])
    assert "aeroballistic_missile" in vocab.CLASS_GROUPS["missile"]


def test_every_claimable_class_has_a_group():
    assert set(claims.CLAIM_WEAPON_CLASSES) == set(vocab.CLASS_GROUPS)


def test_the_strikes_schema_checks_against_the_same_vocabulary():
    schema = airforce.SCHEMAS["strikes"]
    import pandas as pd
    import pandera.errors

    row = pd.DataFrame({"weapon_class": ["aeroballistic"]})
    with pytest.raises(pandera.errors.SchemaError):
        schema.columns["weapon_class"].validate(row)


@pytest.mark.realdata
def test_claim_groups_reach_every_real_strike_row(real_table):
    classes = set(real_table("strikes")["weapon_class"])
    assert classes <= set(vocab.CLASS_GROUPS["any"])
