"""Regenerate docs/chart.png, the README's picture of the HTML org chart.

Exports the bundled data with ``orgroles export --format html``, opens it in headless Chromium
(Playwright driving Debian's chromium) and takes a screenshot of the first view. The hash of
the exported page goes to docs/chart.png.sha256, so tests/test_chart.py can tell when the
picture no longer shows what the export writes. Run: python bench/chart_screenshot.py
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orgroles.bundled import bundled_data_path  # noqa: E402
from orgroles.exports import export  # noqa: E402
from orgroles.index import build_index  # noqa: E402
from orgroles.load import load_org  # noqa: E402

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chart_html() -> str:
    """The bundled data's chart, in bokmål, as ``export --format html`` writes it."""
    return export(build_index(load_org(bundled_data_path())), "html", "nb")


def main() -> None:
    from playwright.sync_api import sync_playwright

    page_text = chart_html()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "chart.html"
        path.write_text(page_text, encoding="utf-8")
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1560, "height": 820})
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]")
        page.screenshot(path=str(ROOT / "docs" / "chart.png"))
        browser.close()
    digest = hashlib.sha256(page_text.encode("utf-8")).hexdigest()
    (ROOT / "docs" / "chart.png.sha256").write_text(digest + "\n", encoding="utf-8")
    print("wrote docs/chart.png")


if __name__ == "__main__":
    main()
