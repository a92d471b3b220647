"""The public names of source versions in one place (``from ceasefire_stats.versions.api
import diff, inspect, register``): the registry (:mod:`~ceasefire_stats.versions.registry`),
the check of a candidate file (:mod:`~ceasefire_stats.versions.forms`) and the diff of two
versions (:mod:`~ceasefire_stats.versions.diff`). Importing it loads pandas; the pipeline
imports the registry alone."""

from __future__ import annotations

from ceasefire_stats.versions.diff import (
    SourceDiff,
    analysed_dates,
    daily_changes,
    diff,
    diff_tables,
    version_tables,
)
from ceasefire_stats.versions.forms import INSPECTORS, inspect
from ceasefire_stats.versions.registry import (
    PINNED,
    Inspection,
    Version,
    VersionError,
    describe,
    get_version,
    labels,
    read_versions,
    register,
    require,
    table,
    versions_file,
)

__all__ = [
    "INSPECTORS",
    "PINNED",
    "Inspection",
    "SourceDiff",
    "Version",
    "VersionError",
    "analysed_dates",
    "daily_changes",
    "describe",
    "diff",
    "diff_tables",
    "get_version",
    "inspect",
    "labels",
    "read_versions",
    "register",
    "require",
    "table",
    "version_tables",
    "versions_file",
]
