"""Which of the package's source files a module's behaviour rests on, read from the source
alone (nothing is imported): its static import closure within the package.

The pipeline fingerprints each step's code with it (:func:`ceasefire_stats.pipeline.code_fingerprint`):
a step is rebuilt when a file it imports, directly or through other modules of the package,
changes, and not when an unrelated module (a plot, a notebook helper) does. Every ``import``
statement counts, at module level or inside a function (not those under ``if TYPE_CHECKING:``,
which never run), and so does every package above an imported module (the imports its
``__init__`` runs on import). A data file of the package (``registry.toml``,
a style sheet) belongs to the closure when a module of the closure names it in its source.
Curated data are a step's inputs, not code: they are fingerprinted as such.

Only the standard library: deciding that a build has nothing to do must not import pandas.

>>> from ceasefire_stats.core import paths
>>> files = closure(["ceasefire_stats.core.step"], paths.PACKAGE_DIR)
>>> names = [f.relative_to(paths.PACKAGE_DIR).as_posix() for f in files]
>>> # itself; the package's __init__ imports core.sources; core.ledger only under TYPE_CHECKING
>>> "core/step.py" in names, "core/sources.py" in names, "core/ledger.py" in names
(True, True, False)
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

PACKAGE = "ceasefire_stats"
DATA_SUFFIXES = (".toml", ".yaml", ".yml", ".csv", ".json", ".mplstyle")
"""Suffixes of the package's data files that a module may read by name."""

_parsed: dict[Path, tuple[tuple[int, int], tuple[frozenset[str], frozenset[str]], str]] = {}
# file -> ((size, mtime), (imports at module level, every import), its text)


def module_file(module: str, root: Path) -> Path | None:
    """The source file of ``module`` (``ceasefire_stats.x.y``) under the package folder
    ``root``: ``x/y.py`` or ``x/y/__init__.py``; None when it is not a module of the package."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = root.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py") if parts[1:] else None, base / "__init__.py"):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join((PACKAGE, *parts))


def _targets(node: ast.AST, package: str) -> list[str]:
    """The dotted names an import statement reaches (``from a import b`` reaches ``a.b``,
    a module or a name of ``a``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
            base = f"{base}.{node.module}" if node.module else base
        else:
            base = node.module or ""
        return [f"{base}.{alias.name}" for alias in node.names]
    return []


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _read(path: Path, root: Path) -> tuple[tuple[frozenset[str], frozenset[str]], str]:
    """The import targets of ``path`` (at module level; anywhere) and its text, parsed once
    per size and modification time."""
    stat = path.stat()
    key = (stat.st_size, stat.st_mtime_ns)
    cached = _parsed.get(path)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    text = path.read_text(encoding="utf-8")
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(text, filename=str(path))
    top: list[str] = []
    everywhere: list[str] = []
    pending: list[tuple[ast.AST, bool]] = [(node, True) for node in tree.body]
    while pending:  # every statement but the bodies of ``if TYPE_CHECKING:`` (annotations only)
        node, at_top = pending.pop()
        if isinstance(node, ast.If) and _type_checking(node.test):
            pending.extend((child, at_top) for child in node.orelse)
            continue
        found = _targets(node, package)
        everywhere.extend(found)
        if at_top:
            top.extend(found)
        inside = at_top and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):  # statements hold imports
            pending.extend((child, inside) for child in getattr(node, field, ()))
    result = (frozenset(top), frozenset(everywhere))
    _parsed[path] = (key, result, text)
    return result, text


def closure(modules: Iterable[str], root: Path, skip: Iterable[str] = ()) -> list[Path]:
    """The package's files that ``modules`` rest on, sorted: their source files, those of every
    package module they import, anywhere in their source, transitively (of a package that is
    only the parent of an imported module, the imports that run on import), and the data files
    those modules name. Imports of modules under a prefix in ``skip`` are not followed."""
    skip = tuple(skip)
    used: set[Path] = set()  # modules whose functions may run: every import counts
    parents: set[Path] = set()  # packages imported on the way to a module: their module-level imports
    pending = list(modules)
    while pending:
        target = pending.pop()
        if any(target == s or target.startswith(f"{s}.") for s in skip):
            continue
        found = [(depth, path) for depth in range(1, target.count(".") + 2)
                 for path in [module_file(".".join(target.split(".")[:depth]), root)] if path is not None]
        for number, (_, path) in enumerate(found):
            whole = number == len(found) - 1  # the module the target names; the others are its packages
            if path in used or (not whole and path in parents):
                continue
            (top, everywhere), _ = _read(path, root)
            (used if whole else parents).add(path)
            pending.extend(everywhere if whole else top)
    seen = used | parents
    texts = [_read(path, root)[1] for path in seen]
    data = [path for path in root.rglob("*") if path.suffix in DATA_SUFFIXES and path.is_file()
            and path.relative_to(root).parts[0] != "curated"]
    seen.update(path for path in data if any(path.name in text for text in texts))
    return sorted(seen)
