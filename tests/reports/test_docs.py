"""The documentation names only modules, functions and files that exist, and the README's
command and environment-variable tables list every command and variable the code has."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import ceasefire_stats
from ceasefire_stats import cli
from ceasefire_stats.core import paths

ROOT = paths.checkout_root()
PACKAGE = paths.PACKAGE_DIR
DOCS = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md"), ROOT / "notebooks" / "README.md",
               *(ROOT / "data").glob("*/README.md"), *PACKAGE.glob("curated/*/README.md")]) if ROOT else []

MODULES = sorted(m.name for m in pkgutil.walk_packages(ceasefire_stats.__path__, "ceasefire_stats.")) + ["ceasefire_stats"]
#: a module's last name -> its full name, for short references (`fields.define`, `airforce.build`)
LEAVES: dict[str, list[str]] = {}
for _name in MODULES:
    LEAVES.setdefault(_name.rsplit(".", 1)[-1], []).append(_name)

DOTTED = re.compile(r"\b(?:ceasefire_stats|cs)(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
CODE = re.compile(r"`([^`\s]+)`")
FILE_SUFFIXES = {"csv", "md", "toml", "yaml", "yml", "json", "parquet", "png", "svg", "ipynb", "py", "txt"}
PY_PATH = re.compile(r"^[\w./-]+\.py$")


def _resolves(dotted: str) -> bool:
    """Whether ``ceasefire_stats.a.b.c`` is a module or an attribute reachable from one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        if module_name not in MODULES:
            continue
        obj = importlib.import_module(module_name)
        for attribute in parts[cut:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def references(text: str) -> list[str]:
    """Every name of the package a page mentions, as a dotted name from ``ceasefire_stats``,
    and every ``.py`` path it gives in code quotes (as ``path:...``)."""
    found = [m.group(0).replace("cs.", "ceasefire_stats.", 1) if m.group(0).startswith("cs.") else m.group(0)
             for m in DOTTED.finditer(text)]
    for quoted in CODE.findall(text):
        quoted = quoted.strip("()")
        if PY_PATH.match(quoted):
            found.append("path:" + quoted)
        elif re.fullmatch(r"[a-z_]+(?:\.[A-Za-z_][A-Za-z0-9_]*)+(?:\(\))?", quoted):
            first, last = quoted.split(".")[0], quoted.rsplit(".", 1)[-1]
            if first in LEAVES and first not in ("ceasefire_stats", "cs") and last not in FILE_SUFFIXES:  # a short name of one of the package's modules
                found.append("leaf:" + quoted.removesuffix("()"))
    return found


def _exists(ref: str) -> bool:
    if ref.startswith("path:"):
        path = ref.removeprefix("path:")
        return any((base / path).is_file() for base in (ROOT, PACKAGE, PACKAGE.parent, ROOT / "tests"))
    if ref.startswith("leaf:"):
        first, _, rest = ref.removeprefix("leaf:").partition(".")
        return any(_resolves(f"{module}.{rest}") for module in LEAVES[first])
    return _resolves(ref)


@pytest.mark.parametrize("page", DOCS, ids=lambda p: str(p.relative_to(ROOT)) if ROOT else str(p))
def test_docs_name_only_modules_functions_and_files_that_exist(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    missing = sorted({ref for ref in references(text) if not _exists(ref)})
    assert not missing, f"{page.name} names what the package does not have: {missing}"


def test_the_reference_check_catches_a_renamed_function() -> None:
    assert references("see `nights.attribution_date` and cs.panels.strikes.daily_panel") == [
        "ceasefire_stats.panels.strikes.daily_panel", "leaf:nights.attribution_date"]
    assert all(_exists(r) for r in references("`core/fields.py`, `clean/weapons.py`, ceasefire_stats.core.fields"))
    assert not any(_exists(r) for r in references("`timeutil.attribution_date` ceasefire_stats.text.english_numbers "
                                                  "`panels.night_totals` `clean/pyliteral.py`"))


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def test_the_readme_command_table_lists_every_command_and_option_of_the_cli() -> None:
    section = _readme_section("Command line")
    rows = [line for line in section.splitlines() if line.startswith("| `ceasefire-stats")]
    listed = {re.match(r"\| `ceasefire-stats ([a-z-]+)", row).group(1) for row in rows}
    subparsers = next(a for a in cli.parser()._actions if a.dest == "command")
    assert listed - {"--help"} == set(subparsers.choices), "README's command table differs from the CLI's commands"
    for name, sub in subparsers.choices.items():
        table = " ".join(row for row in rows if row.startswith(f"| `ceasefire-stats {name}"))
        options = {o for action in sub._actions for o in action.option_strings if o.startswith("--") and o != "--help"}
        missing = sorted(o for o in options if o not in table)
        assert not missing, f"README's row of `ceasefire-stats {name}` does not mention {missing}"


def _variables_read_by_src() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and re.fullmatch(r"CEASEFIRE_STATS_[A-Z_]+", node.value):
                names.add(node.value)
    return names


def test_the_readme_variable_table_lists_every_environment_variable_src_reads() -> None:
    section = _readme_section("Where things live")
    listed = set(re.findall(r"^\| `(CEASEFIRE_STATS_[A-Z_]+)`", section, flags=re.MULTILINE))
    read = _variables_read_by_src()
    assert "CEASEFIRE_STATS_MIRROR" in read and "CEASEFIRE_STATS_PROCESSED" in read  # the search finds them
    assert listed == read, f"in the code, not the README: {sorted(read - listed)}; in the README only: {sorted(listed - read)}"


def test_citation_cff_cites_the_software_under_its_licence_and_every_registry_source_in_its_own_words() -> None:
    import tomllib

    import yaml

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["cff-version"] == "1.2.0" and citation["message"] and citation["authors"]
    assert (citation["version"], citation["license"]) == (project["version"], project["license"])
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8") and project["license"] == "MIT"
    registry = tomllib.loads((PACKAGE / "registry.toml").read_text(encoding="utf-8"))
    notes = {ref["notes"]: ref for ref in citation["references"]}
    for name, entry in registry.items():
        assert entry["citation"] in notes, f"CITATION.cff does not cite {name} as registry.toml does"
        ref = notes[entry["citation"]]
        assert ref["repository"] == entry["url"] and ref["title"] and ref["authors"] and ref["type"], name
    assert len(citation["references"]) == len(registry)
