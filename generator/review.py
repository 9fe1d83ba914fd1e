"""Checks that judge what was read: slugs that collide, unsafe HTML, names in slugs, links across the line.

`review()` runs after the loader and before the audience stage. An entry a
check fails is moved from `entries` to `failed` with a problem naming it, so
every build still adds up; warnings leave the entry in.
"""

from __future__ import annotations

import difflib
import posixpath
from dataclasses import replace

from . import follows, links, sources
from .framework import PROMPT_PLACEHOLDER
from .loader import shown_path
from .memo import Memo
from .names import ProtectedNames
from .model import Community, Entry, Memory
from .problem import Problem
from .sanitize import find_unsafe_html
from .slugs import file_slug


def review(memory: Memory, memo: Memo | None = None) -> Memory:
    """The memory after the checks; entries they fail are left out. `memo` keeps per-entry results across serve rebuilds."""
    memo = memo if memo is not None else Memo(enabled=False)
    show = shown_path(memory.display_dir)
    problems: list[Problem] = []
    failed: set[str] = set()
    for community in memory.communities.values():
        problems += memo(f"review {community.source}", (community,),
                         lambda c=community: find_unsafe_html(c.body, show(c.source), c.body_line))
    for found in memo.each("review", memory.entries,
                           lambda e: _unsafe_html(e, show(e.source)) + _left_unfinished(e, show(e.source))):
        problems += found
    problems += _slug_collisions(memory.entries, show, failed)
    problems += _names_in_slugs(memory, show, failed)
    problems += _links_across_the_line(memory, show, memo)
    problems += _alias_collisions(memory.entries, show, failed)
    problems += _references(memory, show, failed)
    problems += _source_links(memory, show, memo)
    if not problems:
        return memory
    return replace(
        memory,
        entries=[e for e in memory.entries if e.source not in failed],
        failed=sorted(set(memory.failed) | failed),
        problems=sorted(memory.problems + problems, key=lambda p: (p.path, p.line)),
    )


def _unsafe_html(entry: Entry, path: str) -> list[Problem]:
    """Warnings for raw HTML that never reaches the output, in the entry's body, title and statements."""
    problems = find_unsafe_html(entry.body, path, entry.body_line)
    problems += find_unsafe_html(entry.title, path, entry.lines.get("title", 1), "title")
    for cycle, statements in entry.cycles.items():
        line = entry.lines.get(f"cycles.{cycle}", entry.lines.get("cycles", 1))
        for statement in statements:
            problems += find_unsafe_html(statement.text, path, line, "cycles")
            if statement.source:
                problems += find_unsafe_html(statement.source, path, line, "cycles")
    if entry.showcase:
        problems += find_unsafe_html(entry.showcase, path, entry.lines.get("showcase", 1), "showcase")
    return problems


def _left_unfinished(entry: Entry, path: str) -> list[Problem]:
    """Warnings for a template left unfinished: its placeholder answers, and a story with no indicator statement."""
    problems = []
    if PROMPT_PLACEHOLDER in entry.body:
        for offset, line in enumerate(entry.body.split("\n")):
            if PROMPT_PLACEHOLDER in line:
                problems.append(Problem(path, entry.body_line + offset, "body",
                                        "the template's placeholder answer is still here; it would be published",
                                        found=repr(PROMPT_PLACEHOLDER), expected="your answer, or nothing",
                                        suggestion="answer the question above it, or delete both", severity="warning"))
    if entry.kind == "story" and entry.cycles and not any(entry.cycles.values()):
        problems.append(Problem(path, entry.lines.get("cycles", 1), "cycles",
                                "the story names its cycles but gives no indicator statement: its matrix row "
                                "shows only ticks", expected="applied: What changed", found="cycles without statements",
                                suggestion="write one line per cycle saying what it shows", severity="warning"))
    return problems


def _slug_collisions(entries: list[Entry], show, failed: set[str]) -> list[Problem]:
    """Two entries of one community with one slug: both are left out, each report names the other."""
    by_slug: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        # Case folded: on a case-insensitive disk (macOS, Windows) Foo/ and foo/ are one folder.
        by_slug.setdefault((entry.community, entry.slug.casefold()), []).append(entry)
    problems = []
    for same in by_slug.values():
        if len(same) == 1:
            continue
        slug = same[0].slug
        for entry in same:
            others = ", ".join(show(e.source) for e in same if e is not entry)
            problems.append(Problem(show(entry.source), entry.lines.get("slug", 1), "slug",
                                    f"two entries share the slug {slug!r}: this one and {others}",
                                    suggestion="give one of them a different `slug:` or file name"))
            failed.add(entry.source)
    return problems


def _names_in_slugs(memory: Memory, show, failed: set[str]) -> list[Problem]:
    """A Chatham House entry whose URL, file path or linked attachment spells a protected name is an error.

    The URL and the file names would name them where the page does not: the
    entry is left out until the file is renamed or a neutral `slug:` is set.
    """
    problems = []
    attachments = {}
    for path in memory.attachments:
        attachments.setdefault(path.split("/", 2)[1], []).append(path)
    for entry in memory.entries:
        if entry.attribution != "chatham-house":
            continue
        names = ProtectedNames((*entry.people, *entry.reporters), entry.organisations)
        if not names:
            continue
        path = show(entry.source)
        for where, text in (("URL slug", entry.slug), ("file path", entry.source.split("/", 2)[2])):
            name = names.in_words(text)
            if name is not None:
                problems.append(Problem(
                    path, entry.lines.get("slug", 1), "slug",
                    f"the {where} spells a name protected by the Chatham House rule",
                    expected="a slug and file name without names", found=repr(text),
                    suggestion="rename the file and set a neutral `slug:`"))
                failed.add(entry.source)
                break
        for attachment in attachments.get(entry.community, ()):
            file_name = posixpath.basename(attachment)
            if file_name in entry.body and names.in_words(posixpath.splitext(file_name)[0]) is not None:
                offset = entry.body[: entry.body.index(file_name)].count("\n")
                problems.append(Problem(
                    path, entry.body_line + offset, "body",
                    f"the attachment {file_name} has a name protected by the Chatham House rule in its file name",
                    expected="a file name without names", found=repr(file_name),
                    suggestion="rename the file (and the link to it)"))
                failed.add(entry.source)
        # An old address keeps working (a redirect is published at it), so it would name them too.
        for alias in entry.aliases:
            if names.in_words(alias) is not None:
                problems.append(Problem(
                    path, entry.lines.get("aliases", 1), "aliases",
                    "an old address spells a name protected by the Chatham House rule",
                    expected="aliases without names", found=repr(alias),
                    suggestion="remove the alias: a redirect from it would publish the name"))
                failed.add(entry.source)
                break
    return problems


def _links_across_the_line(memory: Memory, show, memo: Memo) -> list[Problem]:
    """A public entry linking to a page the public build leaves out: reported (the public build unlinks it)."""
    pages = None
    problems = []
    public = [entry for entry in memory.entries if publicly_visible(entry, memory)]
    for entry, found in zip(public, memo.each("body links", public, lambda e: tuple(
            links.find_links(e.body, e.source, e.body_line)))):
        if found and pages is None:
            pages = page_index(memory)
        for link in found:
            target = links.page_for(link.resolved, pages) if link.resolved is not None else None
            if target is not None and not publicly_visible(target, memory):
                problems.append(Problem(
                    show(entry.source), link.line, "body",
                    f"public entry links to internal page {target.source}; "
                    "the public build shows the link text only",
                    suggestion="make the target public, or remove the link", severity="warning"))
    return problems


def page_index(memory: Memory) -> dict[str, Community | Entry]:
    """Every page of the memory under its source path and its URL, for resolving links."""
    pages: dict[str, Community | Entry] = {}
    for page in [*memory.communities.values(), *memory.entries]:
        pages[page.source] = page
        pages[page.url] = page
    return pages


def publicly_visible(page: Community | Entry, memory: Memory) -> bool:
    """Whether the public build shows a page: a public community, or a public entry of one."""
    if isinstance(page, Community):
        return page.is_public
    community = memory.communities.get(page.community)
    return community is not None and community.is_public and page.is_public


def _alias_collisions(entries: list[Entry], show, failed: set[str]) -> list[Problem]:
    """An alias that is another entry's slug or alias in the community: the entry (or entries) claiming it are left out."""
    claims: dict[tuple[str, str], list[tuple[Entry, int | None]]] = {}
    for entry in entries:
        claims.setdefault((entry.community, entry.slug), []).append((entry, None))
        for position, alias in enumerate(entry.aliases):
            claims.setdefault((entry.community, alias), []).append((entry, position))
    problems = []
    for (_, name), claimants in claims.items():
        if len(claimants) == 1 or all(position is None for _, position in claimants):
            continue  # one claim, or slugs only (a slug collision, reported on its own)
        for entry, position in claimants:
            if position is None:
                continue
            others = [(e, p) for e, p in claimants if e is not entry]
            if not others:
                continue
            named = ", ".join(f"the {'slug' if p is None else 'alias'} of {show(e.source)}" for e, p in others)
            problems.append(Problem(
                show(entry.source), entry.lines.get(f"aliases.{position}", entry.lines.get("aliases", 1)), "aliases",
                f"the alias {name!r} is also {named}: its old address would lead to two entries",
                expected="a former slug no other entry of the community uses", found=repr(name),
                suggestion="remove the alias from one of them"))
            failed.add(entry.source)
    return problems


def _references(memory: Memory, show, failed: set[str]) -> list[Problem]:
    """`follows`: each reference must name an entry; a later-dated one is a warning, a circle of them an error."""
    live = [e for e in memory.entries if e.source not in failed]
    if not any(e.follows for e in live):
        return []
    index = follows.EntryIndex(live)
    # Entries with errors have no slug we can trust: their file names stand in, so a
    # reference to one is reported as such rather than as unknown.
    broken = {(source.split("/")[1], file_slug(source)): source for source in memory.failed if source.count("/") >= 2}
    broken_communities = {source.split("/")[1] for source in memory.failed_communities}
    slugs: dict[str, list[str]] = {}
    problems: list[Problem] = []
    graph: dict[str, list[str]] = {}
    left_out: set[str] = set()
    for entry in live:
        if not entry.follows:
            continue
        edges = graph[entry.source] = []
        for position, reference in enumerate(entry.follows):
            line = entry.lines.get(f"follows.{position}", entry.lines.get("follows", 1))
            key = follows.split_reference(reference, entry.community)
            target = index.by_slug.get(key)
            if target is None and key in index.by_alias:
                target = index.by_alias[key]
                problems.append(Problem(
                    show(entry.source), line, "follows",
                    f"{reference!r} is a former slug of {show(target.source)}",
                    expected="the entry's slug", found=repr(reference),
                    suggestion=f"write {_reference_to(target, entry)}", severity="warning"))
            if target is None:
                if key in broken or key[0] in broken_communities:
                    where = broken.get(key) or f"communities/{key[0]}/index.md"
                    problems.append(Problem(
                        show(entry.source), line, "follows",
                        f"{reference!r} names an entry left out because of errors ({show(where)})",
                        suggestion="fix the errors reported for that file", severity="warning"))
                    continue
                problems.append(_unknown_reference(entry, reference, key, line, memory, slugs, show))
                left_out.add(entry.source)
                continue
            edges.append(target.source)
            if target.date > entry.date:
                problems.append(Problem(
                    show(entry.source), line, "follows",
                    f"{reference!r} is dated {target.date.isoformat()}, after this entry",
                    expected=f"an entry dated on or before {entry.date.isoformat()}",
                    found=f"{show(target.source)}, dated {target.date.isoformat()}",
                    suggestion="an entry builds on earlier ones: check both dates, or move the reference to "
                               "the later entry", severity="warning"))
            if publicly_visible(entry, memory) and not publicly_visible(target, memory):
                problems.append(Problem(
                    show(entry.source), line, "follows",
                    f"public entry follows internal entry {target.source}; the public build shows neither its "
                    "title nor its address", suggestion="make the earlier entry public, or remove the reference",
                    severity="warning"))
    by_source = {e.source: e for e in live}
    for circle in follows.circles(graph):
        members = set(circle)
        names = ", ".join(show(source) for source in circle)
        for source in circle:
            entry = by_source[source]
            position = next(i for i, r in enumerate(entry.follows)
                            if (t := index.find(follows.split_reference(r, entry.community))) is not None
                            and t.source in members)
            problems.append(Problem(
                show(source), entry.lines.get(f"follows.{position}", entry.lines.get("follows", 1)), "follows",
                f"these entries follow each other in a circle: {names}; each of them is left out",
                expected="references to earlier entries only", found="a circle",
                suggestion="remove the reference that points back to a later entry"))
            left_out.add(source)
    failed |= left_out
    return problems


def _reference_to(target: Entry, entry: Entry) -> str:
    """How `entry` would name `target` in its `follows`."""
    return target.slug if target.community == entry.community else follows.canonical(target)


def _unknown_reference(entry: Entry, reference: str, key: tuple[str, str], line: int, memory: Memory,
                       slugs: dict[str, list[str]], show) -> Problem:
    """The error for a reference that names no entry, with the nearest slug (or community) as a suggestion."""
    cid, slug = key
    if cid not in memory.communities:
        close = difflib.get_close_matches(cid, sorted(memory.communities), n=1, cutoff=0.5)
        return Problem(show(entry.source), line, "follows", f"{reference!r} names no community of the memory",
                       expected="<slug>, or <community>/<slug> with a community's folder name",
                       found=repr(cid),
                       suggestion=f"did you mean '{close[0]}/{slug}'?" if close
                       else f"communities are {', '.join(sorted(memory.communities)) or 'none yet'}")
    if not slugs:
        for other in memory.entries:
            slugs.setdefault(other.community, []).append(other.slug)
    close = difflib.get_close_matches(slug, sorted(slugs.get(cid, ())), n=1, cutoff=0.5)
    prefix = "" if cid == entry.community else f"{cid}/"
    return Problem(show(entry.source), line, "follows", f"{reference!r} names no entry of the memory",
                   expected=f"the slug of an entry of {cid}", found=repr(reference),
                   suggestion=f"did you mean '{prefix}{close[0]}'?" if close
                   else "write the entry's slug, the last part of its address")


def _source_links(memory: Memory, show, memo: Memo) -> list[Problem]:
    """A statement's `source` linking to something missing, or (from a public entry) to something internal."""
    pages = None
    attachments = None
    problems = []
    for entry, found in zip(memory.entries, memo.each("source links", memory.entries, sources.link_targets)):
        if not found:
            continue
        if pages is None:
            pages, attachments = page_index(memory), set(memory.attachments)
        for cycle, target_text, resolved in found:
            line = entry.lines.get(f"cycles.{cycle}", entry.lines.get("cycles", 1))
            target = links.page_for(resolved, pages)
            if target is None and resolved not in attachments:
                if resolved.startswith("communities/"):
                    problems.append(Problem(
                        show(entry.source), line, "cycles",
                        f"the source of a statement of {cycle!r} links to {resolved}, which is not "
                        "in the memory; it is shown as text", expected="a page or a file of the memory",
                        found=repr(target_text), suggestion="check the path: it is relative to this file",
                        severity="warning"))
                continue
            if not publicly_visible(entry, memory):
                continue
            hidden = (not publicly_visible(target, memory) if target is not None
                      else not _public_community_file(resolved, memory))
            if hidden:
                problems.append(Problem(
                    show(entry.source), line, "cycles",
                    f"the source of a statement of {cycle!r} in a public entry links to internal "
                    f"{'page' if target is not None else 'file'} {resolved}; the public build shows "
                    "the link text only", suggestion="make the target public, or remove the link",
                    severity="warning"))
    return problems


def _public_community_file(path: str, memory: Memory) -> bool:
    """Whether an attachment lies in a public community's folder."""
    parts = path.split("/")
    community = memory.communities.get(parts[1]) if len(parts) > 2 and parts[0] == "communities" else None
    return community is not None and community.is_public
