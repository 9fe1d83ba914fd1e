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


@pytest.mark.parametrize("url", ["matrix/", "communities/catheter-care/matrix/", "communities/catheter-care/",
                                 "journeys/", "communities/falls-prevention/matrix/"])
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
     "cycles/applied/", "journeys/", "capital/tangible/", "communities/falls-prevention/matrix/",
     "communities/catheter-care/passport-results/"],
)
def test_no_serious_accessibility_violations(tab, server_url, url):
    from axe_playwright_python.sync_playwright import Axe

    tab.page.goto(server_url + url)
    results = Axe().run(tab.page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
               for v in serious]
    assert details == []


@pytest.mark.parametrize("url", ["journeys/", "capital/tangible/", "communities/falls-prevention/matrix/"])
def test_value_case_pages_open_without_console_errors(tab, server_url, screenshots, url):
    tab.page.goto(server_url + url)
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("article .copmem-journeys, article .copmem-capital, article .copmem-matrix").count() == 1
    shoot(tab, screenshots, "value-" + url.strip("/").replace("/", "-"))
    assert tab.errors == []


def test_each_journey_picture_has_its_text_alternative_and_readable_labels(tab, server_url):
    page = tab.page
    page.goto(server_url + "journeys/")
    pictures = page.locator('article svg[role="img"]')
    assert pictures.count() >= 3
    for index in range(pictures.count()):
        svg = pictures.nth(index)
        # The accessible name and description come from the SVG's own <title> and <desc>.
        texts = svg.evaluate("""s => s.getAttribute('aria-labelledby').split(' ')
                                     .map(id => (document.getElementById(id) || {}).textContent || '')""")
        assert len(texts) == 2 and all(len(t.strip()) > 20 for t in texts), texts
        # Labels are drawn at their own size, not shrunk to fit (readable without hovering or zooming).
        size = svg.locator("text.copmem-journey__title").first.evaluate(
            "t => t.getBoundingClientRect().height")
        assert size >= 10, size
    # A journey across communities is on the page, drawn and listed.
    crossing = page.locator("section.copmem-journey", has_text="Falls prevention in care homes")
    assert crossing.count() == 1
    assert crossing.locator("ol.copmem-journey__list li").count() >= 4
    assert tab.errors == []


def test_the_community_matrix_shows_aims_and_marks_those_without_evidence(tab, server_url):
    page = tab.page
    page.goto(server_url + "communities/falls-prevention/matrix/")
    aims = page.locator("tr.copmem-aims")
    assert aims.is_visible()
    assert aims.locator(".copmem-aim-status--waiting").count() == 4
    assert aims.locator(".copmem-aim-status--evidenced").count() == 1
    # An evidence label is a link to its explanation on the same page: a tap shows it, no hover needed.
    page.goto(server_url + "communities/catheter-care/matrix/")
    label = page.locator("a.copmem-evidence--records").first
    label.click()
    assert page.url.endswith("#evidence-records")
    assert page.locator("#evidence-records").is_visible()
    assert tab.errors == []
