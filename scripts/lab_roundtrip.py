"""Open a notebook in JupyterLab (headless Chromium) and save it unedited: does Lab mark it
modified, and does saving change the file? (The check behind
tests/reports/test_notebooks.py::test_notebooks_declare_the_kernel_make_lab_registers_with_the_metadata_lab_writes.)

    python scripts/lab_roundtrip.py notebooks/05_reference_its.ipynb

Works on a copy in a temporary folder; prints whether the tab was marked modified after the
kernel started, the kernel Lab chose, and the diff the save made (none is the goal). Needs the
dev extra (jupyterlab, playwright), Debian's /usr/bin/chromium, and the project's kernel
registered (`make lab` does it).
"""

from __future__ import annotations

import difflib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(notebook: str) -> int:
    source = Path(notebook)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "nb" / source.name
        copy.parent.mkdir()
        shutil.copy2(source, copy)
        before = copy.read_text(encoding="utf-8")
        port = free_port()
        jupyter = Path(sys.executable).with_name("jupyter")
        lab = subprocess.Popen(
            [str(jupyter), "lab", "--no-browser", f"--port={port}", "--allow-root", f"--notebook-dir={copy.parent}",
             "--ServerApp.token=t", "--LabApp.news_url=", f"--LabApp.workspaces_dir={tmp}",
             "--LabServerApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(60):
                try:
                    socket.create_connection(("127.0.0.1", port), 1).close()
                    break
                except OSError:
                    time.sleep(1)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{copy.name}?token=t", timeout=120_000)
                page.wait_for_selector(".jp-Notebook", timeout=120_000)
                page.wait_for_selector(".jp-KernelName", timeout=60_000)
                time.sleep(10)  # the kernel starts and reports its language_info
                dirty = page.locator(".lm-TabBar-tab.jp-mod-dirty").count()
                kernel = page.locator(".jp-KernelName").first.text_content()
                page.locator(".jp-Notebook").first.click()
                page.keyboard.press("Control+s")
                time.sleep(3)
                browser.close()
        finally:
            lab.terminate()
            lab.wait(20)
        after = copy.read_text(encoding="utf-8")
    print(f"{source.name}: marked modified after opening: {'yes' if dirty else 'no'}; kernel: {kernel}")
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), "stored", "saved by Lab", lineterm=""))
    print("\n".join(diff) if diff else "saving unedited changed nothing")
    return 1 if dirty or diff else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
