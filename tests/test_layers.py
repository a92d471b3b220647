"""The folders are the layers: imports point down the stack only, and there is no cycle.

The stack, lowest first (a module may import its own layer and the layers below it):
``core`` -> ``vocab``, ``nights`` -> ``text`` -> ``clean`` -> ``panels`` -> ``analysis`` -> ``versions`` ->
``plots`` -> ``engines`` -> ``pipeline`` -> ``reports`` -> ``cli`` -> ``testing`` (generators for the tests
and benchmarks: nothing in the package imports them). The package's ``__init__`` imports only
``core`` eagerly (the rest on first attribute access).
"""

from __future__ import annotations

import ast
from pathlib import Path

import ceasefire_stats

PACKAGE = Path(ceasefire_stats.__file__).resolve().parent
STACK = ("core", ("vocab", "nights"), "text", "clean", "panels", "analysis", "versions", "plots", "engines", "pipeline",
         "reports", "cli", "testing")
RANK = {name: rank for rank, entry in enumerate(STACK) for name in (entry if isinstance(entry, tuple) else (entry,))}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ceasefire_stats"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if (PACKAGE.parent / f"{node.module}.{a.name}".replace(".", "/")).exists()
                         or (PACKAGE.parent / (f"{node.module}.{a.name}".replace(".", "/") + ".py")).exists())
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("ceasefire_stats"))
    return found


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def test_every_module_belongs_to_a_layer():
    orphans = [m for m in _modules() if _layer(m) not in RANK and m not in {"ceasefire_stats", "ceasefire_stats.__main__"}]
    assert orphans == []


def test_no_import_points_up_the_stack():
    upward = []
    for module, path in _modules().items():
        source = _layer(module)
        if source is None or source not in RANK:
            continue
        for target in _imports(path):
            layer = _layer(target)
            if layer in RANK and RANK[layer] > RANK[source]:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_the_package_root_imports_only_the_core_eagerly():
    eager = {_layer(t) for t in _imports(PACKAGE / "__init__.py", top_level_only=True)}
    assert eager <= {"core"}


def test_no_import_cycle_between_modules():
    modules = _modules()
    graph = {m: {t for t in _imports(p, top_level_only=True) if t in modules and t != m} for m, p in modules.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_modules_are_imported_by_name_not_by_string():
    """``importlib`` appears only where subpackages are loaded lazily (``core/lazy.py``)."""
    users = [m for m, p in _modules().items() if "import_module(" in p.read_text(encoding="utf-8")]
    assert users == ["ceasefire_stats.core.lazy"]


def test_every_subpackage_is_reachable_from_a_fresh_interpreter():
    import subprocess
    import sys

    code = ("import ceasefire_stats as cs; "
            "print(cs.panels.mod.daily_interceptions.__name__, cs.analysis.claim_checks.__name__, "
            "cs.plots.figure.save_figure.__name__, cs.text.ru_numerals.__name__, cs.vocab.DIRECTIONS['ru_to_ua'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "daily_interceptions"


def test_importing_the_package_loads_no_heavy_library():
    """``import ceasefire_stats`` stays light (issue: under 0.2 s): pandas, pyarrow, pandera,
    matplotlib, scipy and statsmodels load when a table, figure or model is first used."""
    import subprocess
    import sys

    code = ("import sys, ceasefire_stats; "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'pandera', 'matplotlib', 'scipy', 'statsmodels') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_engines_know_no_source():
    """An engine runs any cleaner by its contract (``core.cleaner``): it imports no cleaner, so a
    new source is a new folder under ``clean/`` and no engine changes."""
    engines = {m: p for m, p in _modules().items() if _layer(m) == "engines"}
    assert engines
    assert {m: sorted(i for i in _imports(p) if _layer(i) == "clean") for m, p in engines.items()} == \
        dict.fromkeys(engines, [])
