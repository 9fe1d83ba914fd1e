"""What a person sees: the demo site in a real Chromium, by clicking, searching, on a phone, with axe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


def shoot(tab, screenshots: Path, name: str) -> None:
    tab.page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def path_of(tab) -> str:
    return re.sub(r"^https?://[^/]+", "", tab.page.url)


def click(tab, selector: str) -> None:
    link = tab.page.locator(selector).first
    link.scroll_into_view_if_needed()
    with tab.page.expect_navigation():
        link.click()
    tab.page.wait_for_load_state("load")


def test_newcomer_finds_the_way_by_clicking(tab, server_url, screenshots):
    page = tab.page
    page.goto(server_url)
    shoot(tab, screenshots, "1-home")
    click(tab, 'article a.copmem-card__title[href$="gestational-diabetes/"]')
    assert path_of(tab) == "/communities/gestational-diabetes/"
    assert page.locator("h1").first.inner_text() == "Gestational diabetes"
    shoot(tab, screenshots, "2-community")

    click(tab, 'article a[href$="timeline/"]')
    assert path_of(tab) == "/communities/gestational-diabetes/timeline/"
    shoot(tab, screenshots, "3-timeline")

    click(tab, 'article a.copmem-item__title[href$="gtt-policy/"]')
    assert path_of(tab) == "/communities/gestational-diabetes/gtt-policy/"
    assert "36 weeks" in page.locator("h1").first.inner_text()
    shoot(tab, screenshots, "4-entry")

    click(tab, "article .copmem-entry-meta__line a")
    assert path_of(tab) == "/communities/gestational-diabetes/"
    click(tab, 'article a[href$="matrix/"]')
    assert path_of(tab) == "/communities/gestational-diabetes/matrix/"
    assert page.locator("table.copmem-grid").count() == 1
    shoot(tab, screenshots, "5-matrix")

    click(tab, 'article a[href$="cycles/realised/"]')
    assert path_of(tab) == "/cycles/realised/"
    assert "Realised value" in page.locator("h1").first.inner_text()
    shoot(tab, screenshots, "6-cycle")

    click(tab, 'article a[href$="value-creation/#realised"]')
    assert path_of(tab) == "/value-creation/#realised"
    assert page.locator("#realised").is_visible()
    assert tab.errors == []


def a_story_word() -> tuple[str, str]:
    """A rare word from the body of a public story of a public community, and the story's title."""
    for path in sorted(CONTENT.glob("communities/catheter-care/**/*.md")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        meta = yaml.safe_load(head.removeprefix("---\n"))
        if meta.get("kind") == "story" and meta.get("visibility") == "public" and "passport" in body:
            return "passport", meta["title"]
    raise AssertionError("the demo content has no public story about the catheter passport")


def test_search_finds_a_story_by_a_word_of_its_body(tab, server_url):
    word, title = a_story_word()
    page = tab.page
    page.goto(server_url)
    query = page.locator('input[data-md-component="search-query"]')
    query.click()
    # Typed key by key: Material's search listens to keyboard input.
    query.type(word, delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert title in page.locator(".md-search-result").inner_text()
    assert tab.errors == []


@pytest.mark.parametrize("url", ["matrix/", "communities/catheter-care/matrix/", "communities/catheter-care/"])
def test_pages_fit_a_phone_without_horizontal_scrolling(phone, server_url, screenshots, url):
    phone.page.goto(server_url + url)
    widths = phone.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[2] and widths[1] <= widths[2], widths
    shoot(phone, screenshots, "phone-" + url.strip("/").replace("/", "-"))


@pytest.mark.parametrize(
    "url",
    ["", "communities/gestational-diabetes/", "communities/gestational-diabetes/gtt-policy/",
     "communities/gestational-diabetes/timeline/", "communities/gestational-diabetes/matrix/", "matrix/",
     "cycles/applied/"],
)
def test_no_serious_accessibility_violations(tab, server_url, url):
    from axe_playwright_python.sync_playwright import Axe

    tab.page.goto(server_url + url)
    results = Axe().run(tab.page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
               for v in serious]
    assert details == []
