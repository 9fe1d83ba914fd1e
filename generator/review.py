"""Checks that judge what was read: slugs that collide, unsafe HTML, names in slugs, links across the line.

`review()` runs after the loader and before the audience stage. An entry a
check fails is moved from `entries` to `failed` with a problem naming it, so
every build still adds up; warnings leave the entry in.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from . import links
from .framework import PROMPT_PLACEHOLDER
from .loader import shown_path
from .memo import Memo
from .names import ProtectedNames
from .model import Community, Entry, Memory
from .problem import Problem
from .sanitize import find_unsafe_html


def review(memory: Memory, memo: Memo | None = None) -> Memory:
    """The memory after the checks; entries they fail are left out. `memo` keeps per-entry results across serve rebuilds."""
    memo = memo if memo is not None else Memo(enabled=False)
    show = shown_path(memory.display_dir)
    problems: list[Problem] = []
    failed: set[str] = set()
    for community in memory.communities.values():
        problems += memo(f"review {community.source}", (community,),
                         lambda c=community: find_unsafe_html(c.body, show(c.source), c.body_line))
    for entry in memory.entries:
        problems += memo(f"review {entry.source}", (entry,),
                         lambda e=entry: _unsafe_html(e, show(e.source)) + _left_unfinished(e, show(e.source)))
    problems += _slug_collisions(memory.entries, show, failed)
    problems += _names_in_slugs(memory, show, failed)
    problems += _links_across_the_line(memory, show)
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
    return problems


def _links_across_the_line(memory: Memory, show) -> list[Problem]:
    """A public entry linking to a page the public build leaves out: reported (the public build unlinks it)."""
    pages = page_index(memory)
    problems = []
    for entry in memory.entries:
        if not publicly_visible(entry, memory):
            continue
        for link in links.find_links(entry.body, entry.source, entry.body_line):
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


