"""The one safe YAML reader for curated files (claims, the truce calendar).

A curated file is fixed, not quarantined: every problem is a :class:`Problem` (file, line, the
item it is in, field, what to do), collected while reading (:func:`read_document` for the
bytes, the text and the YAML; the caller for its own fields) and raised at the end as one
:class:`~ceasefire_stats.core.errors.InputError` (:func:`problems_error`: the first
:data:`SHOWN` listed).

``yaml.SafeLoader`` constructs only plain data; on top of it :func:`loader` refuses what a
hostile or careless file can do to the reader: anchors and aliases (an alias bomb is refused
at its first anchor, before anything is expanded), collections nested deeper than
``max_depth`` (no ``RecursionError``) and, optionally, mapping keys that are not text.

>>> import yaml
>>> Loader = loader("calendar file", max_depth=4)
>>> yaml.load("a: [1, 2]", Loader=Loader)
{'a': [1, 2]}
>>> yaml.load("a: &x [1]\\nb: *x", Loader=Loader)
Traceback (most recent call last):
...
ceasefire_stats.core.safe_yaml.Refused: anchors (&name) and aliases (*name) are not allowed in a calendar file; write each value out
>>> yaml.load("a: " + "[" * 10 + "]" * 10, Loader=Loader)
Traceback (most recent call last):
...
ceasefire_stats.core.safe_yaml.Refused: nested deeper than 4 levels; a calendar file needs a handful
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import yaml

from ceasefire_stats.core.errors import InputError

SHOWN = 50
"""Problems listed in one error; the rest are counted."""


class Refused(yaml.YAMLError):
    """A YAML construct curated files may not use, with the place it was found (``problem_mark``,
    as PyYAML's own errors carry it) and, for a key, the offending field."""

    def __init__(self, mark: yaml.Mark, message: str, field: str | None = None):
        super().__init__(message)
        self.problem_mark, self.problem, self.field = mark, message, field

    def __str__(self) -> str:
        return self.problem


def loader(what: str, max_depth: int = 32, text_keys: bool = False,
           timestamps: bool = True) -> type[yaml.SafeLoader]:
    """A ``yaml.SafeLoader`` subclass for files described as ``what`` in messages; with
    ``text_keys`` every mapping key must be text; without ``timestamps`` ISO dates stay text
    (the caller parses them with its own rules)."""

    class _Loader(yaml.SafeLoader):
        _depth = 0

        def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise Refused(event.start_mark, f"anchors (&name) and aliases (*name) are not allowed in a "
                              f"{what}; write each value out")
            if isinstance(event, yaml.CollectionStartEvent):
                if self._depth >= max_depth:
                    raise Refused(event.start_mark, f"nested deeper than {max_depth} levels; a {what} needs "
                                  "a handful")
                self._depth += 1
                try:
                    return super().compose_node(parent, index)
                finally:
                    self._depth -= 1
            return super().compose_node(parent, index)

        def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[object, object]:
            if text_keys and isinstance(node, yaml.MappingNode):
                for key, _ in node.value:
                    if not (isinstance(key, yaml.ScalarNode) and key.tag == "tag:yaml.org,2002:str"):
                        shown = key.value if isinstance(key, yaml.ScalarNode) else f"a {key.id}"
                        raise Refused(key.start_mark, f"field name {shown!r} is not text; quote it if it must "
                                      "look like a number", field=str(shown))
            return super().construct_mapping(node, deep=deep)

    if not timestamps:
        _Loader.yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
    return _Loader


# --- problems -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem in a curated file: where it is (``item``: the record it belongs to, as
    (noun, id) pairs, e.g. ``(("claim", "t-1"),)``), the field, and what to do.

    >>> print(Problem("a.yaml", 3, (("window", "w"), ("definition", "d")), "start", "add it"))
    a.yaml:3: window 'w' definition 'd': field 'start': add it
    """

    file: str
    line: int
    item: tuple[tuple[str, str], ...]
    field: str
    message: str

    def __str__(self) -> str:
        where = " ".join(f"{noun} {name!r}" for noun, name in self.item)
        return f"{self.file}:{self.line}: {where}: field {self.field!r}: {self.message}"


def problems_error(problems: Sequence[Problem], what: str, fix: str) -> InputError:
    """Every problem of a curated read as one error: ``"N problem(s) in <what>; <fix>:"`` and
    the first :data:`SHOWN`, one a line.

    >>> lines = str(problems_error([Problem("a.yaml", 1, (), "-", "x")] * 51, "claim files", "fix them")).splitlines()
    >>> lines[0], len(lines), lines[-1]
    ('51 problem(s) in claim files; fix them:', 52, '  ... and 1 more')
    """
    shown = "\n  ".join(str(p) for p in problems[:SHOWN])
    more = f"\n  ... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return InputError(f"{len(problems)} problem(s) in {what}; {fix}:\n  {shown}{more}")


# --- reading one file -----------------------------------------------------------------------------

Locate = Callable[[str, int], tuple[tuple[tuple[str, str], ...], str]]
"""``locate(text, line)`` -> (item, field) of a 1-based line of a file's text, to place a problem
found before there is a tree (a byte that is not UTF-8, a YAML error)."""


class Document(NamedTuple):
    """One curated file read: its data, its node tree (for line numbers), its text."""

    data: object
    root: yaml.Node | None
    text: str


def read_document(path: Path, loader_class: type[yaml.SafeLoader], locate: Locate,
                  bad_values: Callable[[yaml.Node], list[Problem]] | None = None) -> Document | list[Problem]:
    """Read one curated file with a loader of :func:`loader`: its :class:`Document`, or the
    problems that stop it being read (unreadable, not UTF-8, not YAML or refused), each placed by
    ``locate``. A value the loader cannot construct (a ``ValueError``, e.g. an unquoted date
    that is no date) is a problem ``bad_values(root)`` lists when given."""
    file = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Problem(file, 0, *locate("", 0), f"cannot read the file ({exc.strerror})")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [Problem(file, line, *locate(data[:exc.start].decode("utf-8", errors="replace"), line),
                        f"undecodable byte {data[exc.start:exc.start + 1]!r} at byte offset {exc.start} (the file is "
                        "not UTF-8); re-save it as UTF-8")]
    loader = None
    try:
        loader = loader_class(text)  # checks every character: a control character raises here
        root = loader.get_single_node()
        try:
            value = loader.construct_document(root) if root is not None else None
        except ValueError:
            found = bad_values(root) if bad_values is not None else []
            if not found:
                raise
            return found
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None and isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
            line = text.count("\n", 0, exc.position) + 1
        else:
            line = mark.line + 1 if mark is not None else 0
        item, field = locate(text, line)
        return [Problem(file, line, item, getattr(exc, "field", None) or field,
                        f"not readable YAML: {' '.join(str(exc).split())}")]
    finally:
        if loader is not None:
            loader.dispose()
    return Document(value, root, text)
