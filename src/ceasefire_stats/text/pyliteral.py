"""A safe parser for the Python-literal strings found in CSV cells (never ``eval``).

Some upstream files store dicts and lists as the ``repr`` of Python objects, not JSON:
``{'Odesa oblast': 2, 'Kyiv oblast': NaN}`` (bare ``NaN``), ``['Kyiv oblast', 'Sumy oblast']``,
and multi-line dicts flattened with runs of spaces. This module parses exactly that small
grammar with its own tokeniser and recursive-descent parser; nothing is ever evaluated,
so a cell such as ``{'a': __import__('os')}`` is a syntax error, not a function call.

Grammar (whitespace, including newlines, allowed between tokens)::

    value  := dict | list | string | number | NAME
    dict   := "{" [ key ":" value ( "," key ":" value )* [","] ] "}"
    key    := string | number | NAME            (hashable scalars only)
    list   := "[" [ value ( "," value )* [","] ] "]"
    string := '...' | "..."                     (Python escapes: \\\\ \\' \\" \\n \\r \\t \\xNN \\uNNNN \\UNNNNNNNN)
    number := -?digits[.digits][e[+-]digits]    (ints stay int; floats float)
    NAME   := NaN | nan | inf | None | True | False   (NaN and nan give float('nan'))

Anything else raises :class:`LiteralSyntaxError` (the module's only exception type) with
the position and a reason code. Nesting deeper than :data:`MAX_DEPTH` and cells longer than
:data:`MAX_LENGTH` are refused.

>>> parse("{'Odesa oblast': 2, 'Kyiv oblast': NaN,    'Sumy oblast': 1.0}")
{'Odesa oblast': 2, 'Kyiv oblast': nan, 'Sumy oblast': 1.0}
>>> parse("['Kyiv oblast', 'Sumy oblast']")
['Kyiv oblast', 'Sumy oblast']
>>> parse("{'a': __import__('os')}")
Traceback (most recent call last):
...
ceasefire_stats.text.pyliteral.LiteralSyntaxError: unknown_name at 6: '__import__' is not a literal
"""

from __future__ import annotations

import math
import re

from ceasefire_stats.core.errors import CeasefireStatsError

MAX_DEPTH = 32
MAX_LENGTH = 100_000

_NAMES = {"NaN": math.nan, "nan": math.nan, "inf": math.inf, "None": None, "True": True, "False": False}
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<punct>[{}\[\]:,])
  | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<number>-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>-?[A-Za-z_][A-Za-z_0-9]*)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "0": "\0",
                   "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


class LiteralSyntaxError(CeasefireStatsError, ValueError):
    """A cell is not a literal of the supported grammar. ``reason`` is a short code
    (``unexpected_token``, ``unknown_name``, ``bad_escape``...), ``position`` the offset."""

    def __init__(self, reason: str, position: int, detail: str):
        self.reason, self.position, self.detail = reason, position, detail
        super().__init__(f"{reason} at {position}: {detail}")


def _unescape(body: str, position: int) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "xuU" and len(code) > 1:
            value = int(code[1:], 16)
            if value > 0x10FFFF:
                raise LiteralSyntaxError("bad_escape", position, f"code point {code!r} out of range")
            return chr(value)
        if code in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[code]
        raise LiteralSyntaxError("bad_escape", position, f"unsupported escape \\{code}")

    return _ESCAPE.sub(replace, body) if "\\" in body else body


def tokenize(text: str) -> list[tuple[str, object, int]]:
    """Tokens ``(kind, value, position)`` of ``text``: kinds ``punct``, ``scalar``.

    >>> tokenize("{'a': -1.5}")
    [('punct', '{', 0), ('scalar', 'a', 1), ('punct', ':', 4), ('scalar', -1.5, 6), ('punct', '}', 10)]
    """
    if not isinstance(text, str):
        raise LiteralSyntaxError("not_text", 0, f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise LiteralSyntaxError("too_long", MAX_LENGTH, f"cell longer than {MAX_LENGTH} characters")
    tokens: list[tuple[str, object, int]] = []
    pos, end = 0, len(text)
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None:
            raise LiteralSyntaxError("unexpected_character", pos, f"{text[pos]!r} cannot start a token")
        kind = match.lastgroup
        raw = match.group()
        if kind == "punct":
            tokens.append(("punct", raw, pos))
        elif kind == "string":
            tokens.append(("scalar", _unescape(raw[1:-1], pos), pos))
        elif kind == "number":
            try:
                number = float(raw) if any(c in raw for c in ".eE") else int(raw)
            except ValueError:  # e.g. an int longer than Python's digit limit
                raise LiteralSyntaxError("bad_number", pos, f"{raw[:20]!r}... is not a usable number") from None
            tokens.append(("scalar", number, pos))
        elif kind == "name":
            negative = raw.startswith("-")
            name = raw[1:] if negative else raw
            if name not in _NAMES or (negative and name not in ("inf", "NaN", "nan")):
                raise LiteralSyntaxError("unknown_name", pos, f"{raw!r} is not a literal")
            value = _NAMES[name]
            tokens.append(("scalar", -value if negative else value, pos))  # type: ignore[operator]
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0
        self.end = len(text)

    def peek(self) -> tuple[str, object, int]:
        if self.i >= len(self.tokens):
            raise LiteralSyntaxError("unexpected_end", self.end, "the literal is incomplete")
        return self.tokens[self.i]

    def take(self, punct: str | None = None) -> tuple[str, object, int]:
        token = self.peek()
        if punct is not None and token != ("punct", punct, token[2]):
            raise LiteralSyntaxError("unexpected_token", token[2], f"expected {punct!r}, found {token[1]!r}")
        self.i += 1
        return token

    def value(self, depth: int) -> object:
        if depth > MAX_DEPTH:
            raise LiteralSyntaxError("too_deep", self.peek()[2], f"nesting deeper than {MAX_DEPTH}")
        kind, val, pos = self.take()
        if kind == "scalar":
            return val
        if val == "{":
            return self.items("}", depth, is_dict=True)
        if val == "[":
            return self.items("]", depth, is_dict=False)
        raise LiteralSyntaxError("unexpected_token", pos, f"{val!r} cannot start a value")

    def items(self, close: str, depth: int, is_dict: bool) -> object:
        out_dict: dict[object, object] = {}
        out_list: list[object] = []
        while True:
            kind, val, pos = self.peek()
            if kind == "punct" and val == close:
                self.i += 1
                return out_dict if is_dict else out_list
            if is_dict:
                kind, key, pos = self.take()
                if kind != "scalar":
                    raise LiteralSyntaxError("bad_key", pos, f"{key!r} cannot be a dict key")
                self.take(":")
                if key in out_dict:
                    raise LiteralSyntaxError("duplicate_key", pos, f"key {key!r} appears twice")
                out_dict[key] = self.value(depth + 1)
            else:
                out_list.append(self.value(depth + 1))
            kind, val, pos = self.peek()
            if kind == "punct" and val == ",":
                self.i += 1
            elif not (kind == "punct" and val == close):
                raise LiteralSyntaxError("unexpected_token", pos, f"expected ',' or {close!r}, found {val!r}")


def parse(text: str) -> object:
    """Parse one literal cell; raise :class:`LiteralSyntaxError` if it is not one.

    >>> parse("  {        'Kalibr': 'Black Sea'    }  ")
    {'Kalibr': 'Black Sea'}
    >>> parse("{}")
    {}
    """
    parser = _Parser(text)
    if not parser.tokens:
        raise LiteralSyntaxError("empty", 0, "the cell holds no literal")
    result = parser.value(0)
    if parser.i != len(parser.tokens):
        raise LiteralSyntaxError("trailing_text", parser.tokens[parser.i][2], "text after the literal")
    return result


def dumps(obj: object) -> str:
    """Serialise dicts, lists, strings, numbers, None, booleans and NaN in the grammar
    :func:`parse` reads (the inverse of :func:`parse`).

    >>> dumps({'a': [1, 2.5, None], 'b': float('nan')})
    "{'a': [1, 2.5, None], 'b': NaN}"
    """
    if isinstance(obj, float) and math.isnan(obj):
        return "NaN"
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{dumps(k)}: {dumps(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(dumps(v) for v in obj) + "]"
    if isinstance(obj, str | int | float | bool) or obj is None:
        return repr(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def parse_unique(cells: list[str]) -> tuple[dict[str, object], dict[str, LiteralSyntaxError]]:
    """Parse each distinct cell once; return the parsed values and the errors, by cell text.

    A cleaner factorises a column, parses its distinct strings here (a loop over unique
    cells, not rows) and maps the results back; failing cells go to the rejects.
    """
    values: dict[str, object] = {}
    errors: dict[str, LiteralSyntaxError] = {}
    for cell in dict.fromkeys(cells):
        try:
            values[cell] = parse(cell)
        except LiteralSyntaxError as exc:
            errors[cell] = exc
    return values, errors
