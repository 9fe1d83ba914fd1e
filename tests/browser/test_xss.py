"""Stored XSS: every text a reporter writes, with every payload class, must never run in a reader's browser.

A hostile site puts a payload in each text field (community title, domain and
conveners; entry title, tags, people, reporters, statements, sources,
showcase; headings and links in bodies), builds both audiences with real
MkDocs, then every page is opened in Chromium with a trap (`window.__xss`) and
the site's search is queried for each payload. The output files are also
scanned for executable markup carrying a payload.
"""

from __future__ import annotations

import functools
import http.server
import re
import socket
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

#: payload classes; each sets window.__xss to a number naming the class and the field
PAYLOADS = {
    "script": "<script>window.__xss={n}</script>",
    "complete tag": "<img src=x onerror=window.__xss={n}>",
    "unclosed tag": "<img src=x onerror=window.__xss={n} ",
    "attribute breakout": "\"><svg onload=window.__xss={n}>",
    "title breakout": "</title><script>window.__xss={n}</script>",
    "textarea breakout": "</textarea><img src=x onerror=window.__xss={n}>",
    "entity": "&lt;img src=x onerror=window.__xss={n}&gt;",
}
FIELDS = ("community title", "community domain", "convener", "entry title", "tag", "person", "reporter",
          "statement", "source", "showcase", "heading", "link text")


def payload(cls: str, field: str) -> str:
    number = 1000 * (list(PAYLOADS).index(cls) + 1) + FIELDS.index(field)
    return PAYLOADS[cls].format(n=number)


def yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module", params=["public", "internal"])
def hostile_site(request, tmp_path_factory):
    """The hostile site, built for each audience."""
    return build_hostile(tmp_path_factory, request.param)


@pytest.fixture(scope="module")
def internal_hostile_site(tmp_path_factory):
    """The hostile site's internal build: it shows every text, so every one of its pages is opened."""
    return build_hostile(tmp_path_factory, "internal")


def build_hostile(tmp_path_factory, audience: str) -> Path:
    from conftest import Site

    site = Site(tmp_path_factory.mktemp(f"xss-{audience}"))
    site.write("tags.md", "# Tags\n\n<!-- material/tags -->\n")
    for index, cls in enumerate(PAYLOADS):
        cid = f"c{index}"
        site.write(f"communities/{cid}/index.md", "\n".join([
            "---", f"title: {yaml_text(payload(cls, 'community title'))}",
            f"domain: {yaml_text(payload(cls, 'community domain'))}",
            f"conveners: [{yaml_text(payload(cls, 'convener'))}]", "visibility: public", "---", "Charter.", ""]))
        site.write(f"communities/{cid}/2020-01-0{index + 1}-story.md", "\n".join([
            "---", f"title: {yaml_text(payload(cls, 'entry title'))}", f"date: 2020-01-0{index + 1}",
            "kind: story", "visibility: public",
            f"tags: [{yaml_text(payload(cls, 'tag'))}]",
            f"people: [{yaml_text(payload(cls, 'person'))}]",
            f"reporters: [{yaml_text(payload(cls, 'reporter'))}]",
            f"showcase: {yaml_text(payload(cls, 'showcase'))}",
            "cycles:", "  applied:", f"    - text: {yaml_text(payload(cls, 'statement'))}",
            f"      source: {yaml_text(payload(cls, 'source'))}", "---",
            f"## A heading {payload(cls, 'heading')}", "",
            f"[{payload(cls, 'link text')}](https://example.org/)", ""]))
    return site.build(audience).site


def serve(folder: Path):
    """A static server for `folder` on a free loopback port, for the duration of a fixture."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    yield from serve(hostile_site)


@pytest.fixture(scope="module")
def internal_hostile_url(internal_hostile_site):
    yield from serve(internal_hostile_site)


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_no_payload_runs_on_any_page(browser, internal_hostile_site, internal_hostile_url):
    """Every page of the internal build (the public build draws the same templates from a subset of the text)."""
    hostile_site, hostile_url = internal_hostile_site, internal_hostile_url
    context = browser.new_context()
    context.add_init_script("window.__xss = 0; window.alert = () => { window.__xss = -1; };")
    page = context.new_page()
    ran = {}
    for name in pages(hostile_site):
        page.goto(hostile_url + name, wait_until="load")
        value = page.evaluate("window.__xss")
        if value:
            ran[name] = value
    context.close()
    assert ran == {}


def test_no_payload_runs_from_search_results(browser, hostile_url):
    context = browser.new_context()
    context.add_init_script("window.__xss = 0;")
    page = context.new_page()
    shown = 0
    # Words next to the payloads: the results then show them (titles, text, tags).
    for query in ("heading", "Charter", "Convened", "story", "Tags"):
        page.goto(hostile_url, wait_until="load")
        box = page.locator('input[data-md-component="search-query"]')
        box.click()
        # Typed key by key: Material's search listens to keyboard input.
        box.type(query, delay=30)
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15_000)
        shown += results.count()
        page.wait_for_timeout(200)
        assert page.evaluate("window.__xss") == 0, query
    context.close()
    assert shown  # the search did find the payloads' pages


class _Executable(HTMLParser):
    """Start tags and scripts in a page that carry a payload as markup, not as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") and value and "__xss" in value:
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "__xss" in data:
            self.found.append(f"<script>{data[:40]}")


def test_no_output_file_holds_a_payload_as_markup(hostile_site):
    found = {}
    for name in pages(hostile_site) + [p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.xml")]:
        parser = _Executable()
        parser.feed((hostile_site / name).read_text(encoding="utf-8"))
        if parser.found:
            found[name] = parser.found
    assert found == {}
    # The payloads are there as text, so the test saw them.
    home = (hostile_site / "communities/c1/index.html").read_text(encoding="utf-8")
    assert re.search(r"&lt;img src=x onerror=window\.__xss=20\d\d", home)
