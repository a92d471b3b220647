"""Folders a command writes whole (the site, an export): checked before any work, written
beside their destination and swapped in, so a failure leaves the folder as it was.

A destination is accepted when it does not exist yet, is an empty folder, or holds an earlier
output of the same command (it has the ``marker`` file); anything else (a file, a folder of
other things, a place that cannot be written) is refused with one line before anything is
computed. :func:`replace` builds the new output in a hidden folder beside the destination and
then renames it into place (the old one is renamed aside first and removed after), so a reader
sees the old folder or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ceasefire_stats.core.errors import OutputError


def check(out: str | os.PathLike[str], marker: str, what: str) -> Path:
    """``out`` as an absolute path, after checking that ``what`` (e.g. "the site") may be
    written there whole; raise :class:`OutputError` in one line otherwise.

    >>> check(os.devnull, "index.html", "the site")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ceasefire_stats.core.errors.OutputError: cannot write the site to .../null: it is a file, not a folder; ...
    """
    target = Path(out).absolute()
    if target.exists() and not target.is_dir():
        raise OutputError(f"cannot write {what} to {target}: it is a file, not a folder; give a new folder "
                          "(or one written by this command before); nothing was written")
    if target.is_dir() and any(target.iterdir()) and not (target / marker).is_file():
        raise OutputError(f"cannot write {what} to {target}: the folder holds other files (no {marker}) and "
                          "would be replaced whole; give a new or empty folder; nothing was written")
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {what} to {target}: {parent} is not a writable folder; choose "
                          "another folder; nothing was written")
    return target


@contextlib.contextmanager
def replace(target: Path) -> Iterator[Path]:
    """Yield an empty hidden folder beside ``target``; when the block succeeds, it becomes
    ``target`` (replacing the old folder whole); when it fails, it is removed and ``target``
    is untouched."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"cannot write to the folder {target.parent}: {exc.strerror or exc}; choose "
                          "another folder; nothing was written") from None
    try:
        yield staging
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes 0700: give the usual folder mode
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / target.name)
        try:
            os.replace(staging, target)
        except OSError:
            if old is not None:  # put the old folder back
                os.replace(old / target.name, target)
                shutil.rmtree(old, ignore_errors=True)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise OutputError(f"cannot write to the folder {target.parent}: {exc.strerror or exc}; "
                          f"{target} is unchanged") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
