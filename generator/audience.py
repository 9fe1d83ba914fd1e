"""The one place that decides what exists for an audience.

`publish()` runs before anything is assembled or rendered: it drops what the
audience may not see, applies the Chatham House rule, and lists every target
(page or file) the build leaves out, so that links to them can be taken out of
the rendered pages (see targets.py). Every later stage (views, exports, feeds,
the plugin's file list) works only from the `Publication` it returns, so none
of them can show what this stage removed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from . import follows, links, sources
from .framework import AUDIENCES, NEUTRAL_ORGANISATION, NEUTRAL_PERSON
from .memo import Memo
from .model import Community, Entry, Memory, Statement
from .names import ProtectedNames
from .problem import Problem
from .loader import shown_path
from .review import page_index
from .targets import page_url

#: attachments a browser would open as a document that can run script (SVG is cleaned instead, see sanitize.py)
SCRIPTABLE = (".html", ".htm", ".xhtml", ".xht", ".xml", ".xsl", ".xslt", ".svgz", ".mht", ".mhtml", ".shtml")

#: a community or an entry: what publish() may rewrite
Page = TypeVar("Page", Community, Entry)


@dataclass
class Publication:
    """What one audience's build holds: communities, entries, attachments, and the tally."""

    audience: str
    communities: dict[str, Community]
    entries: list[Entry]
    attachments: list[str]
    #: docs-relative sources (entries and community index files) this build publishes
    sources: set[str]
    read: int
    #: entries left out because this audience may not see them (the summary's "internal")
    left_out_internal: int
    with_errors: int
    problems: list[Problem] = field(default_factory=list)
    #: every page (community or entry) of the memory, under its source path and URL
    pages: dict[str, Community | Entry] = field(default_factory=dict, repr=False)
    #: docs-relative paths of pages and attachments this build leaves out
    hidden: set[str] = field(default_factory=set, repr=False)
    #: site paths of what this build leaves out: pages' URLs, attachments' paths, and their sources
    hidden_targets: set[str] = field(default_factory=set, repr=False)
    #: hand-written pages (outside communities/) this build leaves out
    hidden_pages: set[str] = field(default_factory=set, repr=False)
    #: the same object while what is hidden stays the same (kept results key on it)
    hidden_token: object = field(default=None, repr=False)
    #: entry source -> the names its page must not show (Chatham House entries only)
    protected: dict[str, ProtectedNames] = field(default_factory=dict, repr=False)

    def is_hidden(self, resolved: str) -> bool:
        """Whether a resolved link target names something this build leaves out."""
        page = links.page_for(resolved, self.pages)
        if page is not None:
            return page.source in self.hidden
        return resolved in self.hidden

    @property
    def published(self) -> int:
        """How many entries this build publishes."""
        return len(self.entries)

    def summary(self) -> str:
        """The contract's one-line build summary, after the logger's `cop-memory: `; the numbers always add up."""
        return (
            f"{self.audience} build: {len(self.communities)} communities, "
            f"{self.read} entries read, {self.published} published, "
            f"{self.left_out_internal} internal, {self.with_errors} with errors"
        )


def publish(memory: Memory, audience: str, memo: Memo | None = None, *,
            pages: dict[str, str] | None = None) -> Publication:
    """What `audience` may see of a reviewed memory, redacted, with every left-out target listed.

    `pages` gives the visibility of hand-written pages outside `communities/`
    (source -> "public" or "internal"); the public build leaves out the internal
    ones. With a `memo` (kept across `mkdocs serve` rebuilds), an entry it
    rewrites comes back as the very object it gave last time while its source
    object stays the same, so later stages can reuse their work.
    """
    memo = memo if memo is not None else Memo(enabled=False)
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    public = audience == "public"
    communities = {
        cid: c for cid, c in memory.communities.items() if not public or c.is_public
    }
    visible = [
        e for e in memory.entries if e.community in communities and (not public or e.is_public)
    ]
    sources = {c.source for c in communities.values()} | {e.source for e in visible}
    index = page_index(memory)
    hidden = {page.source for page in index.values() if page.source not in sources}
    hidden |= set(memory.failed) | set(memory.failed_communities)
    hidden_pages = {source for source, visibility in (pages or {}).items() if public and visibility == "internal"}
    prefixes = tuple(f"communities/{cid}/" for cid in communities)
    # Attachments of the published communities may be published: the plugin keeps those a
    # published page links to or embeds (decided on the rendered pages). The others are hidden.
    candidates = [a for a in memory.attachments if a.startswith(prefixes)]
    problems = list(memory.problems)
    if public:
        # A document a browser runs script in (HTML, XML) cannot be made safe to open from the site.
        refused = [a for a in candidates if a.lower().endswith(SCRIPTABLE)]
        candidates = [a for a in candidates if a not in refused]
        problems += [Problem(shown_path(memory.display_dir)(a), 1, "file",
                             "a document a browser can run script in is left out of the public build",
                             expected="a PDF, an image or a page of the shared memory", found=posixpath.splitext(a)[1],
                             suggestion="turn it into a PDF or an entry", severity="warning") for a in refused]
    hidden_files = set(memory.attachments) - set(candidates)
    targets = {page.url for page in index.values() if page.source in hidden}
    targets |= {page_url(source) for source in hidden if source.endswith(".md")}
    targets |= hidden | hidden_files | hidden_pages | {page_url(source) for source in hidden_pages}
    publication = Publication(
        audience=audience,
        communities=communities,
        entries=visible,
        attachments=candidates,
        sources=sources,
        read=len(memory.entries) + len(memory.failed),
        left_out_internal=len(memory.entries) - len(visible),
        with_errors=len(memory.failed),
        problems=problems,
        pages=index,
        hidden=hidden | hidden_files | hidden_pages,
        hidden_targets=targets,
        hidden_pages=hidden_pages,
    )
    publication.hidden_token = memo(f"hidden {audience}", tuple(sorted(targets)), object)

    def published(entry: Entry) -> Entry:
        if not protected_names(entry):
            return entry  # nothing to redact: the same object (the common case, thousands per build)
        kept = memo.get(f"{audience} {entry.source}", (entry,))
        if kept is not None:
            return kept
        result = redact(entry)
        # Only what was rewritten is kept: the rest passes through as the same object anyway.
        return result if result is entry else memo.keep(f"{audience} {entry.source}", (entry,), result)

    publication.entries = _visible_links([published(e) for e in visible], memory, publication,
                                         publication.hidden_token, memo)
    publication.communities = {cid: _aims_with_visible_sources(c, publication, publication.hidden_token, memo)
                               for cid, c in communities.items()}
    for entry in visible:
        names = protected_names(entry)
        if names:
            publication.protected[entry.source] = names
    return publication


#: what a named entry protects: nothing (one object for all of them; it is never changed)
_NO_NAMES = ProtectedNames((), ())


def protected_names(entry: Entry) -> ProtectedNames:
    """The names an entry protects under the Chatham House rule (none for a named entry)."""
    if entry.attribution != "chatham-house":
        return _NO_NAMES
    return ProtectedNames((*entry.people, *entry.reporters), entry.organisations)


def redact(entry: Entry) -> Entry:
    """The entry with Chatham House names replaced by neutral labels in every text (named entries unchanged)."""
    names = protected_names(entry)
    if not names:
        return entry
    swap = names.redact
    return replace(
        entry,
        title=swap(entry.title),
        body=swap(entry.body),
        cycles={cycle: tuple(_rewrite(s, swap) for s in statements) for cycle, statements in entry.cycles.items()},
        tags=tuple(dict.fromkeys(swap(t) for t in entry.tags)),
        showcase=swap(entry.showcase) if entry.showcase else entry.showcase,
        people=(NEUTRAL_PERSON,) * bool(entry.people),
        reporters=(NEUTRAL_PERSON,) * bool(entry.reporters),
        organisations=(NEUTRAL_ORGANISATION,) * bool(entry.organisations),
    )


def _rewrite(statement: Statement, rewrite: Callable[[str], str]) -> Statement:
    """A statement with its text and source rewritten (its evidence kind stays)."""
    source = rewrite(statement.source) if statement.source else statement.source
    return statement._replace(text=rewrite(statement.text), source=source)


def _visible_links(entries: list[Entry], memory: Memory, publication: Publication, hidden_token,
                   memo: Memo) -> list[Entry]:
    """Entries whose `follows` name only entries this build publishes, and whose statement sources link only
    to what it publishes or to the web (see `sources.published_source`).

    A `follows` that already names published entries by their slugs is kept as written; one that names a
    hidden or missing entry, or a former slug, is rewritten to the `<community>/<slug>` of the published
    entries it names. An entry nothing changes for is passed on as the same object.
    """
    index = follows.EntryIndex(memory.entries) if any(e.follows for e in entries) else None
    pages = publication.pages
    result = []
    for entry in entries:
        with_sources = any(s.source for statements in entry.cycles.values() for s in statements)
        if not entry.follows and not with_sources:
            result.append(entry)
            continue
        targets = index.targets(entry) if index is not None and entry.follows else []
        found = memo(f"source links {publication.audience} {entry.source}", (entry,),
                     lambda e=entry: sources.link_targets(e)) if with_sources else ()
        linked = tuple(page for page in (links.page_for(resolved, pages) for _, _, resolved in found)
                       if page is not None)
        # The same object across serve rebuilds while the entry, what is hidden and what it names stay the same.
        name, inputs = f"links {publication.audience} {entry.source}", (entry, hidden_token, *targets, *linked)
        # Kept even when it is the entry itself: deciding that took rendering its sources.
        result.append(memo(name, inputs, lambda e=entry, t=targets: _with_visible_links(
            e, index, t, publication, with_sources)))
    return result


def _with_visible_links(entry: Entry, index: follows.EntryIndex | None, targets: list[Entry],
                        publication: Publication, with_sources: bool) -> Entry:
    """The entry with its follows and statement sources as this build may show them (itself if nothing changes)."""
    changes = {}
    if entry.follows:
        visible = [t for t in targets if t.source in publication.sources]
        as_written = len(visible) == len(entry.follows) and all(
            index.by_slug.get(follows.split_reference(reference, entry.community)) is target
            for reference, target in zip(entry.follows, visible))
        if not as_written:
            changes["follows"] = tuple(follows.canonical(t) for t in visible)
    if with_sources:
        pages = publication.pages
        cycles = {cycle: tuple(s._replace(source=sources.published_source(
                      s.source, entry.source, publication.is_hidden,
                      lambda resolved: sources.site_url_of(resolved, pages))) if s.source else s
                      for s in statements)
                  for cycle, statements in entry.cycles.items()}
        if cycles != entry.cycles:
            changes["cycles"] = cycles
    return replace(entry, **changes) if changes else entry


def _aims_with_visible_sources(community: Community, publication: Publication, hidden_token, memo: Memo) -> Community:
    """The community with the sources of its aims as this build may show them, like entries' (rarely any)."""
    if not any(s.source for aims in community.aims.values() for s in aims):
        return community
    pages = publication.pages

    def rewrite() -> Community:
        aims = {cycle: tuple(s._replace(source=sources.published_source(
                    s.source, community.source, publication.is_hidden,
                    lambda resolved: sources.site_url_of(resolved, pages))) if s.source else s for s in statements)
                for cycle, statements in community.aims.items()}
        return replace(community, aims=aims)

    return memo(f"aims {publication.audience} {community.source}", (community, hidden_token), rewrite)
