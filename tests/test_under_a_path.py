"""Contract 9.6: the demo built for a site under a path, served under that path, and crawled link by link.

Every href and src of every page, every link of every feed and every redirect
target is requested from a server that knows only /network/: a link that
assumes the site sits at the root of its host gets a 404 and fails the test.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from generator import host

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "/network/"
#: The address the demo is built for; the crawler reads it as the local server under the same path.
SITE_URL = "https://org.example/network/"


class _UnderPath(http.server.SimpleHTTPRequestHandler):
    """Serves the built site at PREFIX only, as a project site on a shared host would."""

    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith(PREFIX):
            return os.path.join(self.directory, "no-such-file-outside-the-path")
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Links(HTMLParser):
    """Every URL a page asks a browser to fetch or follow."""

    ATTRIBUTES = {"href", "src", "xlink:href", "action", "poster"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in self.ATTRIBUTES & attrs.keys():
            if attrs[name] is not None:
                self.urls.append(attrs[name])
        if tag == "img" and attrs.get("srcset"):
            self.urls += [part.split()[0] for part in attrs["srcset"].split(",") if part.strip()]
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.urls.append(re.sub(r"^\s*\d+\s*;\s*url=", "", attrs.get("content") or "", flags=re.I))
        if tag == "meta" and attrs.get("property") in ("og:url", "og:image"):
            self.urls.append(attrs.get("content") or "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module", params=["internal", "public"])
def served(request, tmp_path_factory):
    """The demo built for https://org.example/network/, served at http://127.0.0.1:<port>/network/ only."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}{PREFIX}"
    site = tmp_path_factory.mktemp(f"under-a-path-{request.param}")
    env = {**os.environ, "COP_SITE_URL": SITE_URL, "COP_AUDIENCE": request.param, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([*host.command(), "build", "-q", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                    "-d", str(site)], check=True, env=env, cwd=ROOT, timeout=300)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_UnderPath, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, site
    server.shutdown()
    server.server_close()


def local(url: str, base: str) -> str:
    """An absolute URL of the published site as the local server serves it."""
    return base + url[len(SITE_URL):] if url.startswith(SITE_URL) else url


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_the_server_knows_only_the_path(served):
    base, _ = served
    assert _status(base) == 200
    assert _status(urljoin(base, "/index.html")) == 404


def test_every_link_of_every_page_resolves_under_the_path(served):
    base, site = served
    host = urlsplit(base).netloc
    checked: dict[str, int] = {}
    broken = []
    pages = _pages(site)
    assert len(pages) > 40
    for name in pages:
        if name == "404.html":
            # Served for any missing URL, so its links are absolute from site_url's path.
            page_url = urljoin(base, "no/such/page/")
        else:
            page_url = urljoin(base, name.removesuffix("index.html"))
        parser = _Links()
        parser.feed((site / name).read_text(encoding="utf-8"))
        for link in parser.urls:
            published = urljoin(page_url, link)
            if urlsplit(published).netloc == urlsplit(SITE_URL).netloc and not published.startswith(SITE_URL):
                broken.append(f"{name}: {link} leaves {SITE_URL}")
                continue
            target = local(published, base).split("#", 1)[0]
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue
            if not parts.path.startswith(PREFIX):
                broken.append(f"{name}: {link} leaves {PREFIX}")
                continue
            if target not in checked:
                checked[target] = _status(target)
            if checked[target] != 200:
                broken.append(f"{name}: {link} -> {checked[target]}")
    assert broken == []
    assert len(checked) > 40


def _feeds(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("feed.xml"))


def test_every_link_of_every_feed_resolves_under_the_path(served):
    base, site = served
    feeds = _feeds(site)
    assert "feed.xml" in feeds and len(feeds) > 1
    broken = []
    for name in feeds:
        text = (site / name).read_text(encoding="utf-8")
        feed_url = urljoin(base, name)
        links = re.findall(r'\bhref="([^"]+)"', text)
        assert links, name
        for link in links:
            target = local(urljoin(feed_url, link), base)
            if not target.startswith(base):
                broken.append(f"{name}: {link} leaves {PREFIX}")
            elif _status(target) != 200:
                broken.append(f"{name}: {link} -> {_status(target)}")
    assert broken == []


def test_robots_and_sitemap_name_urls_under_the_path(served):
    base, site = served
    if (site / "robots.txt").is_file():
        sitemap = re.search(r"^Sitemap: (\S+)$", (site / "robots.txt").read_text(encoding="utf-8"), re.M)
        if sitemap:
            assert sitemap.group(1) == SITE_URL + "sitemap.xml"
            assert _status(local(sitemap.group(1), base)) == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locations and all(loc.startswith(SITE_URL) for loc in locations)
    assert all(_status(local(loc, base)) == 200 for loc in locations)
