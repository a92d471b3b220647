"""The one safe YAML loader for curated files (claims, the truce calendar).

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

import yaml


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
