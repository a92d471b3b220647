"""The safe literal parser: the cell shapes seen upstream, refusals, and properties."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire_stats.text import pyliteral
from ceasefire_stats.text.pyliteral import LiteralSyntaxError, dumps, parse


def test_dict_with_bare_nan_and_odd_whitespace():
    # shape of destroyed_details: bare NaN and runs of spaces inside
    value = parse("{'Odesa oblast': 2, 'Kyiv oblast': NaN, 'Sumy oblast': NaN,    'Cherkasy oblast': NaN}")
    assert list(value) == ["Odesa oblast", "Kyiv oblast", "Sumy oblast", "Cherkasy oblast"]
    assert value["Odesa oblast"] == 2 and isinstance(value["Odesa oblast"], int)
    assert math.isnan(value["Kyiv oblast"])


def test_list_and_empty_dict_and_float_counts():
    assert parse("['Kyiv oblast', 'Sumy oblast']") == ["Kyiv oblast", "Sumy oblast"]
    assert parse("{}") == {}
    assert parse("{'belarus': 1.0, 'russia': 3.0}") == {"belarus": 1.0, "russia": 3.0}


def test_flattened_multiline_dict():
    text = "{        'Iskander-M/KN-23': 'Kursk oblast and Voronezh oblast',        'Kalibr': 'Black Sea'    }"
    assert parse(text) == {"Iskander-M/KN-23": "Kursk oblast and Voronezh oblast", "Kalibr": "Black Sea"}
    assert parse("{\n  'a': 1,\n  'b': [1, 2,],\n}") == {"a": 1, "b": [1, 2]}


def test_strings_with_escapes_and_both_quotes():
    assert parse(r"""{"it's": 'say \"hi\"\n', 'x': '\u0439\x41'}""") == {"it's": 'say "hi"\n', "x": "йA"}
    assert parse("'Молнія'") == "Молнія"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{'a': __import__('os')}", "unknown_name"),
        ("__import__('os').system('echo pwned')", "unknown_name"),
        ("{'a': open('/etc/passwd')}", "unknown_name"),
        ("{'a': 1 + 1}", "unexpected_character"),
        ("{'a': (1, 2)}", "unexpected_character"),
        ("{'a': 1", "unexpected_end"),
        ("{'a' 1}", "unexpected_token"),
        ("{'a': 1}}", "trailing_text"),
        ("{'a: 1}", "unexpected_character"),
        ("", "empty"),
        ("   ", "empty"),
        ("{['a']: 1}", "bad_key"),
        ("{'a': 1, 'a': 2}", "duplicate_key"),
        ("'\\q'", "bad_escape"),
        ("[" * 100 + "]" * 100, "too_deep"),
        ("9" * 5000, "bad_number"),
    ],
)
def test_refusals_name_a_reason(text, reason):
    with pytest.raises(LiteralSyntaxError) as info:
        parse(text)
    assert info.value.reason == reason
    assert isinstance(info.value.position, int)


def test_import_cell_is_never_executed(monkeypatch):
    calls = []
    monkeypatch.setattr("builtins.__import__", lambda *a, **k: calls.append(a))
    with pytest.raises(LiteralSyntaxError):
        parse("{'a': __import__('os')}")
    monkeypatch.undo()
    assert calls == []


def test_module_never_evaluates():
    source = Path(pyliteral.__file__).read_text(encoding="utf-8")
    code = re.sub(r'""".*?"""', "", source, flags=re.DOTALL)
    assert "eval(" not in code and "literal_eval" not in code and "exec(" not in code


def test_parse_unique_collects_errors_by_cell():
    values, errors = pyliteral.parse_unique(["{}", "{'a': 1}", "{'a': 1}", "{'x': os}"])
    assert values == {"{}": {}, "{'a': 1}": {"a": 1}}
    assert list(errors) == ["{'x': os}"] and errors["{'x': os}"].reason == "unknown_name"


# --- properties ------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=20)
_dicts = st.dictionaries(st.text(max_size=15), _values, max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_only_raises_its_own_error(text):
    try:
        parse(text)
    except LiteralSyntaxError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="{}[]:,'\" \nNa0123456789.-eE_xTrueFalsNoinf\\", max_size=60))
def test_grammar_shaped_noise_only_raises_its_own_error(text):
    try:
        parse(text)
    except LiteralSyntaxError:
        pass


@settings(max_examples=300, deadline=None)
@given(_dicts)
def test_round_trip_through_dumps(value):
    assert parse(dumps(value)) == value


@settings(max_examples=300, deadline=None)
@given(_dicts)
def test_reads_python_repr_of_generated_dicts(value):
    assert parse(repr(value)) == value


@given(st.dictionaries(st.text(max_size=10), st.one_of(st.just(math.nan), st.integers(0, 500)), max_size=8))
def test_round_trip_with_bare_nan(value):
    parsed = parse(dumps(value))
    assert list(parsed) == list(value)
    assert all((math.isnan(v) and math.isnan(parsed[k])) if isinstance(v, float) else parsed[k] == v
               for k, v in value.items())


# --- the real file ---------------------------------------------------------------------

LITERAL_COLUMNS = ["border_crossing", "affected region", "destroyed_details", "launched_details",
                   "launch_place_details"]


@pytest.mark.realdata
def test_every_literal_cell_of_the_real_file_parses(raw_file):
    frame = pd.read_csv(raw_file("airforce_strikes"), dtype="str", keep_default_na=False)
    for column in LITERAL_COLUMNS:
        cells = [c for c in frame[column].unique() if c.strip()]
        values, errors = pyliteral.parse_unique(cells)
        assert not errors, (column, list(errors.items())[:3])
        assert all(isinstance(v, list if column == "affected region" else dict) for v in values.values())
    # the manifest counts 704 destroyed_details cells holding a bare NaN
    assert frame["destroyed_details"].str.contains("NaN").sum() == 704
