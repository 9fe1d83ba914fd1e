"""Browser fixtures: the demo site built once, served on 127.0.0.1, and a real Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from generator import host

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]


def find_chromium() -> str | None:
    """The system Chromium: $COPMEM_CHROMIUM, or chromium on the PATH."""
    candidates = [os.environ.get("COPMEM_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                  "/usr/bin/chromium"]
    return next((c for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = "no Chromium found: apt-get install chromium (or set COPMEM_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must run the browser tests")
        pytest.skip(message)
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def server_url(tmp_path_factory, chromium_path) -> str:
    """The demo site, built once with the host's real command (mkdocs or properdocs) and served on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    site = tmp_path_factory.mktemp("browser-site")
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "COP_SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("COP_AUDIENCE", None)
    subprocess.run([*host.command(), "build", "-q", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                    "-d", str(site)], check=True, env=env, cwd=ROOT, timeout=300)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where screenshots go for a person to look at ($COPMEM_SCREENSHOTS, or a new temp folder)."""
    folder = Path(os.environ.get("COPMEM_SCREENSHOTS") or tempfile.mkdtemp(prefix="copmem-screens-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


#: Material's JavaScript takes every <link rel="alternate"> for another language's version of the
#: site and fetches "sitemap.xml" next to it: next to a community's feed there is none, so that
#: one request fails by design (upstream: zensical/zensical#908). Nothing else may fail.
ALTERNATE_PROBE = re.compile(r"/communities/[^/]+/sitemap\.xml$")


class Tab:
    """A page that records console errors and failed requests."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                if m.type == "error" and not _is_probe(m) and not _is_failed_load(m) else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        # ERR_ABORTED is the browser cancelling what a page was still loading when it navigated on (a
        # favicon, say): a missing file answers 404, recorded below, and a broken one another net:: error.
        page.on("requestfailed", lambda r: self.errors.append(f"failed request: {r.url} {r.failure}")
                if "ERR_ABORTED" not in (r.failure or "") else None)
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 and not ALTERNATE_PROBE.search(r.url) else None)


def _is_failed_load(message) -> bool:
    """Whether a console error is the browser's echo of a failed request.

    Each failed request is recorded, with its URL, by the `response` and `requestfailed` handlers, which
    know the probe above by its URL. The echo does not always carry that URL: when the page navigates
    on (a redirect page), Chromium files it under the document instead, and a known probe would then
    count as an error.
    """
    return message.text.startswith("Failed to load resource")


def _is_probe(message) -> bool:
    """Whether a console error is the browser's report of Material's failed sitemap probe."""
    return bool(ALTERNATE_PROBE.search((message.location or {}).get("url", "")))


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield Tab(page)
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    yield Tab(page)
    context.close()
