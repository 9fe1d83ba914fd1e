"""Links that travel and last, and a site that works on a phone (issue 16), seen in a real Chromium.

Each numbered item a browser can see is driven here on a desktop and a 390 px
phone, in the light and the dark colour scheme, with screenshots written for a
person to look at (the `screenshots` fixture says where), and axe run on every
page type this issue adds: highlights, a redirect, the 404 page, a feed shown
through its stylesheet, a filtered timeline and the tag page.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import socket
import subprocess
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator import host

from .conftest import Tab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SCHEMES = ["light", "dark"]


@pytest.fixture(params=SCHEMES)
def scheme(request) -> str:
    return request.param


def open_tab(browser, device: dict, scheme: str = "light", **options) -> Tab:
    context = browser.new_context(**device, color_scheme=scheme, **options)
    return Tab(context.new_page())


@pytest.fixture
def desktop(browser, scheme):
    tab = open_tab(browser, DESKTOP, scheme)
    yield tab
    tab.page.context.close()


@pytest.fixture
def mobile(browser, scheme):
    tab = open_tab(browser, PHONE, scheme)
    yield tab
    tab.page.context.close()


def shoot(tab: Tab, screenshots: Path, name: str, full_page: bool = True) -> None:
    tab.page.screenshot(path=str(screenshots / f"16-{name}.png"), full_page=full_page)


def path_of(tab: Tab) -> str:
    return urlsplit(tab.page.url).path + (f"?{urlsplit(tab.page.url).query}" if urlsplit(tab.page.url).query else "")


def serious_violations(tab: Tab, exclude: list[str] | None = None) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab.page, context={"exclude": [[s] for s in exclude]} if exclude else None)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


# 1. Sites under a path -------------------------------------------------------------------------


class _UnderPath(http.server.SimpleHTTPRequestHandler):
    """The built site at /network/ only, as a project site on a shared host."""

    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith("/network/"):
            return os.path.join(self.directory, "no-such-file-outside-the-path")
        return super().translate_path("/" + path[len("/network/"):])

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def under_a_path(tmp_path_factory, chromium_path):
    """The demo built for https://org.example/network/ and served at http://127.0.0.1:<port>/network/."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    site = tmp_path_factory.mktemp("browser-under-a-path")
    env = {**os.environ, "COP_SITE_URL": "https://org.example/network/", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("COP_AUDIENCE", None)
    subprocess.run([*host.command(), "build", "-q", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                    "-d", str(site)], check=True, env=env, cwd=ROOT, timeout=300)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_UnderPath, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/network/"
    server.shutdown()
    server.server_close()


def test_a_site_under_a_path_works_by_clicking(desktop, under_a_path, screenshots, scheme):
    page = desktop.page
    page.goto(under_a_path)
    with page.expect_navigation():
        page.locator('article a.copmem-card__title[href$="catheter-care/"]').click()
    assert path_of(desktop) == "/network/communities/catheter-care/"
    with page.expect_navigation():
        page.locator('article a.md-button[href$="matrix/"]').click()
    assert path_of(desktop) == "/network/communities/catheter-care/matrix/"
    with page.expect_navigation():
        page.locator('nav.md-nav--primary a.md-nav__link[href$="highlights/"]').first.click()
    assert path_of(desktop) == "/network/highlights/"
    shoot(desktop, screenshots, f"1-under-a-path-highlights-{scheme}")
    # Every stylesheet, script, image and the search index loaded from under the path.
    assert desktop.errors == []


# 2. Highlights ---------------------------------------------------------------------------------


def test_highlights_are_reached_from_the_home_page_newest_first(desktop, mobile, server_url, screenshots, scheme):
    for tab, device in ((desktop, "desktop"), (mobile, "phone")):
        page = tab.page
        page.goto(server_url)
        link = page.locator("article .copmem-highlights-link a")
        link.scroll_into_view_if_needed()
        with page.expect_navigation():
            link.click()
        assert path_of(tab) == "/highlights/"
        dates = page.locator(".copmem-highlight time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
        assert len(dates) >= 3 and dates == sorted(dates, reverse=True)
        for item in page.locator(".copmem-highlight").all():
            assert "Why it was chosen:" in item.inner_text()
        assert "Strongest value shown:" in page.locator(".copmem-highlight").first.inner_text()
        shoot(tab, screenshots, f"2-highlights-{device}-{scheme}")
        assert tab.errors == []


# 3. Aliases --------------------------------------------------------------------------------------


OLD_ADDRESS = "communities/catheter-care/passport-in-the-record/"
NEW_ADDRESS = "/communities/catheter-care/digital-passport/"


def test_an_old_address_takes_the_reader_to_the_entry(desktop, server_url, screenshots, scheme):
    page = desktop.page
    with page.expect_navigation(url=re.compile(re.escape(NEW_ADDRESS) + "$")):
        page.goto(server_url + OLD_ADDRESS)
    assert "electronic record" in page.locator("h1").first.inner_text()
    shoot(desktop, screenshots, f"3-alias-arrived-{scheme}", full_page=False)
    assert desktop.errors == []


def test_the_redirect_page_itself_has_a_link_and_passes_axe(desktop, server_url, screenshots, scheme):
    page = desktop.page
    # Held on the redirect page: its onward navigation gets "204 No Content", which a browser
    # answers by staying where it is, so the page shows what a person without automatic
    # redirects sees.
    page.route(re.compile(re.escape(NEW_ADDRESS) + "$"), lambda route: route.fulfill(status=204))
    page.goto(server_url + OLD_ADDRESS)
    page.wait_for_timeout(300)
    link = page.locator("main a")
    assert link.get_attribute("href") == "../digital-passport/"
    assert page.locator('link[rel="canonical"]').get_attribute("href") == server_url.rstrip("/") + NEW_ADDRESS
    shoot(desktop, screenshots, f"3-alias-redirect-page-{scheme}")
    assert serious_violations(desktop) == []


# 5. Feeds a person can read ------------------------------------------------------------------------


def test_a_feed_opens_as_a_readable_page(desktop, server_url, screenshots, scheme):
    page = desktop.page
    feed = urllib.request.urlopen(server_url + "feed.xml").read().decode("utf-8")
    titles = [re.sub(r"&amp;", "&", t) for t in re.findall(r"<entry>\s*<title>([^<]*)</title>", feed)]
    page.goto(server_url + "feed.xml")
    page.locator("h2").first.wait_for()
    shown = page.locator("li h2 a").all_inner_texts()
    assert shown == titles and len(shown) > 40
    assert "web feed" in page.locator(".about").inner_text()
    shoot(desktop, screenshots, f"5-feed-{scheme}", full_page=False)
    # Chromium's own warning that XSLT is going away is not the site's page: axe skips it.
    assert serious_violations(desktop, exclude=["xslt-warning-banner"]) == []


def test_every_page_announces_its_feeds(desktop, server_url):
    page = desktop.page
    page.goto(server_url + "communities/gestational-diabetes/gtt-policy/")
    feeds = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    hrefs = feeds.evaluate_all("links => links.map(l => l.href)")
    assert hrefs == [server_url + "feed.xml", server_url + "communities/gestational-diabetes/feed.xml"]
    for href in hrefs:
        assert urllib.request.urlopen(href).status == 200


# 9. The 404 page -------------------------------------------------------------------------------------


def serve_not_found(tab: Tab, server_url: str) -> None:
    """Serve the site's 404.html for /no/such/page/, as a static host configured for it does."""
    body = urllib.request.urlopen(server_url + "404.html").read()
    tab.page.route("**/no/such/page/", lambda route: route.fulfill(status=404, body=body, content_type="text/html"))


def test_the_404_page_shows_the_way_on(desktop, mobile, server_url, screenshots, scheme):
    for tab, device in ((desktop, "desktop"), (mobile, "phone")):
        page = tab.page
        serve_not_found(tab, server_url)
        page.goto(server_url + "no/such/page/")
        text = page.locator("article").inner_text()
        assert "only members of a community can see" in re.sub(r"\s+", " ", text)
        links = {a.inner_text(): a.get_attribute("href") for a in page.locator("article a").all()}
        assert links == {"The home page": "/", "Search the site": "/?q=", "All communities": "/communities/",
                         "The timeline": "/timeline/"}
        shoot(tab, screenshots, f"9-not-found-{device}-{scheme}")
        assert serious_violations(tab) == []
        with page.expect_navigation():
            page.locator("article a", has_text="The timeline").click()
        assert path_of(tab) == "/timeline/"
        # The page itself answers 404, by design; every other request must succeed (each
        # failure is also recorded as "HTTP <status>: <url>").
        assert [e for e in tab.errors if "/no/such/page/" not in e
                and not e.startswith("console error: Failed to load resource: the server responded with a status "
                                     "of 404")] == []


def test_the_404_page_s_search_link_opens_search(desktop, server_url):
    page = desktop.page
    serve_not_found(desktop, server_url)
    page.goto(server_url + "no/such/page/")
    with page.expect_navigation():
        page.locator("article a", has_text="Search the site").click()
    assert page.locator('input[data-md-component="search-query"]').evaluate("e => e === document.activeElement")


# 10. Matrices on a phone, and on a desktop ------------------------------------------------------------


@pytest.mark.parametrize("url", ["communities/catheter-care/matrix/", "communities/gestational-diabetes/matrix/"])
def test_on_a_phone_every_statement_of_a_matrix_is_in_view(mobile, server_url, screenshots, scheme, url):
    page = mobile.page
    page.goto(server_url + url)
    boxes = page.locator("td.copmem-cell--filled p").evaluate_all(
        "ps => ps.map(p => { const r = p.getBoundingClientRect(); return [r.left, r.right, p.textContent]; })")
    width = page.evaluate("window.innerWidth")
    assert len(boxes) > 10
    assert [b for b in boxes if b[0] < 0 or b[1] > width] == []
    # Each card names the cycles it shows.
    assert page.locator("td.copmem-cell--filled .copmem-cell__cycle").first.is_visible()
    counts = page.locator("ul.copmem-counts > li").evaluate_all(
        "lis => lis.map(li => li.getBoundingClientRect().right)")
    assert len(counts) == 5 and max(counts) <= width
    shoot(mobile, screenshots, f"10-matrix-phone-{url.split('/')[1]}-{scheme}")


def test_on_a_desktop_a_long_matrix_keeps_its_header_and_first_column_in_view(desktop, server_url, screenshots,
                                                                             scheme):
    page = desktop.page
    page.set_viewport_size({"width": 900, "height": 700})
    page.goto(server_url + "communities/gestational-diabetes/matrix/")
    region = page.locator(".copmem-scroll--matrix")
    region.scroll_into_view_if_needed()
    assert region.get_attribute("tabindex") == "0"
    region.evaluate("e => { e.scrollTop = 500; e.scrollLeft = 400; }")
    page.wait_for_timeout(100)
    placed = region.evaluate("""e => {
        const box = e.getBoundingClientRect();
        const header = e.querySelector('thead th:nth-child(2)').getBoundingClientRect();
        const first = [...e.querySelectorAll('tbody th[scope="row"]')].map(h => h.getBoundingClientRect())
            .find(r => r.bottom > box.top + 200);
        return {scrolled: [e.scrollTop, e.scrollLeft], box: [box.top, box.left], header: header.top, first: first.left};
    }""")
    assert placed["scrolled"][0] > 0 and placed["scrolled"][1] > 0, placed
    assert abs(placed["header"] - placed["box"][0]) < 2, placed
    assert abs(placed["first"] - placed["box"][1]) < 2, placed
    shoot(desktop, screenshots, f"10-matrix-desktop-scrolled-{scheme}", full_page=False)


# 11. Charts --------------------------------------------------------------------------------------------


def test_chart_labels_are_inside_the_picture_and_figures_open_on_a_tap(mobile, server_url, screenshots, scheme):
    page = mobile.page
    page.goto(server_url + "communities/gestational-diabetes/")
    outside = page.locator(".copmem-chart svg").evaluate("""svg => {
        const [x, y, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
        return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => t.getBBox())
            .filter(b => b.y < y || b.x < x || b.y + b.height > y + h || b.x + b.width > x + w).length;
    }""")
    assert outside == 0
    years = page.locator(".copmem-strip__years span").all_inner_texts()
    assert years == [str(y) for y in range(int(years[0]), int(years[-1]) + 1)] and len(years) >= 3
    legend = page.locator(".copmem-strip figcaption").inner_text()
    used = set(page.locator(".copmem-strip rect.copmem-mark").evaluate_all(
        "rs => rs.map(r => [...r.classList].find(c => c.startsWith('copmem-fill-')).slice(12))"))
    for cycle in used:
        assert (cycle if cycle != "none" else "no cycle named") in legend
    table = page.locator(".copmem-chart__figures table")
    assert not table.is_visible()
    page.locator(".copmem-chart__figures summary").tap()
    assert table.is_visible() and "attendees" in table.inner_text().lower()
    page.locator(".copmem-strip").scroll_into_view_if_needed()
    shoot(mobile, screenshots, f"11-charts-phone-{scheme}")
    assert mobile.errors == []


# 12. Navigation in the reader's order -----------------------------------------------------------------


def test_the_navigation_is_in_the_reader_s_order(desktop, server_url):
    page = desktop.page
    page.goto(server_url)
    top = page.locator("nav.md-nav--primary > ul > li").evaluate_all(
        "lis => lis.map(li => li.querySelector('.md-ellipsis').textContent.trim())")
    assert top[:6] == ["Home", "Communities", "The Value Creation Framework", "Value Creation Matrix", "Timeline",
                       "Highlights"]
    assert top.index("Tags") > 5 and top.index("Writing for the shared memory") > top.index("Tags")


# 13. Search results that read well; tag counts -----------------------------------------------------------


def test_a_search_result_keeps_labels_and_values_apart(desktop, server_url, screenshots, scheme):
    page = desktop.page
    page.goto(server_url)
    query = page.locator('input[data-md-component="search-query"]')
    query.click()
    query.type("reputational", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    text = page.locator(".md-search-result").inner_text()
    assert re.search(r"Knowledge capital: [a-z, ]*reputational", text)
    assert "capitalreputational" not in text and "capitaltangible" not in text
    shoot(desktop, screenshots, f"13-search-{scheme}", full_page=False)


def test_the_tag_page_counts_each_tag_s_entries(desktop, server_url, screenshots, scheme):
    page = desktop.page
    page.goto(server_url + "tags/")
    counts = page.locator(".copmem-tag-count").all_inner_texts()
    lists = page.locator(".copmem-tag-count + ul").evaluate_all("uls => uls.map(u => u.children.length)")
    assert counts and [int(c.split()[0]) for c in counts] == lists
    shoot(desktop, screenshots, f"13-tags-{scheme}", full_page=False)
    assert serious_violations(desktop) == []


# 14. Timeline filters ------------------------------------------------------------------------------------


def visible_items(tab: Tab) -> list[dict]:
    return tab.page.locator("li.copmem-item").evaluate_all(
        "lis => lis.filter(li => li.offsetParent !== null).map(li => ({kind: li.dataset.kind, "
        "cycles: li.dataset.cycles, community: li.dataset.community}))")


def test_the_network_timeline_filters_by_community_cycle_and_kind(desktop, mobile, server_url, screenshots, scheme):
    for tab, device in ((desktop, "desktop"), (mobile, "phone")):
        page = tab.page
        page.goto(server_url + "timeline/")
        everything = len(visible_items(tab))
        page.select_option('select[name="community"]', "gestational-diabetes")
        page.select_option('select[name="cycle"]', "applied")
        shown = visible_items(tab)
        assert 0 < len(shown) < everything
        assert all(i["community"] == "gestational-diabetes" and "applied" in i["cycles"].split() for i in shown)
        assert f"Showing {len(shown)} of {everything}" in page.locator(".copmem-filter__count").inner_text()
        assert "community=gestational-diabetes" in page.url and "cycle=applied" in page.url
        shoot(tab, screenshots, f"14-timeline-filtered-{device}-{scheme}")
        assert serious_violations(tab) == []
        # The address keeps the choice: opened again, the page shows the same.
        page.goto(page.url)
        assert visible_items(tab) == shown
        assert tab.errors == []


def test_the_community_timeline_filters_by_kind(desktop, server_url):
    page = desktop.page
    page.goto(server_url + "communities/catheter-care/timeline/")
    assert page.locator('select[name="community"]').count() == 0
    page.select_option('select[name="kind"]', "event")
    shown = visible_items(desktop)
    assert shown and all(i["kind"] == "event" for i in shown)
    headings = page.locator(".copmem-timeline h3").evaluate_all("hs => hs.filter(h => h.offsetParent).length")
    assert headings <= len(shown)


def test_without_javascript_a_timeline_shows_everything_and_no_dead_form(browser, server_url):
    tab = open_tab(browser, DESKTOP, java_script_enabled=False)
    try:
        tab.page.goto(server_url + "timeline/")
        assert not tab.page.locator("form.copmem-filter").is_visible()
        assert len(visible_items(tab)) == tab.page.locator("li.copmem-item").count() > 40
    finally:
        tab.page.context.close()


# axe on the other page types this issue changes ------------------------------------------------------------


@pytest.mark.parametrize("url", ["highlights/", "communities/catheter-care/matrix/", "communities/gestational-diabetes/",
                                 "timeline/"])
def test_no_serious_accessibility_violations_on_a_phone(mobile, server_url, url):
    mobile.page.goto(server_url + url)
    assert serious_violations(mobile) == []


@pytest.mark.parametrize("url", ["highlights/", "communities/gestational-diabetes/matrix/", "communities/gestational-diabetes/",
                                 "communities/gestational-diabetes/gtt-policy/"])
def test_no_serious_accessibility_violations_on_a_desktop(desktop, server_url, url):
    desktop.page.goto(server_url + url)
    assert serious_violations(desktop) == []
