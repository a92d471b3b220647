"""Lazy attribute access to the submodules of a package (``cs.panels.strikes`` in a fresh
interpreter), so that ``import ceasefire_stats`` stays light: pandas, pandera and matplotlib are
imported only when a module that needs them is first used.

The submodules are found on disk (:func:`pkgutil.iter_modules`), never listed by hand.

:func:`attribute` is the same mechanism for one named object: the pipeline's step table names
each step's module and builder, and imports them only when the step runs, so a build whose
steps are all current loads no cleaner, no pandas and no pandera.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable


def submodules(package: str, path: Iterable[str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for a package: an unknown attribute that names a submodule
    imports it; anything else raises :class:`AttributeError` as usual."""
    names = sorted(m.name for m in pkgutil.iter_modules(list(path)) if not m.name.startswith("_"))

    def __getattr__(name: str) -> object:
        if name in names:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return names

    return __getattr__, __dir__


_NO_DEFAULT = object()


def attribute(module: str, name: str, default: object = _NO_DEFAULT) -> object:
    """``module.name``, importing ``module`` first if it is not imported yet; ``default`` when
    the module has no such name (if given, else :class:`AttributeError`).

    >>> attribute("json", "dumps")([1, 2])
    '[1, 2]'
    >>> attribute("json", "no_such_name", None) is None
    True
    """
    found = importlib.import_module(module)
    return getattr(found, name) if default is _NO_DEFAULT else getattr(found, name, default)
