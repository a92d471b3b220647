"""The ``ceasefire-stats`` command line. The only place that turns errors into exit codes:
0 success, 2 a problem with the input or the data (one line on stderr, no traceback; a usage
error too). Arguments are checked before any work starts: numbers that cannot work
(``--workers 0``) when they are parsed, output paths (``--out``) before anything is computed.

Each command imports what it needs when it runs (pandas too): ``ceasefire-stats build`` with
every table current answers in a fraction of a second.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ceasefire_stats.core.errors import CeasefireStatsError
from ceasefire_stats.core.version import __version__

if TYPE_CHECKING:
    import pandas as pd


class _Parser(argparse.ArgumentParser):
    """argparse with a usage error on one line, like every other error of the command line (the
    full usage is one ``--help`` away)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} (see `{self.prog} --help`)\n")


def _whole(minimum: int, words: str):
    """An argparse type: a whole number of at least ``minimum`` (``words`` says so in the error)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"takes {words}, not {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"takes {words}, not {value}")
        return value
    return parse


_positive_int = _whole(1, "a positive whole number")
"""``--workers``, ``--partition-rows``: 0 workers would wait for ever for one."""
_count = _whole(0, "a whole number, 0 or more")
"""``--rows``."""


def _print_table(frame: pd.DataFrame) -> None:
    import pandas as pd

    with pd.option_context("display.width", 120, "display.max_columns", 20, "display.max_colwidth", 60):
        print(frame.to_string(index=False))


def _cmd_fetch(args: argparse.Namespace) -> int:
    from ceasefire_stats.core.sources import fetch

    result = fetch(args.names or None, mirror=args.mirror, progress=sys.stderr.isatty())
    _print_table(result[["name", "path", "action", "sha256"]])
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    from ceasefire_stats.core.sources import status

    _print_table(status()[["name", "file", "coverage_start", "coverage_end", "present", "verified"]])
    return 0


def _versions(pairs: Sequence[str] | None) -> dict[str, str]:
    """``["SOURCE=LABEL", ...]`` -> ``{source: label}``; a malformed pair is an input error."""
    from ceasefire_stats.versions.registry import VersionError

    out: dict[str, str] = {}
    for pair in pairs or ():
        source, sep, label = pair.partition("=")
        if not sep or not source.strip() or not label.strip():
            raise VersionError(f"--version takes SOURCE=LABEL (e.g. airforce_strikes=2026-04-04), not {pair!r}")
        if source.strip() in out:
            raise VersionError(f"--version names {source.strip()} twice")
        out[source.strip()] = label.strip()
    return out


def _cmd_build(args: argparse.Namespace) -> int:
    from ceasefire_stats.pipeline import EngineError, build

    if args.engine != "dask" and (args.scheduler or args.workers or args.partition_rows):
        raise EngineError("--scheduler, --workers and --partition-rows go with --engine dask")
    if args.workers is not None and args.scheduler:
        raise EngineError("--workers sets the size of a local cluster; a scheduler given with --scheduler has the "
                          "workers started for it (`dask worker ADDRESS`): leave out one of the two")
    if args.scheduler_timeout is not None and not args.scheduler:
        raise EngineError("--scheduler-timeout goes with --scheduler (a local cluster is started, not reached)")
    if args.scheduler_timeout is not None and not 0 < args.scheduler_timeout < float("inf"):
        raise EngineError(f"--scheduler-timeout takes a positive number of seconds, not {args.scheduler_timeout:g}")

    if args.mirror:
        import os

        os.environ["CEASEFIRE_STATS_MIRROR"] = os.path.abspath(args.mirror)
    versions = _versions(args.version)
    entries = build(args.steps or None, force=args.force, versions=versions, engine=args.engine,
                    scheduler=args.scheduler, workers=args.workers, partition_rows=args.partition_rows,
                    scheduler_timeout=args.scheduler_timeout)
    for source, label in versions.items():
        print(f"{source}: version {label}")
    if not entries:
        print("every selected table is up to date (use --force to rebuild)")
    if entries:
        import pandas as pd
    for step, entry in entries.items():
        print(f"[{step}] tables: " + ", ".join(f"{t}={n}" for t, n in entry["tables"].items()))
        ledgers = pd.DataFrame(entry["ledgers"])
        if len(ledgers):
            _print_table(ledgers.fillna(0))
    return 0


def _cmd_add(args: argparse.Namespace) -> int:
    from ceasefire_stats.versions.forms import inspect
    from ceasefire_stats.versions.registry import check_date, check_label, register, versions_file

    if args.label is not None:  # before the file is read
        check_label(args.label)
    if args.date is not None:
        check_date(args.date)
    inspection = inspect(args.source, args.file)
    version, action = register(args.source, args.file, inspection, label=args.label, added=args.date)
    verb = {"added": "added", "present": "already registered (same bytes): nothing to do",
            "restored": "already registered (same bytes): raw copy restored"}[action]
    print(f"{version.source} {version.label}: {verb}")
    print(f"  sha256 {version.sha256}  {version.size_bytes} bytes  {version.form}, {version.schema}")
    print(f"  data {version.coverage_start} .. {version.coverage_end}; registry {versions_file().name}; "
          f"build with --version {version.source}={version.label}")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from ceasefire_stats.core.files import check_output_file
    from ceasefire_stats.versions.diff import diff

    if args.out:  # before the diff is computed
        check_output_file(args.out)
    result = diff(args.source, args.old, args.new)
    print(result.headline())
    _print_table(result.summary)
    if len(result.rows):
        print()
        _print_table(result.rows.head(args.rows)[result.SHOWN])
        if len(result.rows) > args.rows:
            print(f"... {len(result.rows) - args.rows} more rows (--rows N, or --out FILE.csv for all)")
    if args.out:
        from ceasefire_stats.core.files import atomic_write

        with atomic_write(args.out) as tmp:
            result.rows.to_csv(tmp, index=False)
        print(f"wrote {len(result.rows)} rows to {args.out}")
    return 0


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from ceasefire_stats.reports.notebooks import execute_all

    for path in execute_all(args.paths or None):
        print(f"executed {path.name}")
    return 0


def _cmd_figures(args: argparse.Namespace) -> int:
    from ceasefire_stats.reports.figures import write_all

    for path in write_all(args.names or None):
        print(path)
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    import os

    from ceasefire_stats.core.errors import OutputError
    from ceasefire_stats.core.files import check_output_folder
    from ceasefire_stats.reports.site import render

    if args.out:  # before Sphinx starts
        out = check_output_folder(args.out)
        # a folder of other files (the checkout, a home folder) is not the site's to fill or replace
        if out.is_dir() and any(out.iterdir()) and not any((out / n).is_file() for n in (".buildinfo", "index.html")):
            raise OutputError(f"--out {out}: a folder holding other files, not an earlier render of the site; "
                              "give a new or empty folder, or the folder of an earlier render")
    index = render(args.out)
    try:
        relative = os.path.relpath(index)
    except ValueError:  # another drive (Windows)
        relative = os.pardir
    print(index if relative.startswith(os.pardir) else relative)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from ceasefire_stats.reports.export import export

    folder = export(args.tables or None, args.format, args.out)
    written = sorted(p.name for p in folder.glob(f"*.{args.format}") if p.name not in ("data_dictionary.csv",
                                                                                      "sources.csv"))
    print(f"{args.out}: {', '.join(written)}, with data_dictionary.csv, sources.csv, README.md and datapackage.json")
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from ceasefire_stats.reports.summary import summary

    print(summary())
    return 0


def _cmd_claims_propose(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ceasefire_stats.clean.claim_proposals import draft
    from ceasefire_stats.core.errors import InputError

    path = Path(args.article)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the article ({exc.strerror}); give a UTF-8 text file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: byte {exc.start} is not UTF-8; save the article as UTF-8 text") from None
    try:
        out = draft(text, published=args.published, title=args.title, doc_id=args.id or path.stem)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None
    sys.stdout.write(out)
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    top = _Parser(
        prog="ceasefire-stats",
        description="Fetch, verify and build tidy tables of strike reports and interception claims.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("fetch", help="download (or import from a mirror) every registered raw file, verifying sha256")
    p.add_argument("names", nargs="*", help="registry names (default: all)")
    p.add_argument("--mirror", metavar="DIR", help="import from a local folder laid out like shared/data "
                   "(default: $CEASEFIRE_STATS_MIRROR; without either, download)")
    p.set_defaults(func=_cmd_fetch)

    p = sub.add_parser("status", help="list registered raw files and whether each is present and verified")
    p.set_defaults(func=_cmd_status)

    p = sub.add_parser("build", help="build validated tables into the processed folder and print the row ledger")
    p.add_argument("steps", nargs="*", help="steps or table names (default: all)")
    p.add_argument("--mirror", metavar="DIR", help="fetch missing raw files from this mirror")
    p.add_argument("--force", action="store_true", help="rebuild the selected steps even when they are up to date")
    p.add_argument("--version", action="append", metavar="SOURCE=LABEL",
                   help="build from a registered version of a source instead of its pinned file (repeatable)")
    p.add_argument("--engine", choices=("pandas", "dask"), default="pandas",
                   help="pandas (default), or dask: the Air Force and MoD steps over Parquet partitions on a dask cluster "
                   "(extra ceasefire-stats[dask]); same tables, byte for byte")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: the dask.distributed scheduler "
                   "to use (tcp://host:8786; default: a local cluster)")
    p.add_argument("--scheduler-timeout", type=float, metavar="SECONDS", help="with --scheduler: how long to "
                   "wait for the scheduler to answer before giving up (default 15)")
    p.add_argument("--workers", type=_positive_int, metavar="N", help="with --engine dask and no --scheduler: worker "
                   "processes of the local cluster (default: one per core)")
    p.add_argument("--partition-rows", type=_positive_int, metavar="N", help="with --engine dask: raw rows per partition "
                   "(default 20000)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("summary", help="tables with row counts, figures, notebooks and the site, on one screen")
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("add", help="register a file you obtained (a newer Kaggle download, a Telegram Desktop "
                       "export) as a version of a source: check its schema, record its sha256, copy it")
    p.add_argument("source", help="registry name: airforce_strikes or mod_posts")
    p.add_argument("file", help="the file (CSV, or result.json of a Telegram Desktop export for mod_posts)")
    p.add_argument("--label", help="the version's label (default: the last date of its data)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the date recorded as added (default: the last date of "
                   "its data, so the registry is the same on every machine)")
    p.set_defaults(func=_cmd_add)

    p = sub.add_parser("diff", help="row-level differences between two versions of a source (added, removed, "
                       "revised rows, matched by a natural key), with a summary by field and month")
    p.add_argument("source", help="registry name (airforce_strikes)")
    p.add_argument("old", help="label of the older version ('pinned' is the registry's file)")
    p.add_argument("new", help="label of the newer version")
    p.add_argument("--rows", type=_count, default=20, help="rows of the table to print (default 20)")
    p.add_argument("--out", metavar="FILE.csv", help="write every row of the diff to this CSV file")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser("notebooks", help="execute the notebooks in place, top to bottom")
    p.add_argument("paths", nargs="*", help="notebook files (default: all in notebooks/)")
    p.set_defaults(func=_cmd_notebooks)

    p = sub.add_parser("figures", help="draw every chart from the library (no notebooks) and save it as SVG "
                       "and PNG in the figures folder ($CEASEFIRE_STATS_FIGURES), byte-stable")
    p.add_argument("names", nargs="*", help="figure names (default: all of reports.figures.FIGURES)")
    p.set_defaults(func=_cmd_figures)

    p = sub.add_parser("claims", help="curating claims: propose a draft claims file from an article")
    claims_sub = p.add_subparsers(dest="claims_command", required=True, metavar="ACTION")
    q = claims_sub.add_parser("propose", help="write to stdout a draft claims file (the ledger's format) of the "
                              "numeric claims found in an English article, each marked PROPOSAL for a curator")
    q.add_argument("article", help="the article as a UTF-8 text file")
    q.add_argument("--published", metavar="WHEN", help="publication: 2025-04-21, 2025-04-21T10:05:00+03:00, or "
                   "'2025-04-21 10:05' when the zone is unknown (default: the first date printed in the text)")
    q.add_argument("--title", help="the source's title (default: the article's first line)")
    q.add_argument("--id", help="prefix of the claim ids (default: the file name)")
    q.set_defaults(func=_cmd_claims_propose)

    p = sub.add_parser("export", help="write tables as CSV, Parquet or Excel with a data dictionary, the "
                       "licence and credit of their sources and a Frictionless datapackage.json")
    p.add_argument("tables", nargs="*", metavar="TABLE", help="table names (default: every table)")
    p.add_argument("--format", choices=("csv", "parquet", "xlsx"), default="csv", help="file format (default csv)")
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write (new, empty, or an earlier "
                   "export, which is replaced whole)")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("render", help="render the static HTML site (README, notebooks with their stored "
                       "outputs, docs, figures, sources, tables, API) and print the path of its index.html")
    p.add_argument("--out", metavar="DIR", help="output folder (default: build/site of the checkout)")
    p.set_defaults(func=_cmd_render)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version (0); a usage error (2, one line on stderr)
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    from ceasefire_stats.core.paths import absolutize_environment

    # relative folders in the environment mean "relative to where the command was typed",
    # also for the notebook kernels it starts in notebooks/
    absolutize_environment()
    try:
        return int(args.func(args))
    except CeasefireStatsError as exc:
        print(f"ceasefire-stats: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ceasefire-stats: interrupted; outputs are unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
