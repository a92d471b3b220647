"""nbval settings for the notebooks: compare text outputs strictly, skip rich reprs.

pandas' HTML repr and matplotlib's SVG change between library versions, so only their
``text/plain`` twins are compared (kept stable by ``cs.plots.notebook_setup()``). PNG
images are skipped by nbval itself. Everything else, stderr included, must match.
"""


def pytest_collectstart(collector):
    if getattr(collector, "path", None) is not None and collector.path.suffix == ".ipynb":
        collector.skip_compare += ("text/html", "image/svg+xml", "application/vnd.jupyter.widget-view+json")


# the jupytext twins (notebooks/scripts/*.py) are text for review, never modules to import
collect_ignore_glob = ["scripts/*.py"]
