"""Atom feeds of a shared memory: the network's and each community's, newest first."""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Callable, Sequence
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

from .model import CYCLE_INFO, Entry

ATOM = "http://www.w3.org/2005/Atom"
#: How many entries a feed carries: enough for any reader, small enough to fetch often.
FEED_LENGTH = 50


def absolute(site_url: str | None, url: str) -> str:
    """The absolute URL of a site-relative `url` (a root-relative path when no site_url is set)."""
    if not site_url:
        return "/" + url.lstrip("/")
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", url.lstrip("/"))


def atom_feed(
    entries: Sequence[Entry],
    *,
    title: str,
    feed_url: str,
    page_url: str,
    site_url: str | None,
    summary: Callable[[Entry], str],
    community_titles: dict[str, str],
) -> str:
    """An Atom 1.0 document of the newest entries; `feed_url` and `page_url` are site-relative."""
    ET.register_namespace("", ATOM)
    newest = heapq.nlargest(FEED_LENGTH, entries, key=lambda e: (e.date, e.title, e.source))
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", absolute(site_url, feed_url))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=absolute(site_url, feed_url))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=absolute(site_url, page_url))
    # The feed changes when its newest entry does: derived from content, so builds are reproducible.
    _text(feed, "updated", _timestamp(newest[0].date if newest else dt.date(1970, 1, 1)))
    _text(feed, "generator", "cop-memory")
    for entry in newest:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = absolute(site_url, entry.url)
        _text(item, "title", entry.title)
        _text(item, "id", url)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
        _text(item, "updated", _timestamp(entry.date))
        _text(item, "published", _timestamp(entry.date))
        author = ET.SubElement(item, f"{{{ATOM}}}author")
        _text(author, "name", ", ".join(entry.reporters) or community_titles.get(entry.community, entry.community))
        _text(item, "summary", summary(entry))
        for cycle in entry.cycles:
            ET.SubElement(item, f"{{{ATOM}}}category", term=cycle, label=CYCLE_INFO[cycle].label)
        for tag in entry.tags:
            ET.SubElement(item, f"{{{ATOM}}}category", term=xml_text(tag))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = xml_text(text)
    return element


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: the control characters and non-characters it forbids are dropped."""
    return _NOT_XML.sub("", text)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
