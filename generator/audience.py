"""The one place that decides what exists for an audience.

`publish()` runs before anything is assembled or rendered: it drops what the
audience may not see, applies the Chatham House rule, and unlinks links that
would cross the line. Every later stage (views, exports, feeds, the plugin's
file list) works only from the `Publication` it returns, so none of them can
show what this stage removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from . import follows, links, sources
from .framework import AUDIENCES, NEUTRAL_ORGANISATION, NEUTRAL_PERSON
from .memo import Memo
from .model import Community, Entry, Memory, Statement
from .problem import Problem
from .review import page_index
from .sanitize import strip_tags

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


def publish(memory: Memory, audience: str, memo: Memo | None = None) -> Publication:
    """What `audience` may see of a reviewed memory, redacted and with hidden links unlinked.

    With a `memo` (kept across `mkdocs serve` rebuilds), an entry or community it
    rewrites comes back as the very object it gave last time while its source
    object and what is hidden stay the same, so later stages can reuse their work.
    """
    memo = memo or Memo(enabled=False)
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
    pages = page_index(memory)
    hidden = {page.source for page in pages.values() if page.source not in sources}
    hidden |= set(memory.failed) | set(memory.failed_communities)
    publication = Publication(
        audience=audience,
        communities=communities,
        entries=visible,
        attachments=[],
        sources=sources,
        read=len(memory.entries) + len(memory.failed),
        left_out_internal=len(memory.entries) - len(visible),
        with_errors=len(memory.failed),
        problems=list(memory.problems),
        pages=pages,
        hidden=hidden,
    )
    # One token for what is hidden, the same object while the set stays the same.
    hidden_token = memo(f"hidden {audience}", tuple(sorted(hidden)), object)

    def unlinked(page: Page) -> Page:
        if not public:
            return page
        body = links.unlink(page.body, page.source, publication.is_hidden)
        return page if body == page.body else replace(page, body=body)

    def published(page: Page, rewrite: Callable[[Page], Page]) -> Page:
        name, inputs = f"{audience} {page.source}", (page, hidden_token)
        kept = memo.get(name, inputs)
        if kept is not None:
            return kept
        result = rewrite(page)
        # Only what was rewritten is kept: the rest passes through as the same object anyway.
        return result if result is page else memo.keep(name, inputs, result)

    entries = [published(e, lambda e: unlinked(_plain_text_fields(redact(e)))) for e in visible]
    communities = {cid: published(c, unlinked) for cid, c in communities.items()}
    publication.communities = communities
    publication.attachments = _attachments(memory, communities, entries, public)
    # Attachments left out are hidden too: a hand-written page must not link them.
    publication.hidden |= set(memory.attachments) - set(publication.attachments)
    publication.entries = _visible_links(entries, memory, publication, hidden_token, memo)
    publication.communities = {cid: _aims_with_visible_sources(c, publication, hidden_token, memo)
                               for cid, c in communities.items()}
    return publication


def redact(entry: Entry) -> Entry:
    """The entry with Chatham House names replaced by neutral labels (named entries unchanged)."""
    if entry.attribution != "chatham-house":
        return entry
    people = set(entry.people) | set(entry.reporters)
    pairs = [(name, NEUTRAL_PERSON) for name in people] + [
        (name, NEUTRAL_ORGANISATION) for name in entry.organisations
    ]
    # Longest first, so "Dana Whitfield" goes before a bare "Dana".
    pairs = [(n.strip(), label) for n, label in pairs if n and n.strip()]
    pairs.sort(key=lambda pair: -len(pair[0]))
    if not pairs:
        return entry
    names = "|".join(r"\s+".join(map(re.escape, name.split())) for name, _ in pairs)
    # An article before a name goes with it: "the Harbour Trust" -> "an organisation".
    pattern = re.compile(rf"(?<!\w)(?:(?:the|a|an)\s+)?(?P<name>{names})(?!\w)", re.IGNORECASE)
    labels = {" ".join(name.split()).casefold(): label for name, label in pairs}

    def swap(text: str) -> str:
        def label(match: re.Match) -> str:
            neutral = labels[" ".join(match.group("name").split()).casefold()]
            before = text[max(0, match.start() - 8) : match.start()].rstrip(" *_")
            has_article = match.start() != match.start("name")
            # Capitalise at the start of a sentence, or where a capitalised article stood.
            if (match.start() == 0 or (before and before[-1] in ".!?\n:")) or (has_article and match.group(0)[0].isupper()):
                neutral = neutral[0].upper() + neutral[1:]
            return neutral

        return pattern.sub(label, text)

    return replace(
        entry,
        title=swap(entry.title),
        body=swap(entry.body),
        showcase=swap(entry.showcase) if entry.showcase else entry.showcase,
        cycles={cycle: tuple(_rewrite(s, swap) for s in statements) for cycle, statements in entry.cycles.items()},
        tags=tuple(dict.fromkeys(swap(t) for t in entry.tags)),
        people=(NEUTRAL_PERSON,) * bool(entry.people),
        reporters=(NEUTRAL_PERSON,) * bool(entry.reporters),
        organisations=(NEUTRAL_ORGANISATION,) * bool(entry.organisations),
    )


def _plain_text_fields(entry: Entry) -> Entry:
    """The entry with markup removed from one-line fields (the body is sanitised after rendering)."""
    if not _has_markup(entry):
        return entry
    return replace(
        entry,
        title=strip_tags(entry.title),
        showcase=strip_tags(entry.showcase) if entry.showcase else entry.showcase,
        cycles={c: tuple(_rewrite(s, strip_tags) for s in st) for c, st in entry.cycles.items()},
        tags=tuple(strip_tags(t) for t in entry.tags),
    )


def _rewrite(statement: Statement, rewrite: Callable[[str], str]) -> Statement:
    """A statement with its text and source rewritten (its evidence kind stays)."""
    source = rewrite(statement.source) if statement.source else statement.source
    return statement._replace(text=rewrite(statement.text), source=source)


def _has_markup(entry: Entry) -> bool:
    """Whether a one-line field (title, tag, statement) holds a tag."""
    # Plain loops: this runs for every entry of every build.
    if "<" in entry.title or (entry.showcase and "<" in entry.showcase):
        return True
    for tag in entry.tags:
        if "<" in tag:
            return True
    for statements in entry.cycles.values():
        for statement in statements:
            if "<" in statement.text:
                return True
    return False


def _attachments(
    memory: Memory, communities: dict[str, Community], entries: list[Entry], public: bool
) -> list[str]:
    """Attachments of published communities; in public, only those a published page references."""
    prefixes = tuple(f"communities/{cid}/" for cid in communities)
    candidates = [a for a in memory.attachments if a.startswith(prefixes)]
    if not public:
        return candidates
    referenced: set[str] = set()
    for page in [*communities.values(), *entries]:
        referenced |= links.referenced_paths(page.body, page.source)
    # A statement's source shows on its entry's page: a file it links to is referenced by that page.
    for entry in entries:
        for statements in entry.cycles.values():
            for statement in statements:
                if statement.source:
                    referenced |= links.referenced_paths(statement.source, entry.source)
    return [a for a in candidates if a in referenced]


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
