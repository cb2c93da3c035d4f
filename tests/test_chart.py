"""The HTML org chart (``export --format html``), opened in a real headless Chromium.

Playwright drives Debian's ``chromium`` (its own browser download is not reachable from the
project machine). Without a browser the tests are skipped, except in CI (``ORGROLES_CI=1``),
where that is a failure.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orgroles.errors import OrgrolesError
from orgroles.exports import export
from orgroles.exports.html import chart_data
from orgroles.index import OrgIndex, build_index
from orgroles.load import load_org
from orgroles.names import fold, words
from tests.conftest import FIXTURES, ROOT, Invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sys.path.insert(0, str(ROOT / "bench"))
try:
    from chart_screenshot import ARGS  # Chromium's flags for this machine, defined once
finally:
    sys.path.pop(0)
OPEN_LIMIT_S = 20.0  # docs/exports.md: 100,000 posts open in a few seconds; fail far above


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None  # type: ignore[assignment]
    if CHROMIUM is None or sync_playwright is None:
        if os.environ.get("ORGROLES_CI"):
            pytest.fail("CI needs chromium and playwright for the chart tests")
        pytest.skip("no chromium or playwright here")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def open_chart(browser: Any, path: Path) -> Any:
    """Open a chart file; any script error fails the test."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.errors = errors
    return page


@pytest.fixture(scope="module")
def bundled_chart(tmp_path_factory: pytest.TempPathFactory, ix: OrgIndex) -> Path:
    path = tmp_path_factory.mktemp("chart") / "chart.html"
    path.write_text(export(ix, "html", "nb"), encoding="utf-8")
    return path


@pytest.fixture
def page(browser: Any, bundled_chart: Path) -> Iterator[Any]:
    opened = open_chart(browser, bundled_chart)
    yield opened
    assert opened.errors == []
    opened.close()


def card_names(page: Any, selector: str) -> list[str]:
    return [n.strip() for n in page.locator(selector).all_inner_texts()]


def test_the_top_card_and_its_children(page: Any) -> None:
    assert card_names(page, "#tree > li > .card .name") == ["rådmann"]
    children = card_names(page, "#tree > li > ul > li > .card .name")
    assert children == ["direktører", "kommunalsjefer"]
    assert page.locator("#tree").get_attribute("role") == "tree"
    top = page.locator("#tree > li").first
    assert (top.get_attribute("role"), top.get_attribute("aria-level")) == ("treeitem", "1")
    assert top.get_attribute("aria-expanded") == "true"
    classes = page.locator('li[data-id="tjenesteleder"] > .card .count').inner_text()
    assert classes == ", ca. 200"  # a class with its count, as the CLI writes it
    assert "open-line" in (page.locator('li[data-id="tjenesteleder"]').get_attribute("class") or "")


def test_expand_and_collapse(page: Any) -> None:
    directors = page.locator('li[data-id="direktor"]').first
    assert directors.locator("> ul > li").count() == 5  # 4 directors and the enhetssjefer
    directors.locator("> .card .toggle").click()
    directors = page.locator('li[data-id="direktor"]').first
    assert directors.get_attribute("aria-expanded") == "false"
    assert directors.locator("> ul").count() == 0
    directors.locator("> .card .toggle").click()
    assert page.locator('li[data-id="direktor"]').first.locator("> ul > li").count() == 5
    page.click("#collapse")
    assert page.locator('li[role="treeitem"]').count() == 1
    page.click("#expand")
    assert page.locator('li[role="treeitem"]').count() == len(
        page.evaluate("JSON.parse(document.getElementById('orgroles-data').textContent).rows")
    )


def test_keyboard_moves_through_the_tree(page: Any) -> None:
    page.locator("#tree > li").first.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.id") == "direktor"
    page.keyboard.press("ArrowLeft")  # collapse
    assert page.locator('li[data-id="direktor"]').first.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowRight")  # expand
    page.keyboard.press("ArrowRight")  # to the first child
    assert page.evaluate("document.activeElement.dataset.id") == "direktor_stab"
    page.keyboard.press("Enter")
    assert page.locator("#details").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("#details").is_hidden()
    page.locator('li[data-id="direktor_hr"] > .card').click()  # a click, then Escape
    assert page.locator("#details").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("#details").is_hidden()


@pytest.mark.parametrize(
    ("typed", "card"),
    [("enhetsledere", "enhetssjef"), ("HR director", "direktor_hr"), ("radmannen", "radmann")],
)
def test_search_opens_the_path_to_a_hit(page: Any, typed: str, card: str) -> None:
    page.click("#collapse")
    page.fill("#search", typed)
    page.keyboard.press("Enter")
    page.wait_for_selector(".card.hit")
    assert page.evaluate("document.activeElement.dataset.id") == card
    assert page.locator(f'li[data-id="{card}"]').first.is_visible()


def test_details_are_what_show_prints(page: Any) -> None:
    page.locator('li[data-id="kommunalsjef"] > .card').first.click()
    details = page.locator("#details")
    assert details.is_visible()
    row = details.locator("tr", has_text="budsjettansvar").first.inner_text()
    assert "S13" in row
    page.locator("#details .close").click()
    page.locator('li[data-id="direktor_hr"] > .card').click()
    text = details.inner_text()
    assert "direktør – HR" in text and "Fra rollen" in text and "arbeidsgiveransvar" in text


def test_a_posts_details_name_its_superior_as_show_does(page: Any, invoke: Invoke) -> None:
    """A post's card may sit under a group of posts ("kommunalsjefer"): its details name
    its superior as `show` does, and leave out whom its role's posts have reporting (an
    attack found the group and the role's reports there)."""
    shown = invoke("show", "kommunalsjef_kultur").stdout
    superior_line = next(line for line in shown.splitlines() if "Overordnet" in line)
    page.click("#expand")
    page.locator('li[data-id="kommunalsjef_kultur"] > .card').first.click()
    details = page.locator("#details")
    row = details.locator("tr", has_text="Overordnet").first.inner_text()
    assert row.split("\t")[1].split("  ")[0] in superior_line and "rådmann" in row
    assert "Rapporterer hit" not in details.inner_text()


def test_the_language_switch(page: Any) -> None:
    page.click("#lang")
    assert card_names(page, "#tree > li > .card .name") == ["chief municipal executive"]
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator('li[data-id="tjenesteleder"] > .card .count').inner_text() == ", about 200"
    page.click("#lang")
    assert card_names(page, "#tree > li > .card .name") == ["rådmann"]


def test_the_page_resolves_names_as_the_cli_does(page: Any, ix: OrgIndex) -> None:
    """Every indexed name, and inflections the data does not list, name the same ids in the
    page as in orgroles.names (exactly or through a regular ending)."""
    names = ix.names
    typed = [*names.keys, "enhetsledere", "Rådmannen", "RAADMANNEN", "direktørene", "økonomi"]
    typed += ["kommunalsjefene", "HR director", "tjenestelederne", "Straße", "e\u0301nhet"]
    typed += ["Łukasiewicz", "Zoë", "ﬁnans", "Ðóra", "Ærøskøbing", "ＨＲ", "İstanbul", "þing"]
    typed += ["Διευθυντής Πωλήσεως", "ΣΟΦΟΣ", "ᾳ", "ᾼ", "α\u0345"]  # where casefold differs
    in_page = page.evaluate("names => names.map(n => window.orgrolesResolve(n))", typed)
    folded = page.evaluate("names => names.map(n => window.orgrolesFold(n))", typed)
    for name, got, key in zip(typed, in_page, folded, strict=True):
        assert key == fold(name), name
        expected = names.keys.get(key) or names._by_stem(key)  # the page has no word search
        if len(expected) == 2:
            role, post = sorted(expected, key=lambda i: i not in names.sole_post)
            if names.sole_post.get(role) == post:
                expected = {post}
        assert got == sorted(expected), name


def test_the_page_folds_every_letter_whose_casefold_is_not_its_lower_case_as_the_cli(
    page: Any,
) -> None:
    """Python's casefold differs from JavaScript's toLowerCase for about 300 characters
    (Cherokee folds to capitals, ligatures, Greek with iota subscript …): the page folds
    each alone and inside a word as orgroles.names.fold does."""
    odd = [
        chr(c)
        for c in range(0x110000)
        if not 0xD800 <= c < 0xE000 and chr(c).casefold() != chr(c).lower()
    ]
    typed = [*odd, *(f"a{ch}b" for ch in odd), "ᏣᎳᎩ", "ꮳꮃꭹ", "ǿkonomi", "Ǽ", "øko\u00adnomi"]
    typed += [f"a{chr(c)}b" for c in (0x034F, 0x115F, 0x180E, 0x200D, 0x2061, 0x3164, 0xFFA0)]
    typed += ["a\U000e0041b", "a\ufe0fb", "a\U0001d173b"]  # tags, selectors, music
    typed += ["\u037a", "a\u037ab", "é\x1cb", "é\x1fb", "é\x85b", "ᾼ", "ᾳ"]  # found by attacks
    folded = page.evaluate("names => names.map(n => window.orgrolesFold(n))", typed)
    wrong = [(t, got, fold(t)) for t, got in zip(typed, folded, strict=True) if got != fold(t)]
    assert wrong == []


def test_the_page_splits_words_as_the_cli_does(page: Any, ix: OrgIndex) -> None:
    """The page's word search splits and folds a text as orgroles.names.words, in any
    Unicode form (an attack found decomposed text split into two words)."""
    texts = [text for text, _ in ix.names.name_source(None) if text]
    texts += ["Ha\u030agensen", "IKT-strategi", "a _ b", "\u0939\u093f\u0902\u0926\u0940 x"]
    texts += ["\u304b\u3099\u305f", "e\u0301\u0304nhet", " \u0301 ", "ＨＲ-direktør"]
    texts += ["ⓐⓑ-ⓒ", "㈱ Firma", "½ stilling", "ﬁnans²", "㍿"]  # compatibility forms (NFKC)
    texts += ["øko\u00adnomi", "ØKO\u3164NOMI x\u200dy", "ǿkonomi ǽ", "\u200b"]  # invisibles
    in_page = page.evaluate("texts => texts.map(t => window.orgrolesWords(t))", texts)
    for text, got in zip(texts, in_page, strict=True):
        assert got == words(text), text


def test_nothing_from_the_data_runs(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "xss.html"
    path.write_text(export(build_index(load_org(FIXTURES / "xss.yaml")), "html"), "utf-8")
    page = open_chart(browser, path)
    page.click("#expand")
    page.locator('li[data-id="topp"] > .card').click()
    page.click("#lang")
    page.fill("#search", "script")
    page.keyboard.press("Enter")
    assert page.evaluate("window.__pwned") is None  # the canary: no name ran
    assert page.locator("script").count() == 2  # the data and the page's own code
    assert page.locator("img, iframe, svg, a").count() == 0
    text = page.locator("body").inner_text()
    assert '"><svg onload="window.__pwned=5">' in text or "'; window.__pwned=6; '" in text
    assert page.errors == []
    page.close()


def test_the_policy_allows_only_the_pages_own_code(bundled_chart: Path) -> None:
    html = bundled_chart.read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    assert "default-src 'none'" in policy.group(1) and "connect-src 'none'" in policy.group(1)
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+';", policy.group(1))
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_holders_and_vacancies_show(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "people.html"
    path.write_text(export(build_index(load_org(FIXTURES / "people.yaml")), "html"), "utf-8")
    page = open_chart(browser, path)
    assert page.locator('li[data-id="it"] > .card .people').inner_text() == (
        "Per Olsen (fra 2019-03-01, til 2025-06-30); ledig"
    )
    page.fill("#search", "Siri Berg")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.id") == "assistant"
    page.close()


def test_the_cli_writes_the_chart(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "chart.html"
    result = invoke("export", "--format", "html", "-o", str(target), "--lang", "en")
    assert (result.exit_code, result.stdout) == (0, "")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text


def test_chart_data_follows_the_tree(ix: OrgIndex) -> None:
    from orgroles.queries.line import line_tree

    data = chart_data(ix)
    assert [r[1] for r in data["rows"]] == [r.id for r in line_tree(ix).rows]
    assert data["rows"][0][:5] == [-1, "radmann", "role", "rådmann", "chief municipal executive"]


@pytest.mark.parametrize("batch", [1, 2, 7, 1000])
def test_the_page_data_written_piece_by_piece_is_the_whole_json(
    ix: OrgIndex, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's data is written as a stream (``chart_json``, items and pairs encoded in
    batches): the same text as the whole, whatever the batch."""
    import json

    from orgroles.exports import html

    monkeypatch.setattr(html, "BATCH", batch)
    pieces = list(html.chart_json(ix))
    assert len(pieces) > (100 if batch < 1000 else 20)  # (written in pieces, not whole)
    whole = json.dumps(chart_data(ix), ensure_ascii=False, separators=(",", ":"))
    assert "".join(pieces) == whole


@pytest.mark.skipif(sys.platform != "linux", reason="measured on the project machine")
def test_a_100000_post_chart_opens_within_the_stated_time(
    browser: Any, tmp_path: Path, synthetic: Any
) -> None:
    source = synthetic(100_000, 3)
    path = tmp_path / "big.html"
    try:
        path.write_text(export(build_index(load_org(source)), "html"), encoding="utf-8")
    except OrgrolesError as exc:  # pragma: no cover
        pytest.fail(str(exc))
    started = time.monotonic()
    page = open_chart(browser, path)
    opened = time.monotonic() - started
    assert opened < OPEN_LIMIT_S, opened
    assert 1 < page.locator('li[role="treeitem"]').count() <= 200  # a readable first view
    page.fill("#search", "Leder 99999")
    page.keyboard.press("Enter")
    page.wait_for_selector(".card.hit", timeout=10_000)
    page.close()


def test_readme_promises_the_chart() -> None:
    assert "export --format html" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_picture_shows_what_the_export_writes(ix: OrgIndex) -> None:
    """docs/chart.png is regenerated by bench/chart_screenshot.py whenever the page changes."""
    import hashlib

    recorded = (ROOT / "docs" / "chart.png.sha256").read_text(encoding="utf-8").strip()
    current = hashlib.sha256(export(ix, "html", "nb").encode("utf-8")).hexdigest()
    assert current == recorded, "run: python bench/chart_screenshot.py"
    assert (ROOT / "docs" / "chart.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
def test_the_page_is_the_same_whatever_the_hash_seed() -> None:
    """Deterministic: the name index once came out in a hash-seed order."""
    import subprocess

    pages = {
        subprocess.run(
            [sys.executable, "-m", "orgroles", "export", "--format", "html"],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(pages) == 1


MERMAID = ROOT / "tests" / "browser" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"


@pytest.fixture(scope="module")
def mermaid_page(browser: Any) -> Iterator[Any]:
    """A blank page with Mermaid itself (npm, installed for the tests only: tests/browser)."""
    if not MERMAID.exists():
        if os.environ.get("ORGROLES_CI"):
            pytest.fail("CI needs Mermaid: npm ci --prefix tests/browser (.ci/run does it)")
        pytest.skip("Mermaid is not installed (npm ci --prefix tests/browser)")
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    page.add_script_tag(path=str(MERMAID))
    page.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
    yield page
    page.close()


@pytest.mark.parametrize(
    "fixture", ["bundled", "exports.yaml", "xss.yaml", "people.yaml", "markdown.yaml"]
)
@pytest.mark.parametrize("line_only", [False, True])
def test_mermaid_itself_draws_the_export(
    mermaid_page: Any, ix: OrgIndex, fixture: str, line_only: bool
) -> None:
    index = ix if fixture == "bundled" else build_index(load_org(FIXTURES / fixture))
    code = export(index, "mermaid", line_only=line_only)
    svg = mermaid_page.evaluate("async code => (await mermaid.render('chart', code)).svg", code)
    assert mermaid_page.evaluate("window.__pwned") is None
    nodes = [line for line in code.splitlines() if re.match(r"  n\d+[\[(]", line)]
    drawn = set(re.findall(r'id="flowchart-(n\d+)-', svg))
    assert drawn == {line.split("[")[0].split("(")[0].strip() for line in nodes}
    # Every label drawn as the very text of the name: no markup, no Markdown emphasis.
    shown = re.findall(r'<span class="nodeLabel"><p>(.*?)</p></span>', svg)
    assert len(shown) == len(nodes)
    expected = sorted(_mermaid_text(line) for line in nodes)
    assert sorted(html.unescape(s) for s in shown) == expected
    assert "<script" not in svg.lower() and "<strong>" not in svg and "<em>" not in svg


def _mermaid_text(line: str) -> str:
    """The text a Mermaid node line labels its node with (entity codes decoded)."""
    text = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(
        r"#(\d+|quot|lt|gt);",
        lambda m: {"quot": '"', "lt": "<", "gt": ">"}.get(
            m.group(1), chr(int(m.group(1))) if m.group(1).isdigit() else m.group(0)
        ),
        text,
    )


def test_a_cards_details_list_at_most_fifty_posts_and_reports(tmp_path: Path) -> None:
    """A role with 120 posts: its card's details name 50 of them and say how many more (the
    tree has them all); so does the list of whom those posts' superior has reporting."""
    from orgroles.exports.html import DETAILS_AT_MOST
    from orgroles.queries.detail import show

    posts = "".join(f"  - {{id: p{i:03d}, role: leder, reports_to: boss}}\n" for i in range(120))
    path = tmp_path / "wide.yaml"
    path.write_text(
        "format: orgroles/1\nmeta: {title: Wide, require_sources: false}\n"
        "roles:\n  - {id: sjef, name: Sjef}\n  - {id: leder, name: Leder}\n"
        f"posts:\n  - {{id: boss, role: sjef}}\n{posts}",
        encoding="utf-8",
    )
    ix = build_index(load_org(path, use_cache=False))
    data = chart_data(ix)
    head = data["details"]["leder"][1][0]  # English
    listed = next(row[1] for row in head["rows"] if row[0] == "Posts")
    assert listed.count(",") == DETAILS_AT_MOST - 1
    assert "… and 70 more (see the tree)" in head["notes"]
    boss_role = data["details"]["sjef"][1]
    reports = next(s for s in boss_role if s["title"] == "Direct reports")
    assert len(reports["rows"]) == DETAILS_AT_MOST
    assert reports["notes"] == ["… and 70 more (see the tree)"]
    assert len(show(ix, "sjef").reports) == 120  # show itself lists every one
    assert len([r for r in data["rows"] if r[2] == "post"]) >= 1  # the tree is not cut
