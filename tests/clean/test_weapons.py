"""Weapon aliases, classes and bundles."""

from __future__ import annotations

import pandas as pd
import pytest

from ceasefire_stats import vocab
from ceasefire_stats.clean import weapons
from ceasefire_stats.core.errors import InputError

REFERENCE = pd.DataFrame({
    "model": ["Shahed-136/131", "X-101/X-555", "Kalibr", "Iskander-M", "C-300", "X-47 Kinzhal",
              "Unknown Missile", "Молнія", "Orlan-10", "GBU"],
    "category": ["UAV", "cruise missile", "cruise missile", "ballistic missile", "surface-to-air missile",
                 "ballistic missile", "cruise missile", "UAV", "UAV", "guided bomb"],
    "type": ["loitering munition", "air-launched", "", "", "", "air-launched", "", "", "reconnaissance", ""],
})


def resolve(model: str) -> weapons.Weapon:
    return weapons.resolve_one(model, weapons.reference_classes(REFERENCE))


def test_reference_gives_the_class():
    assert resolve("Shahed-136/131").weapon_class == "attack_drone"
    assert resolve("Orlan-10").weapon_class == "recon_uav"
    assert resolve("GBU").weapon_class == "guided_bomb"
    assert resolve("Kalibr").class_source == "reference"


def test_canonical_names_transliterate_lookalikes():
    assert resolve("C-300").model_canonical == "S-300"
    assert resolve("C-300").weapon_class == "sam_ground_attack"
    assert resolve("X-101/X-555").model_canonical == "Kh-101/Kh-555"


def test_cyrillic_and_unreferenced_names_use_the_alias_map():
    assert resolve("Молнія") == weapons.Weapon("Молнія", "Molniya", "attack_drone", False, "Molniya", "alias_map")
    assert resolve("Фенікс").model_canonical == "Feniks"
    assert resolve("Картограф").weapon_class == "recon_uav"
    assert resolve("Привет-82").weapon_class == "attack_drone"
    assert resolve("Aerial Bomb").weapon_class == "guided_bomb"
    assert resolve("Intercontinental ballistic missile").model_canonical == "Intercontinental Ballistic Missile"


def test_documented_overrides_of_the_reference():
    assert resolve("X-47 Kinzhal").weapon_class == "aeroballistic_missile"
    assert resolve("Unknown Missile").weapon_class == "unknown"
    assert resolve("Unknown Missile").class_source == "override"
    assert set(weapons.CLASS_OVERRIDES) <= set(weapons.MODELS)


def test_bundle_kept_whole_with_components():
    w = resolve("X-101/X-555 and Kalibr")
    assert w.is_bundle and w.component_models == "Kh-101/Kh-555|Kalibr"
    assert w.weapon_class == "cruise_missile"
    mixed = resolve("X-47 Kinzhal and Iskander-M")
    assert mixed.weapon_class == "mixed" and mixed.model_canonical == "Kh-47M2 Kinzhal + Iskander-M"


def test_slash_is_one_entry_not_a_bundle():
    w = resolve("Iskander-M/KN-23")
    assert not w.is_bundle and w.component_models == "Iskander-M/KN-23"


def test_unknown_model_is_marked_not_guessed():
    w = resolve("Geran-9000")
    assert (w.weapon_class, w.class_source, w.model_canonical) == ("unknown", "unknown_model", "Geran-9000")


def test_every_class_is_documented():
    classes = {c for _, c in weapons.MODELS.values() if c} | set(weapons.REFERENCE_CLASS_RULES.values())
    classes |= {c for c, _ in weapons.CLASS_OVERRIDES.values()}
    assert classes <= set(vocab.WEAPON_CLASSES)


def test_read_reference_errors_and_ledger(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty.csv: the file is empty"):
        weapons.read_reference(empty)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,category\nX,Y\n")
    with pytest.raises(InputError, match=r"missing columns \['model', 'type'\]"):
        weapons.read_reference(bad)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text('model,category,type\n"Kalibr,cruise missile,\n')
    with pytest.raises(InputError, match="ragged.csv: not a well-formed CSV file"):
        weapons.read_reference(ragged)
    undecodable = tmp_path / "bytes.csv"
    undecodable.write_bytes(b"model,category,type\nKalibr\xff,cruise missile,\n")
    with pytest.raises(InputError, match=r"bytes.csv: row 2, column 'model': undecodable byte"):
        weapons.read_reference(undecodable)
    ok = tmp_path / "ok.csv"
    ok.write_text("model,category,type,in_sevice\nKalibr,cruise missile,,\n,UAV,,\nKalibr,cruise missile,,\n")
    table, ledger = weapons.read_reference(ok)
    assert table["model"].tolist() == ["Kalibr"]
    assert ledger.summary() == {"source": "weapons", "in": 3, "kept": 1, "flagged": 0, "rejected": 1, "duplicate": 1}
    ledger.check()


@pytest.mark.realdata
def test_every_model_in_the_real_files_resolves(raw_file):
    reference, ledger = weapons.read_reference(raw_file("weapons"))
    assert ledger.summary()["kept"] == 64
    daily = pd.read_csv(raw_file("airforce_strikes"), dtype="str", keep_default_na=False)
    table = weapons.resolve(pd.concat([daily["model"], reference["model"]]), reference)
    assert not (table["class_source"] == "unknown_model").any(), table[table["class_source"] == "unknown_model"]
    # the nine daily models without a reference row (manifest section 2) are all resolved
    missing = set(daily["model"]) - set(reference["model"])
    assert missing == {"Aerial Bomb", "Intercontinental ballistic missile", "Iskander-M and Iskander-K",
                       "Iskander-M/KN-23 and Iskander-K and Kalibr", "Iskander-M/KN-23 and Iskander-K and X-59/X-69",
                       "X-101/X-555 and Kalibr and Iskander-M/KN-23", "Картограф", "Привет-82", "Фенікс"}
    by_model = table.set_index("model")
    assert daily["model"].map(by_model["is_bundle"]).sum() == 70  # manifest: 70 bundle rows
    assert (daily["model"] == "Молнія").sum() == 112
    assert by_model.loc["Молнія", "weapon_class"] == "attack_drone"
    assert by_model.loc["Unknown UAV", "weapon_class"] == "unknown"
    assert by_model.loc["Reconnaissance UAV", "weapon_class"] == "recon_uav"
    assert by_model.loc["C-400 and Iskander-M", "weapon_class"] == "mixed"


@pytest.mark.parametrize(
    ("content", "kept", "rejected", "duplicate"),
    [
        # a blank line in the middle: every later row keeps its own line number
        ("model,category,type\nKalibr,cruise missile,\n\n,UAV,\nKalibr,cruise missile,\n", [2], [4], [(5, 2)]),
        # several blank lines, and trailing ones
        ("model,category,type\n\n\nKalibr,cruise missile,\n\n,UAV,\n\n\n", [4], [6], []),
        # a multi-line quoted cell, then a blank line
        ('model,category,type\n"Orlan-10",UAV,"recon-\nnaissance"\n\nOrlan-10,UAV,\n', [2], [], [(5, 2)]),
        # CRLF line ends with a blank line
        ("model,category,type\r\nKalibr,cruise missile,\r\n\r\nKalibr,cruise missile,\r\n", [2], [], [(4, 2)]),
    ],
)
def test_reference_ledger_uses_the_files_line_numbers(tmp_path, content, kept, rejected, duplicate):
    path = tmp_path / "ref.csv"
    path.write_bytes(content.encode())
    _, ledger = weapons.read_reference(path)
    ledger.check()
    rows = ledger.rows.set_index("raw_row")["outcome"]
    assert rows[rows == "kept"].index.tolist() == kept
    assert rows[rows == "rejected"].index.tolist() == rejected
    assert ledger.rejects["raw_row"].tolist() == rejected
    assert [(r, int(d)) for r, d in zip(rows[rows == "duplicate"].index,
                                        ledger.rows.set_index("raw_row").loc[rows == "duplicate", "reason"]
                                        .str.removeprefix("duplicate_of:"), strict=True)] == duplicate


def test_reference_with_a_trailing_delimiter_is_refused_not_shifted(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("model,category,type\nKalibr,cruise missile,,\nOrlan-10,UAV,reconnaissance,\n")
    with pytest.raises(InputError, match=r"ref.csv: not a well-formed CSV file: row 2 has 4 fields, the header "
                       r"\(row 1\) has 3 \(a trailing delimiter\?; every data row has 4\)"):
        weapons.read_reference(path)
