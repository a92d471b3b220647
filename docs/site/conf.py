"""Sphinx configuration of the reviewer's site (``ceasefire-stats render``).

Only configuration lives here: the pages are assembled in a temporary folder by
``ceasefire_stats.reports.site.stage`` (README, docs, notebooks, figures, and the generated sources,
tables and API pages). The build is offline: the theme is an installed package with its
assets bundled, nothing is fetched (no intersphinx, no widget or MathJax CDN scripts).
"""

from ceasefire_stats.core.version import __version__

project = "ceasefire-stats"
author = "ceasefire-stats contributors"
copyright = "ceasefire-stats contributors; data: see Sources and licences"
version = release = __version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
]

# notebooks are shown with the outputs committed in them, never re-executed
nb_execution_mode = "off"
nb_ipywidgets_js = {}  # no widget scripts from a CDN
nb_merge_streams = True
# the tables offered for download are an export (CSV, dictionary, datapackage.json, its README), not pages
exclude_patterns = ["reference/tables/**"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autosummary_generate = False
napoleon_google_docstring = True
napoleon_numpy_docstring = True

html_theme = "furo"
html_title = f"ceasefire-stats {version}"
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_static_path = ["_static"]  # relative to this folder
html_css_files = ["site.css"]
html_scaled_image_link = True  # an image given a size links to its full-size file (see setup)

# quotes in the tables and docstrings are literal values ('ru_to_ua'): keep them straight
smartquotes = False


def _link_images_to_full_size(app, doctree, docname):
    """Every image links to its full-size file: Sphinx wraps an image given a size in a link
    to the image (``html_scaled_image_link``); a width of 100% gives each one a size (the
    CSS shows it at its natural size, at most the column's width)."""
    from docutils import nodes

    for image in doctree.findall(nodes.image):
        if not isinstance(image.parent, nodes.reference) and not any(k in image for k in ("width", "height", "scale")):
            image["width"] = "100%"


def setup(app):
    app.connect("doctree-resolved", _link_images_to_full_size)
