"""Shared test helpers: model factories, and a site written into tmp_path and built with real MkDocs.

Tests import the factories (`from conftest import community, entry, memory`)
and use the `site` fixture (a `Site`) for builds.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.model import Community, Entry, Memory, Statement


def pytest_configure(config):
    """Subprocesses log as they would into a file: MkDocs wraps its log lines to $COLUMNS when it is set
    (pytest-xdist's workers may inherit it), and a test reading a line must not depend on a width.
    The user's cache stays untouched."""
    import os

    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
    # Builds and commands keep parses in the user's cache: the tests' go to a folder of their own.
    import tempfile

    os.environ["COPMEM_CACHE_DIR"] = tempfile.mkdtemp(prefix="copmem-test-cache-")


# ---------------------------------------------------------------------------------------------
# Model factories: plain values, no files.


def community(cid: str = "c", *, visibility: str = "public", attribution: str = "named", body: str = "",
              **fields) -> Community:
    """A community with sensible defaults (public, named)."""
    fields.setdefault("title", cid.replace("-", " ").title())
    fields.setdefault("domain", "d")
    return Community(id=cid, source=f"communities/{cid}/index.md", visibility=visibility,
                     attribution=attribution, body=body, **fields)


def entry(cid: str = "c", slug: str = "e", *, visibility: str = "public", date: str | dt.date = "2020-01-01",
          **fields) -> Entry:
    """An entry of community `cid` at `communities/<cid>/2020/<date>-<slug>.md`, public unless told (statements as text or Statement)."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    fields.setdefault("title", slug.replace("-", " "))
    fields.setdefault("source", f"communities/{cid}/2020/{date.isoformat()}-{slug}.md")
    if "cycles" in fields:  # statements may be given as plain text
        fields["cycles"] = {cycle: tuple(s if isinstance(s, Statement) else Statement(s) for s in statements)
                            for cycle, statements in fields["cycles"].items()}
    return Entry(community=cid, slug=slug, visibility=visibility, date=date, **fields)


def memory(*items, attachments=(), failed=()) -> Memory:
    """A memory of the given communities and entries, as the loader would return it (shown under docs/)."""
    communities = {c.id: c for c in items if isinstance(c, Community)}
    entries = [e for e in items if isinstance(e, Entry)]
    return Memory(communities=communities, entries=entries, attachments=list(attachments),
                  failed=list(failed), display_dir="docs")


# ---------------------------------------------------------------------------------------------
# Reading built pages.


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key and "content" in attrs:
            self.meta.setdefault(key, attrs["content"])


def metadata(html: str) -> dict[str, str]:
    """A page's `<meta>` values by `property` or `name` (the first of each), entities decoded."""
    parser = _Meta()
    parser.feed(html)
    return parser.meta


# ---------------------------------------------------------------------------------------------
# Real builds.

MKDOCS_YML = """\
site_name: Test network
site_url: https://cop.example.org/
docs_dir: docs
theme:
  name: material
{theme_extra}plugins:
  - search
  - tags
  - cop-memory:
      audience: {audience}
{plugin_extra}"""

COMMUNITY = """\
---
title: {title}
domain: {domain}
visibility: {visibility}
attribution: {attribution}
---
We meet monthly to share what works.

## How to join

Write to the convener.
"""


@dataclass
class Build:
    """The result of one real MkDocs build."""

    site: Path
    log: list[logging.LogRecord] = field(default_factory=list)

    def page(self, url: str) -> str:
        """The HTML of a page at a site-relative directory URL like `communities/x/`."""
        path = self.site / url.strip("/") / "index.html" if url.strip("/") else self.site / "index.html"
        assert path.is_file(), f"no page at /{url} (looked for {path.relative_to(self.site)})"
        return path.read_text(encoding="utf-8")

    def text(self, name: str) -> str:
        """The text of an output file by its site-relative path."""
        return (self.site / name).read_text(encoding="utf-8")

    def messages(self, level: int = logging.WARNING) -> list[str]:
        """Log messages at `level` or above."""
        return [r.getMessage() for r in self.log if r.levelno >= level]

    def summary(self) -> str:
        """The plugin's one summary line."""
        lines = [r.getMessage() for r in self.log if r.levelno == logging.INFO and " build: " in r.getMessage()]
        assert len(lines) == 1, lines
        return lines[0]

    def files(self) -> list[Path]:
        """Every file of the built site."""
        return sorted(p for p in self.site.rglob("*") if p.is_file())


class Site:
    """A site folder under tmp_path: mkdocs.yml plus a docs/ tree written by the test."""

    def __init__(self, root: Path):
        self.root = root
        self.docs = root / "docs"
        self.docs.mkdir(parents=True, exist_ok=True)
        self.write("index.md", "# Home\n\nWelcome.\n")

    def write(self, relative: str, text: str | bytes) -> Path:
        """Write a file below docs/ (text is dedented)."""
        path = self.docs / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def community(self, cid: str, *, title: str | None = None, domain: str = "A shared domain",
                  visibility: str = "public", attribution: str = "named") -> None:
        """Write a community's index.md."""
        self.write(f"communities/{cid}/index.md", COMMUNITY.format(
            title=title or cid.replace("-", " ").title(), domain=domain,
            visibility=visibility, attribution=attribution))

    def entry(self, cid: str, name: str, *, title: str, date: str = "2020-01-15", body: str = "Some words.",
              **fields) -> Path:
        """Write an entry with front matter from keyword fields (values already YAML text or lists)."""
        lines = ["---", f"title: {title}", f"date: {date}"]
        for key, value in fields.items():
            lines.append(f"{key}: {_yaml(value)}")
        lines += ["---", "", textwrap.dedent(body).strip(), ""]
        return self.write(f"communities/{cid}/{name}", "\n".join(lines))

    def write_config(self, audience: str = "internal", *, extra_yml: str = "", custom_dir: str | None = None,
                     extra_plugin_options: str = "") -> Path:
        """Write mkdocs.yml for `audience` (extra YAML appended, extra lines under the plugin's options)."""
        config_file = self.root / "mkdocs.yml"
        theme_extra = f"  custom_dir: {custom_dir}\n" if custom_dir else ""
        config_file.write_text(MKDOCS_YML.format(audience=audience, theme_extra=theme_extra,
                                                 plugin_extra=extra_plugin_options) + extra_yml, encoding="utf-8")
        return config_file

    def config(self, audience: str = "internal", **options):
        """The loaded configuration of this site for `audience` (nothing built)."""
        from generator import host

        return host.load_config(str(self.write_config(audience, **options)),
                                site_dir=str(self.root / f"site-{audience}"))

    def build(self, audience: str = "internal", *, strict: bool = False, summary: bool = True, **options) -> Build:
        """Run a real MkDocs build in-process and return its output and log (the summary line checked to add up)."""
        from generator import host

        config_file = self.write_config(audience, **options)
        site_dir = self.root / f"site-{audience}"
        records: list[logging.LogRecord] = []
        handler = _Collect(records)
        # The host's root logger (`mkdocs` or `properdocs`), where its --strict counter listens too.
        logger = host.root_logger()
        logger.addHandler(handler)
        previous = logger.level
        logger.setLevel(logging.INFO)
        try:
            config = host.load_config(str(config_file), site_dir=str(site_dir), strict=strict)
            # As `mkdocs build` does: MkDocs keeps such plugin objects for the whole process.
            config.plugins.on_startup(command="build", dirty=False)
            host.build(config)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(previous)
        result = Build(site_dir, records)
        if summary:
            _assert_nothing_lost(result)
        return result


def _assert_nothing_lost(result: Build) -> None:
    """Every build of every fixture: entries read = published + left out by audience + with errors."""
    numbers = re.search(r"(\d+) entries read, (\d+) published, (\d+) internal, (\d+) with errors", result.summary())
    assert numbers, result.summary()
    read, published, internal, errors = map(int, numbers.groups())
    assert read == published + internal + errors, result.summary()


class _Collect(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]):
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _yaml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "\n" + "\n".join(f"  {k}: {v}" for k, v in value.items())
    return str(value)


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch) -> Path:
    """A user cache folder of this test's own (the session's is shared by every test's sites)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("COPMEM_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """An empty site with a home page, ready for communities and entries."""
    return Site(tmp_path)
