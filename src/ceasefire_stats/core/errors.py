"""Exceptions raised by ceasefire-stats.

Library code raises these; only :mod:`ceasefire_stats.cli` turns them into exit codes
(every :class:`CeasefireStatsError` exits with status 2 and its message, no traceback).
"""

from __future__ import annotations


class CeasefireStatsError(Exception):
    """Base class: a problem the user can fix (bad input, missing data), not a bug."""

    exit_code = 2


class RegistryError(CeasefireStatsError):
    """The raw-data registry file is malformed or names an unknown source."""


class ChecksumError(CeasefireStatsError):
    """A raw file's sha256 differs from the registry; nothing was written."""

    def __init__(self, name: str, path: str, expected: str, actual: str, origin: str):
        self.name, self.path, self.expected, self.actual = name, path, expected, actual
        super().__init__(
            f"sha256 mismatch for {name} ({path}) from {origin}:\n"
            f"  expected {expected}\n"
            f"  actual   {actual}\n"
            "The file was refused and nothing was written to the raw-data folder."
        )


class SourceUnavailableError(CeasefireStatsError):
    """A raw file could not be obtained (no network, or missing from the mirror)."""


class InputError(CeasefireStatsError):
    """A raw or curated input file is malformed: the message names file, row and column."""


class ValidationError(CeasefireStatsError):
    """A built table failed its schema: the message names table, column, values and row ids."""


class OutputError(CeasefireStatsError):
    """An output could not be written (read-only or missing folder, a file where a folder
    belongs, a full disk): the message names the folder and says what to do."""
