"""The rendered site (ceasefire_stats.reports.site): what it contains, and how it reads in a real browser.

The browser test serves the built site on 127.0.0.1 and opens it in Debian's headless
Chromium through Playwright's Python API (``executable_path``; Playwright's own browser
download does not work offline). Locally it skips when either is missing; under ``CI=true``
it fails instead, so CI cannot pass without having looked at the site.
Set ``CEASEFIRE_STATS_SITE_SCREENSHOTS=DIR`` to keep a screenshot of every notebook page.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import threading
import tomllib
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from ceasefire_stats import pipeline
from ceasefire_stats.core import fields, paths
from ceasefire_stats.core.errors import CeasefireStatsError
from ceasefire_stats.reports import site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = paths.checkout_root()
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) if ROOT else []


def _missing(reason: str) -> None:
    """Skip locally; fail in CI, where everything the test needs is installed by .ci/run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must have it: .ci/run installs chromium, the dev extra the rest)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if ROOT is None:
        pytest.skip("the site is rendered from a source checkout")
    for module in ("sphinx", "myst_nb"):
        if importlib.util.find_spec(module) is None:
            _missing(f"{module} is not installed: pip install -e '.[docs]'")
    index = site.render(tmp_path_factory.mktemp("site"))
    assert index.name == "index.html" and index.is_file()
    return index.parent


def _stored_outputs(notebook: Path) -> tuple[int, int]:
    """(HTML tables, PNG images) among the notebook's stored outputs."""
    tables = images = 0
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = data.get("text/html", "")
            tables += ("".join(html) if isinstance(html, list) else html).count("<table")
            images += "image/png" in data
    return tables, images


# --- what the site contains (no browser) -----------------------------------------------------

def test_render_without_sphinx_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sphinx" else real(name, *a))
    with pytest.raises(CeasefireStatsError, match=r"install the docs extra: pip install -e '\.\[docs\]'"):
        site.render()


def test_sources_page_lists_every_registry_entry_with_its_licence() -> None:
    page = site.sources_page()
    registry = tomllib.loads((paths.PACKAGE_DIR / "registry.toml").read_text(encoding="utf-8"))
    for name, entry in registry.items():
        assert f"## `{name}`" in page
        assert entry["sha256"] in page
        assert site.markdown_cell(entry["licence"]) in page


def test_tables_page_is_generated_from_the_field_definitions() -> None:
    page = site.tables_page()
    for table in pipeline.tables():
        assert f"## `{table}`" in page
    for field in fields.FIELDS.values():
        assert site.markdown_cell(field.description) in page


def test_tables_page_shows_the_dtypes_the_built_tables_have() -> None:
    import pandas as pd

    page = site.tables_page()
    built = [t for t in pipeline.tables() if (paths.processed_dir() / f"{t}.parquet").is_file()]
    if not built:
        _missing("no table is built: ceasefire-stats build")
    for table in built:
        section = page.split(f"## `{table}`\n", 1)[1].split("\n## ", 1)[0]
        for column, dtype in pd.read_parquet(paths.processed_dir() / f"{table}.parquet").dtypes.items():
            assert f"| `{column}` | `{dtype}` |" in section, (table, column, str(dtype))


def _tiny_stage(text: str):
    def stage(source: Path, root: Path | None = None) -> Path:
        source.mkdir(parents=True, exist_ok=True)
        (source / "index.md").write_text(text, encoding="utf-8")
        return source
    return stage


def test_a_failed_render_leaves_the_site_already_there_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from ceasefire_stats import cli

    out = tmp_path / "site"  # a site rendered before (its files stand in for the 155 of a real one)
    (out / "notebooks").mkdir(parents=True)
    (out / "index.html").write_text("<h1>A good site</h1>")
    (out / "notebooks" / "04_ceasefire_windows.html").write_text("<p>the results</p>")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(site, "stage", _tiny_stage("# A broken site\n\n[a link](no_such_page.md)\n"))
    assert cli.main(["render", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the site build failed" in err and "no_such_page" in err and f"{out} is unchanged" in err
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing left beside it


def test_render_to_a_file_or_a_foreign_folder_is_one_line_before_sphinx_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from ceasefire_stats import cli

    monkeypatch.setattr(site, "stage", lambda *a, **k: pytest.fail("staged the site before checking --out"))
    a_file = tmp_path / "site.html"
    a_file.write_text("mine")
    assert cli.main(["render", "--out", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "site.html: a file, not a folder" in err and a_file.read_text() == "mine"
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("mine")
    assert cli.main(["render", "--out", str(home)]) == 2
    assert "a folder holding other files, not an earlier render of the site" in capsys.readouterr().err
    assert [p.name for p in home.iterdir()] == ["thesis.tex"]


def test_render_writes_a_page_per_notebook_and_every_source(site_dir: Path) -> None:
    for notebook in NOTEBOOKS:
        assert (site_dir / "notebooks" / f"{notebook.stem}.html").is_file(), notebook.name
    sources = (site_dir / "reference" / "sources.html").read_text(encoding="utf-8")
    registry = tomllib.loads((paths.PACKAGE_DIR / "registry.toml").read_text(encoding="utf-8"))
    for name, entry in registry.items():
        anchor = "src-" + name.replace("_", "-")  # docutils normalises ids
        assert f'id="{anchor}"' in sources and entry["sha256"] in sources, name
    for page in ("reference/tables.html", "figures/index.html", "api/index.html", "api/ceasefire_stats.reports.site.html"):
        assert (site_dir / page).is_file(), page
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert (site_dir / "docs" / f"{doc.stem}.html").is_file(), doc.name


def test_the_findings_page_comes_first_and_links_each_answer_to_its_notebook(site_dir: Path) -> None:
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert index.index('href="findings.html"') < index.index('href="notebooks/README.html"')
    page = (site_dir / "findings.html").read_text(encoding="utf-8")
    from ceasefire_stats.reports import findings

    for title, where, _, _ in findings.BLOCKS:
        target = where.replace(".ipynb", ".html")
        assert f'href="{target}"' in page, title
        assert (site_dir / target.split("#")[0]).is_file()
        anchor = target.split("#")[1]
        assert f'id="{anchor}"' in (site_dir / target.split("#")[0]).read_text(encoding="utf-8"), target


# --- the site in a real browser ----------------------------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


#: every table and <pre> of the page's article that does not fit the page: content cut inside
#: its own box or a scrolling box around it, or a right edge past the article's
_OVERFLOW = """() => {
    const article = document.querySelector('article[role=main]') || document.querySelector('article');
    if (!article) return [];
    const right = article.getBoundingClientRect().right;
    const out = [];
    for (const el of article.querySelectorAll('table, pre')) {
        if (!el.getClientRects().length) continue;  // not displayed
        let cut = Math.max(0, el.scrollWidth - el.clientWidth);
        for (let box = el.parentElement; box && box !== article; box = box.parentElement) {
            if (getComputedStyle(box).overflowX !== 'visible') cut = Math.max(cut, box.scrollWidth - box.clientWidth);
        }
        const past = el.getBoundingClientRect().right - right;
        if (cut > 1 || past > 1) {
            out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40).replace(/\\s+/g, ' ')}": `
                     + `${Math.round(cut)} px cut, ${Math.round(Math.max(past, 0))} px past the column`);
        }
    }
    return out;
}"""

#: every image of the article that is not a link to an image file (its full size)
_IMAGES_NOT_LINKED = """() => Array.from(document.querySelectorAll('article img'))
    .filter(i => !(i.closest('a[href]') && /\\.(png|svg|jpe?g)$/i.test(i.closest('a[href]').getAttribute('href'))))
    .map(i => i.getAttribute('src'))"""

_IMAGES_NOT_LOADED = """async () => {
    const images = Array.from(document.images);
    await Promise.all(images.map(i => i.decode().catch(() => null)));
    return images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.currentSrc || i.src);
}"""


@pytest.mark.browser
@pytest.mark.network
def test_every_page_loads_in_chromium_readable_with_linked_images_and_notebook_tables(site_url: str) -> None:
    """Every page at a laptop's width (1280 px): loads without errors or requests elsewhere,
    every table and <pre> fits the main column (no cut, no sideways scrolling), every image
    loads and links to its full-size file, and notebook pages show their stored tables."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: pip install -e '.[dev]'")
    if not CHROMIUM.is_file():
        _missing(f"{CHROMIUM} is missing: apt-get install chromium (Debian's package)")
    origin = urlparse(site_url).netloc
    problems: list[str] = []
    external: list[str] = []
    shots = os.environ.get("CEASEFIRE_STATS_SITE_SCREENSHOTS")

    def route(r) -> None:  # the site is offline: nothing may be fetched from elsewhere
        if urlparse(r.request.url).netloc == origin:
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", route)
            page = context.new_page()
            current = [""]
            page.on("console", lambda m: problems.append(f"{current[0]}: console {m.type}: {m.text}")
                    if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"{current[0]}: page error: {e}"))

            queue, seen, files = [site_url + "index.html"], set(), set()
            while queue:
                url = queue.pop(0)
                if url in seen:
                    continue
                seen.add(url)
                current[0] = url.removeprefix(site_url)
                response = page.goto(url, wait_until="load")
                assert response is not None and response.status == 200, f"{current[0]}: HTTP {response and response.status}"
                broken = page.evaluate(_IMAGES_NOT_LOADED)
                problems += [f"{current[0]}: image not loaded: {src}" for src in broken]
                problems += [f"{current[0]}: {item}" for item in page.evaluate(_OVERFLOW)]
                problems += [f"{current[0]}: image not linked to its full size: {src}"
                             for src in page.evaluate(_IMAGES_NOT_LINKED)]
                for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                    target = urldefrag(href).url
                    if urlparse(target).netloc != origin:
                        continue
                    if target.endswith("/"):
                        target += "index.html"
                    if target.endswith(".html"):
                        queue.append(target)
                    else:
                        files.add(target)
                if current[0].startswith("notebooks/") and current[0] != "notebooks/README.html":
                    stem = Path(urlparse(url).path).stem
                    tables, images = _stored_outputs(ROOT / "notebooks" / f"{stem}.ipynb")
                    shown = page.locator(".cell_output table")
                    assert shown.count() >= tables, f"{stem}: {shown.count()} tables shown, {tables} stored"
                    if tables:
                        assert shown.first.is_visible(), f"{stem}: its first table is not visible"
                    assert page.locator(".cell_output img").count() >= images, f"{stem}: figures missing"
                    if shots:
                        Path(shots).mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(Path(shots) / f"{stem}.png"), full_page=False)
            for url in sorted(files):  # downloads and other files linked from the pages
                status = context.request.get(url).status
                if status != 200:
                    problems.append(f"link to {url.removeprefix(site_url)}: HTTP {status}")
        finally:
            browser.close()

    visited = {u.removeprefix(site_url) for u in seen}
    for notebook in NOTEBOOKS:
        assert f"notebooks/{notebook.stem}.html" in visited, f"no link reaches {notebook.name}"
    for page_name in ("reference/sources.html", "reference/tables.html", "figures/index.html", "api/index.html"):
        assert page_name in visited, f"no link reaches {page_name}"
    assert not external, f"the site fetched from outside 127.0.0.1: {sorted(set(external))[:5]}"
    assert not problems, "\n".join(problems)
