"""Read a docs folder into the content model: walk the community folders, parse each file, assemble.

A broken file is reported and left out; it never stops the others. Checks that
judge the content rather than read it (slugs that collide, unsafe HTML, names
under the Chatham House rule) are `review.py`'s; what an audience may see is
`audience.py`'s. Parses are kept between `mkdocs serve` rebuilds by
`parse_cache.ParseCache`, and between runs, by content, in a `parse_cache.ParseStore`.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import replace
from pathlib import Path

from . import frontmatter
from .fields import CHARTER, ENTRY, describe, fields_of, read_fields
from .framework import RESERVED_SLUGS, VISIBILITIES
from .model import Community, Entry, Memory
from .parse_cache import Key, ParseCache, Parsed, ParseStore, Stamp, digest
from .problem import Problem
from .slugs import SLUG_FIELD, file_slug, slugify
from .targets import MARKDOWN_EXTENSIONS

#: front-matter keys whose lines later checks report on; an entry is kept for the whole build, so only these
_REPORTED_LINES = frozenset({"title", "slug", "cycles", "follows", "aliases", "showcase"})


class Loader:
    """Reads a docs folder into a Memory; with a cache, re-reads only the files that changed."""

    def __init__(self, *, cache: bool = True) -> None:
        self.cache = ParseCache(enabled=cache)
        #: how many files were parsed (not served from a cache or the store), for tests and the benchmark
        self.parses = 0
        #: how many loads this loader has done
        self.loads = 0
        self._store: ParseStore | None = None

    def forget(self) -> None:
        """Drop every kept parse: the next load reads every file again."""
        self.cache.forget()

    def load(self, docs_dir: str | os.PathLike, display_dir: str | None = None, *,
             store: str | os.PathLike | None = None) -> Memory:
        """Read every community and entry below `docs_dir`/communities; `store`: a folder that keeps parses between runs."""
        docs = str(Path(docs_dir))
        display = (display_dir if display_dir is not None else str(docs_dir)).rstrip("/")
        self._store = ParseStore(store, docs, display) if store else None
        self.loads += 1
        try:
            memory = self._load(docs, display)
        finally:
            if self._store is not None:
                self._store.save()
                self._store = None
        return memory

    def _load(self, docs: str, display: str) -> Memory:
        memory = Memory(display_dir=display)
        root = os.path.join(docs, "communities")
        if not os.path.isdir(root):
            return memory
        seen_files: set[str] = set()
        seen_folders: set[str] = set()
        for cid in self._community_folders(root, display, memory):
            stamps: dict[str, Stamp] = {}
            unreadable: list[str] = []
            refused: list[str] = []
            _walk(os.path.join(root, cid), f"communities/{cid}", stamps, unreadable, refused)
            seen_files |= stamps.keys()
            seen_folders.add(cid)
            part = self._community_part(docs, cid, stamps, unreadable, refused, display)
            memory.communities.update(part.communities)
            memory.entries += part.entries
            memory.problems += part.problems
            memory.attachments += part.attachments
            memory.failed += part.failed
            memory.failed_communities += part.failed_communities
        if self.cache.enabled:
            self.cache.keep_only(docs, display, seen_files, seen_folders)
        memory.entries.sort(key=lambda e: e.source)
        memory.failed.sort()
        memory.problems.sort(key=lambda p: (p.path, p.line))
        return memory

    @staticmethod
    def _community_folders(root: str, display: str, memory: Memory) -> list[str]:
        """The community folders directly below communities/; anything else there is reported and left out."""
        show = shown_path(display)
        folders = []
        with os.scandir(root) as found:
            for item in sorted(found, key=lambda item: item.name):
                # communities/index.md is the Communities section's own page, the site's to write.
                if item.name.startswith(".") or item.name == "index.md" and not item.is_symlink():
                    continue
                path = f"communities/{item.name}"
                if item.is_symlink():
                    memory.problems.append(Problem(show(path), 1, "file", "a symbolic link in communities/ is not "
                                                   "read: it could publish another community's files",
                                                   expected="a real folder or file", found="a symbolic link",
                                                   suggestion="copy the files instead, or move them"))
                    if is_markdown(item.name):
                        memory.failed.append(path)
                elif item.is_dir():
                    folders.append(item.name)
                else:
                    memory.problems.append(Problem(show(path), 1, "file", "a file directly in communities/ "
                                                   "belongs to no community; it is left out",
                                                   suggestion="move it into a community's folder, "
                                                   "communities/<community>/"))
                    if is_markdown(item.name):
                        memory.failed.append(path)
        return folders

    def _community_part(self, docs: str, cid: str, stamps: dict[str, Stamp], unreadable: list[str],
                        refused: list[str], display: str) -> Memory:
        """What one community folder adds to the memory; the same as last time while none of its files changed."""
        key = (docs, cid, display)
        if not unreadable and not refused:
            kept = self.cache.folder(key, stamps)
            if kept is not None:
                return kept
        part = Memory(display_dir=display)
        self._load_community(docs, cid, stamps, unreadable, refused, display, part)
        self.cache.keep_folder(key, stamps, part)
        return part

    def _load_community(self, docs: str, cid: str, stamps: dict[str, Stamp], unreadable: list[str],
                        refused: list[str], display: str, memory: Memory) -> None:
        files = list(stamps)
        index = charter_path(cid)
        markdown = [f for f in files if f.endswith(".md") and f != index]
        other_markdown = [f for f in files if is_markdown(f) and not f.endswith(".md")]
        memory.attachments += [f for f in files if not is_markdown(f)]
        show = shown_path(display)
        for path in refused:
            memory.problems.append(Problem(show(path), 1, "file", "a symbolic link below communities/ is not "
                                           "read: it could publish another community's files",
                                           expected="a real folder or file", found="a symbolic link",
                                           suggestion="copy the file instead, or move it"))
            if is_markdown(path):
                memory.failed.append(path)
        for path in unreadable:
            memory.problems.append(Problem(show(path), 1, "folder", "the folder cannot be read; its files are left out",
                                           suggestion="check its permissions"))
        for path in other_markdown:
            stem = path[: path.rindex(".")]
            memory.problems.append(Problem(show(path), 1, "file", "entries are .md files; this one is left out",
                                           expected=".md", found=path[path.rindex("."):],
                                           suggestion=f"rename it to {posixpath.basename(stem)}.md"))
            memory.failed.append(path)
        if not SLUG_FIELD.fullmatch(cid):
            memory.problems.append(Problem(show(index), 1, "community",
                                           f"the folder name {cid!r} is used in URLs",
                                           expected="lower-case letters, digits and hyphens", found=cid,
                                           suggestion=f"rename the folder to {slugify(cid)!r}",
                                           severity="warning"))
        if index not in files:
            memory.problems.append(Problem(show(index), 1, "index.md",
                                           f"community folder {cid!r} has no index.md; its "
                                           f"{len(markdown)} entries are left out",
                                           expected="a charter with title: and domain:", found="no file",
                                           suggestion=f"create communities/{cid}/index.md"))
            memory.failed += markdown
            return
        parsed = self._parse(docs, index, stamps[index], display, cid)
        memory.problems += parsed.problems
        community = parsed.value
        if not isinstance(community, Community):
            memory.failed_communities.append(index)
            if markdown:
                memory.problems.append(Problem(show(index), 1, "community",
                                               f"the community has errors; its {len(markdown)} entries are left out",
                                               suggestion="fix the errors above"))
            memory.failed += markdown
            return
        memory.communities[cid] = community
        for source in markdown:
            parsed = self._parse(docs, source, stamps[source], display, cid)
            memory.problems += parsed.problems
            entry = parsed.value
            if not isinstance(entry, Entry):
                memory.failed.append(source)
                continue
            # Fields that default to the community's are filled here, not in the parse.
            if parsed.inherits_attribution and entry.attribution != community.attribution:
                entry = replace(entry, attribution=community.attribution)
                if self.cache.enabled:
                    parsed.value = entry
            memory.entries.append(entry)

    def _parse(self, docs: str, source: str, stamp: Stamp, display: str, cid: str) -> Parsed:
        key: Key = (docs, source, display)
        kept = self.cache.parse(key, stamp)
        if kept is not None:
            return kept
        raw = content = None
        if self._store is not None:
            read = frontmatter.read_bytes(os.path.join(docs, source))
            if isinstance(read, bytes):
                raw = read
                content = digest(raw)
                stored = self._store.get(source, content)
                if stored is not None:
                    parsed = Parsed(stamp, *stored[1:])
                    self.cache.keep_parse(key, parsed)
                    return parsed
        parsed = parse_file(docs, source, stamp, display, cid, raw=raw)
        self.parses += 1
        if content is not None:
            self._store.put(source, (content, parsed.value, parsed.problems, parsed.inherits_attribution))
        self.cache.keep_parse(key, parsed)
        return parsed


def page_visibility(docs_dir: str | os.PathLike, sources: list[str], display_dir: str = ""
                    ) -> tuple[dict[str, str], list[Problem]]:
    """The `visibility:` of hand-written pages (outside communities/): public unless they say internal.

    A page whose front matter cannot be read is treated as internal, so a mistake
    never publishes what was meant to stay inside; the problem says so.
    """
    show = shown_path(display_dir)
    visibility: dict[str, str] = {}
    problems: list[Problem] = []
    for source in sources:
        try:
            with open(os.path.join(docs_dir, source), "rb") as file:
                head = file.read(4)
        except OSError:
            continue
        if not head.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
            visibility[source] = "public"
            continue
        matter, found = frontmatter.read(os.path.join(docs_dir, source), show(source))
        if matter is None:
            problems += found
            problems.append(Problem(show(source), 1, "visibility", "the front matter cannot be read, so the page "
                                    "is left out of the public build", suggestion="fix the problems above"))
            visibility[source] = "internal"
            continue
        value = matter.data.get("visibility", "public")
        if value not in VISIBILITIES:
            problems.append(Problem(show(source), matter.lines.get("visibility", 1), "visibility",
                                    "is not one of public, internal; the page is left out of the public build",
                                    expected="public or internal", found=describe(value)))
            value = "internal"
        visibility[source] = value
    return visibility, problems


def load(docs_dir: str | os.PathLike, display_dir: str | None = None, *,
         store: str | os.PathLike | None = None) -> Memory:
    """Read a docs folder once (nothing kept in memory; parses kept on disk in `store`, if given)."""
    return Loader(cache=False).load(docs_dir, display_dir, store=store)


def parse_file(docs: str, source: str, stamp: Stamp, display: str, cid: str, *, raw: bytes | None = None) -> Parsed:
    """One file's parse: its community (for the charter) or entry, and its problems; `raw`: its bytes, if read."""
    shown = shown_path(display)(source)
    matter, problems = (frontmatter.read(os.path.join(docs, source), shown) if raw is None
                        else frontmatter.parse_bytes(raw, shown))
    if matter is None:
        return Parsed(stamp, None, tuple(problems))
    if source == charter_path(cid):
        community, problems = _community(matter, source, cid, shown)
        return Parsed(stamp, community, tuple(problems))
    entry, problems, inherits = _entry(matter, source, cid, shown)
    return Parsed(stamp, entry, tuple(problems), inherits)


def _community(matter: frontmatter.FrontMatter, source: str, cid: str, shown: str
               ) -> tuple[Community | None, list[Problem]]:
    """A charter's community, or None, and its problems."""
    reader = read_fields(matter, shown, CHARTER)
    values = {field.name: reader.read(field) for field in fields_of(CHARTER)}
    if values["ended"] and values["started"] and values["ended"] < values["started"]:
        reader.error("ended", "the community cannot end before it started", expected=f"a date on or after "
                     f"{values['started'].isoformat()} (started:)", found=values["ended"].isoformat(),
                     suggestion="check the year of ended: and started:")
    if not reader.ok:
        return None, reader.problems
    return Community(id=cid, source=source, body=matter.body, body_line=matter.body_line, **values), reader.problems


def _entry(matter: frontmatter.FrontMatter, source: str, cid: str, shown: str
           ) -> tuple[Entry | None, list[Problem], bool]:
    """The entry of one file, its problems, and whether its attribution is left to its community."""
    reader = read_fields(matter, shown, ENTRY)
    fields = {field.name: field for field in fields_of(ENTRY)}
    kind = reader.read(fields["kind"])
    cycles = reader.read(fields["cycles"])
    if kind == "story" and not cycles and not reader.failed("cycles"):
        reader.error("cycles", "a story must name at least one cycle",
                     line=reader.line("cycles") if "cycles" in reader.data else 1,
                     expected="e.g. cycles: {applied: What changed}", found="no cycles",
                     suggestion="add cycles:, or use kind: note")
    slug = _entry_slug(reader, source)
    inherits = not reader.given("attribution")
    values = {name: reader.read(field) for name, field in fields.items()
              if name not in ("kind", "cycles", "slug", "attribution")}
    # A placeholder until the loader fills in the community's attribution.
    attribution = "named" if inherits else reader.read(fields["attribution"])
    if slug in values["aliases"]:
        reader.warn("aliases", f"the alias {slug!r} is the entry's own slug; it is ignored",
                    line=_item_line(matter, "aliases", values["aliases"], slug),
                    expected="former slugs only", found=repr(slug), suggestion="remove it from aliases:")
        values["aliases"] = tuple(a for a in values["aliases"] if a != slug)
    if not reader.ok:
        return None, reader.problems, inherits
    lines = {k: v for k, v in matter.lines.items() if k in _REPORTED_LINES}
    lines.update({f"cycles.{cycle}": line for cycle, line in reader.cycle_lines.items()})
    for name in ("follows", "aliases"):
        lines.update(_kept_item_lines(matter, name, values[name]))
    entry = Entry(community=cid, source=source, slug=slug, kind=kind, cycles=cycles, attribution=attribution,
                  body=matter.body, body_line=matter.body_line, lines=lines, **values)
    return entry, reader.problems, inherits


def _kept_item_lines(matter: frontmatter.FrontMatter, key: str, kept: tuple[str, ...]) -> dict[str, int]:
    """`<key>.<index>` -> line of each item of a list field as kept (stripped, each once), for checks across files."""
    written = matter.data.get(key)
    if not kept or not isinstance(written, list):
        return {}
    position = {item: index for index, item in enumerate(kept)}
    lines: dict[str, int] = {}
    for index, item in enumerate(written):
        line = matter.item_lines.get(key, {}).get(index)
        if isinstance(item, str) and item.strip() in position and line is not None:
            lines.setdefault(f"{key}.{position[item.strip()]}", line)
    return lines


def _item_line(matter: frontmatter.FrontMatter, key: str, kept: tuple[str, ...], item: str) -> int | None:
    """The line of one kept item of a list field, if known."""
    return _kept_item_lines(matter, key, kept).get(f"{key}.{kept.index(item)}")


def _entry_slug(reader, source: str) -> str:
    """`slug:` if given and valid, else the file name's slug; a reserved slug is an error."""
    derived = file_slug(source)
    if reader.given("slug"):
        value = reader.data["slug"]
        if not isinstance(value, str) or not SLUG_FIELD.fullmatch(value):
            reader.error("slug", "must be lower-case letters, digits and hyphens", expected="[a-z0-9-]+",
                         found=describe(value), suggestion=f"slug: {slugify(str(value)) or derived}")
            return derived
        slug = value
    else:
        slug = derived
        if not slugify(slug):
            reader.error("slug", f"the file name gives no URL slug ({slug!r})", line=1,
                         expected="a file name with letters or digits after the date", found=repr(slug),
                         suggestion="rename the file, e.g. 2020-01-17-spring-meeting.md, or add slug:")
            return slug
        if not SLUG_FIELD.fullmatch(slug):
            reader.warn("slug", f"the file name gives the URL slug {slug!r}", line=1,
                        expected="lower-case letters, digits and hyphens", found=repr(slug),
                        suggestion=f"add slug: {slugify(slug)} or rename the file")
    if slug in RESERVED_SLUGS:
        reader.error("slug", f"the slug {slug!r} is reserved for the community's own page",
                     line=reader.line("slug") if "slug" in reader.data else 1,
                     expected=f"any slug but {', '.join(sorted(RESERVED_SLUGS))}", found=repr(slug),
                     suggestion=f"slug: {slug}-notes")
    return slug


def _walk(folder: str, relative: str, stamps: dict[str, Stamp], unreadable: list[str],
          refused: list[str]) -> None:
    """Add every file below `folder` to `stamps` as docs-relative path -> (mtime_ns, size).

    In os.walk's order (a folder's files by name, then its sub-folders by name),
    skipping dot-names, with one scandir per folder: a serve rebuild stats every
    file, thousands of them. Folders that cannot be listed go to `unreadable`;
    symbolic links (to files or folders, dangling or not) go to `refused` and
    are never read: one could publish another community's files.
    """
    try:
        with os.scandir(folder) as found:
            items = sorted((item for item in found if not item.name.startswith(".")), key=lambda item: item.name)
    except OSError:
        unreadable.append(relative)
        return
    folders = []
    for item in items:
        try:
            if item.is_symlink():
                refused.append(f"{relative}/{item.name}")
                continue
            if item.is_dir():
                folders.append(item)
                continue
            info = item.stat()
            stamps[f"{relative}/{item.name}"] = (info.st_mtime_ns, info.st_size)
        except OSError:
            # Vanished or unreadable: listed anyway, so reading it reports the problem.
            stamps[f"{relative}/{item.name}"] = (0, 0)
    for item in folders:
        _walk(item.path, f"{relative}/{item.name}", stamps, unreadable, refused)


def is_markdown(path: str) -> bool:
    """Whether MkDocs would read a file as Markdown (any case: `.MD` included, so it is never copied raw)."""
    return path.lower().endswith(MARKDOWN_EXTENSIONS)


def charter_path(cid: str) -> str:
    """The docs-relative path of a community's charter."""
    return f"communities/{cid}/index.md"


def shown_path(display: str):
    """How problems show a docs-relative path: under the docs folder as the user named it (`content/...`)."""
    prefix = display + "/" if display and display != "." else ""
    return lambda source: prefix + source
