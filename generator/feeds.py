"""Atom feeds of a shared memory: the network's and each community's, every entry, newest first.

A feed holds every entry of its scope (a reader subscribing late still gets
the whole memory), names each reporter as an author (Chatham House names
arrive already redacted), and carries an `updated` date from the content's
history (`changes.py`), so an edit reaches readers and two builds of one
commit are identical. An XSLT stylesheet (`cop-memory/feed.xsl`) lets a
browser show the feed as a page. Links are absolute under site_url; without
one they are relative to the feed, so a site under a path still works.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from . import urls
from .model import CYCLE_INFO, Entry

ATOM = "http://www.w3.org/2005/Atom"
#: The stylesheet that shows a feed as a page in a browser, site-relative.
STYLESHEET = "cop-memory/feed.xsl"
#: Characters XML 1.0 forbids anywhere in a document: dropped from feed text.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def atom_feed(
    entries: Sequence[Entry],
    *,
    title: str,
    feed_url: str,
    page_url: str,
    site_url: str | None,
    summary: Callable[[Entry], str],
    community_titles: dict[str, str],
    updated: Callable[[Entry], dt.datetime] | None = None,
    kept: dict[str, tuple] | None = None,
    depends: Callable[[Entry], tuple] | None = None,
) -> str:
    """An Atom 1.0 document of every entry, newest first; `feed_url` and `page_url` are site-relative.

    With `kept` (entry source -> the entry, `depends(entry)`, its date and its `<entry>` text, from
    the last time with the same other arguments), an entry that is the same object, with what
    `depends` gives the same objects, is not written again: a `mkdocs serve` rebuild after one edit
    redraws one entry of a feed that holds thousands. `depends(entry)` must stand for everything
    `summary` and `updated` read besides the entry, and its community's title.
    """

    base = urls.absolute(site_url, "")

    def link(to: str) -> str:
        # Site-relative URLs are plain paths: joining them onto site_url is concatenation.
        return base + to if base else urls.from_file(feed_url, to)

    changed = updated or (lambda entry: _midnight(entry.date))
    newest = sorted(entries, key=lambda e: (e.date, e.title, e.source), reverse=True)
    if kept is not None and depends is None:
        raise ValueError("kept needs depends: what else an entry's part is drawn from")
    # The feed's own date is the newest of its entries' (written once they are known).
    newest_stamp = _EPOCH
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<?xml-stylesheet type="text/xsl" href="{_attr(urls.from_file(feed_url, STYLESHEET))}"?>\n',
        f'<feed xmlns="{ATOM}">\n',
        f"  <title>{_text(title)}</title>\n",
        f"  <id>{_text(link(feed_url))}</id>\n",
        f'  <link rel="self" href="{_attr(link(feed_url))}" />\n',
        f'  <link rel="alternate" type="text/html" href="{_attr(link(page_url))}" />\n',
        "",  # <updated>
        "  <generator>cop-memory</generator>\n",
    ]
    # At thousands of entries the same few categories and dates recur: each is written once.
    categories: dict[tuple[str, str], str] = {}
    times: dict[dt.datetime, str] = {}

    def category(kind: str, term: str) -> str:
        found = categories.get((kind, term))
        if found is None:
            if kind == "community":
                label = community_titles.get(term, term)
                found = f'<category term="{_attr(term)}" scheme="{_attr(link("communities/"))}" label="{_attr(label)}" />'
            elif kind == "cycle":
                found = (f'<category term="{_attr(term)}" scheme="{_attr(link("value-creation/"))}" '
                         f'label="{_attr(CYCLE_INFO[term].label)}" />')
            else:
                found = f'<category term="{_attr(term)}" />'
            categories[(kind, term)] = found
        return found

    def timestamp(moment: dt.datetime) -> str:
        found = times.get(moment)
        if found is None:
            found = times[moment] = _timestamp(moment)
        return found

    for entry in newest:
        if kept is not None:
            marks = depends(entry)
            hit = kept.get(entry.source)
            if hit is not None and hit[0] is entry and hit[1] == marks:
                newest_stamp = max(newest_stamp, hit[2])
                out.append(hit[3])
                continue
        stamp = changed(entry)
        newest_stamp = max(newest_stamp, stamp)
        text = summary(entry)
        url = _attr(link(entry.url))
        day = _midnight(entry.date)
        parts = [f"  <entry>\n    <title>{_text(entry.title)}</title>\n    <id>{url}</id>\n"
                 f'    <link rel="alternate" type="text/html" href="{url}" />\n'
                 f"    <published>{timestamp(day)}</published>\n"
                 f"    <updated>{timestamp(max(stamp, day))}</updated>\n"]
        for name in entry.reporters or (community_titles.get(entry.community, entry.community),):
            parts.append(f"    <author>\n      <name>{_text(name)}</name>\n    </author>\n")
        parts.append(f"    <summary>{_text(text)}</summary>\n    {category('community', entry.community)}\n")
        for cycle in entry.cycles:
            parts.append(f"    {category('cycle', cycle)}\n")
        for tag in entry.tags:
            parts.append(f"    {category('tag', tag)}\n")
        parts.append("  </entry>\n")
        written = "".join(parts)
        out.append(written)
        if kept is not None:
            kept[entry.source] = (entry, marks, stamp, written)
    if kept is not None and len(kept) > len(newest):  # entries that left the feed
        current = {entry.source for entry in newest}
        for source in [source for source in kept if source not in current]:
            del kept[source]
    out[7] = f"  <updated>{_timestamp(newest_stamp)}</updated>\n"
    out.append("</feed>\n")
    return "".join(out)


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: the control characters and non-characters it forbids are dropped."""
    # isprintable() is false for every forbidden character (and for tabs and line breaks): the
    # regular expression runs only on the few texts that may hold one.
    return text if text.isprintable() else _FORBIDDEN.sub("", text)


def _text(text: str) -> str:
    """Text for an element: forbidden characters dropped, markup escaped."""
    return xml_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """Text for a double-quoted attribute; line breaks and tabs kept as references, not normalised away."""
    return (_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
