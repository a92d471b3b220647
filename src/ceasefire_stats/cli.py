"""The ``ceasefire-stats`` command line. The only place that turns errors into exit codes:
0 success, 2 a problem with the input or the data (message on stderr, no traceback)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from ceasefire_stats.core.errors import CeasefireStatsError
from ceasefire_stats.core.version import __version__


def _print_table(frame: pd.DataFrame) -> None:
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


def _cmd_build(args: argparse.Namespace) -> int:
    from ceasefire_stats.pipeline import build

    if args.mirror:
        import os

        os.environ["CEASEFIRE_STATS_MIRROR"] = os.path.abspath(args.mirror)
    entries = build(args.steps or None, force=args.force)
    if not entries:
        print("every selected table is up to date (use --force to rebuild)")
    for step, entry in entries.items():
        print(f"[{step}] tables: " + ", ".join(f"{t}={n}" for t, n in entry["tables"].items()))
        ledgers = pd.DataFrame(entry["ledgers"])
        if len(ledgers):
            _print_table(ledgers.fillna(0))
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

    from ceasefire_stats.reports.site import render

    index = render(args.out)
    try:
        relative = os.path.relpath(index)
    except ValueError:  # another drive (Windows)
        relative = os.pardir
    print(index if relative.startswith(os.pardir) else relative)
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from ceasefire_stats.reports.summary import summary

    print(summary())
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    top = argparse.ArgumentParser(
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
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("summary", help="tables with row counts, figures, notebooks and the site, on one screen")
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("notebooks", help="execute the notebooks in place, top to bottom")
    p.add_argument("paths", nargs="*", help="notebook files (default: all in notebooks/)")
    p.set_defaults(func=_cmd_notebooks)

    p = sub.add_parser("figures", help="draw every chart from the library (no notebooks) and save it as SVG "
                       "and PNG in the figures folder ($CEASEFIRE_STATS_FIGURES), byte-stable")
    p.add_argument("names", nargs="*", help="figure names (default: all of reports.figures.FIGURES)")
    p.set_defaults(func=_cmd_figures)

    p = sub.add_parser("render", help="render the static HTML site (README, notebooks with their stored "
                       "outputs, docs, figures, sources, tables, API) and print the path of its index.html")
    p.add_argument("--out", metavar="DIR", help="output folder (default: build/site of the checkout)")
    p.set_defaults(func=_cmd_render)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
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
