"""Read a docs folder into the content model, collecting every problem of every file.

A broken file is reported and left out; it never stops the others. Parsed
files are cached by (path, mtime, size), so `mkdocs serve` re-reads only what
changed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import posixpath
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from . import frontmatter
from .sanitize import find_unsafe_html
from .model import (
    ATTRIBUTIONS,
    CAPITALS,
    CYCLE_ALIASES,
    CYCLES,
    KINDS,
    RESERVED_SLUGS,
    VISIBILITIES,
    Community,
    Entry,
    Memory,
    Problem,
)

COMMUNITY_FIELDS = ("title", "domain", "started", "conveners", "visibility", "attribution")
ENTRY_FIELDS = ("title", "date", "kind", "cycles", "capital", "visibility", "attribution", "people",
                "organisations", "reporters", "attendees", "tags", "slug", "pin")
_SLUG = re.compile(r"[a-z0-9-]+")
_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REPORTED_LINES = frozenset({"title", "slug", "cycles"})


@dataclass(slots=True)
class _Parsed:
    """One file's parse, independent of every other file (what the cache keeps).

    Slotted and flat: `mkdocs serve` keeps one per file, and every object it keeps
    is walked by each full garbage collection of every rebuild.
    """

    #: (mtime_ns, size) of the file when it was parsed
    stamp: tuple[int, int]
    #: the community, or the entry, or None when the file has errors. An unchanged
    #: file yields the very same object on every load (see memo.Memo).
    value: Community | Entry | None
    problems: tuple[Problem, ...]
    #: whether the entry's attribution is its community's default (filled in at load)
    inherits_attribution: bool = False


class Loader:
    """Reads a docs folder into a Memory; caches each file's parse by (path, mtime_ns, size)."""

    def __init__(self, *, cache: bool = True, jobs: int = 1) -> None:
        #: whether to keep parses between calls (for `mkdocs serve`; a one-off build does not need it)
        self.caching = cache
        #: processes that parse files at once (see `_parse_ahead`); 1 parses in this process only
        self.jobs = jobs
        #: parses done ahead by `_parse_ahead` for the load under way, by cache key
        self._ahead: dict[tuple[str, str, str], _Parsed] = {}
        self._cache: dict[tuple[str, str, str], _Parsed] = {}
        #: per community folder: its files' stamps and what it added to the memory
        self._folders: dict[tuple[str, str, str], tuple[dict[str, tuple[int, int]], Memory]] = {}
        #: how many files were parsed (not served from the cache), for tests and the benchmark
        self.parses = 0

    def forget(self) -> None:
        """Drop every kept parse: the next load reads every file again."""
        self._cache.clear()
        self._folders.clear()

    def load(self, docs_dir: str | os.PathLike, display_dir: str | None = None) -> Memory:
        """Read every community and entry below `docs_dir`/communities."""
        docs = Path(docs_dir)
        display = (display_dir if display_dir is not None else str(docs_dir)).rstrip("/")
        memory = Memory(display_dir=display)
        root = docs / "communities"
        if not root.is_dir():
            return memory
        folders = []
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            stamps: dict[str, tuple[int, int]] = {}
            unreadable: list[str] = []
            _walk(str(folder), f"communities/{folder.name}", stamps, unreadable)
            folders.append((folder.name, stamps, unreadable))
        if self.jobs > 1:
            self._parse_ahead(docs, display, folders)
        try:
            parts = [self._community_part(docs, cid, stamps, unreadable, display)
                     for cid, stamps, unreadable in folders]
        finally:
            self._ahead.clear()
        for part in parts:
            memory.communities.update(part.communities)
            memory.entries += part.entries
            memory.problems += part.problems
            memory.attachments += part.attachments
            memory.failed += part.failed
            memory.failed_communities += part.failed_communities
        memory.entries.sort(key=lambda e: e.source)
        memory.failed.sort()
        memory.problems.sort(key=lambda p: (p.path, p.line))
        return memory

    def _kept_part(self, docs: Path, cid: str, stamps: dict[str, tuple[int, int]], unreadable: list[str],
                   display: str) -> Memory | None:
        kept = self._folders.get((str(docs), cid, display))
        if kept is not None and kept[0] == stamps and not unreadable:
            return kept[1]
        return None

    def _community_part(self, docs: Path, cid: str, stamps: dict[str, tuple[int, int]], unreadable: list[str],
                        display: str) -> Memory:
        """What one community folder adds to the memory; the same as last time while none of its files changed."""
        kept = self._kept_part(docs, cid, stamps, unreadable, display)
        if kept is not None:
            return kept
        key = (str(docs), cid, display)
        part = Memory(display_dir=display)
        self._load_community(docs, cid, stamps, unreadable, display, part)
        if self.caching:
            self._folders[key] = (stamps, part)
        return part

    def _load_community(self, docs: Path, cid: str, stamps: dict[str, tuple[int, int]], unreadable: list[str],
                        display: str, memory: Memory) -> None:
        files = list(stamps)
        index = _index_of(cid)
        markdown = [f for f in files if f.endswith(".md") and f != index]
        memory.attachments += [f for f in files if not f.endswith(".md")]
        show = _shower(display)
        for path in unreadable:
            memory.problems.append(Problem(show(path), 1, "folder", "the folder cannot be read; its files are left out",
                                           suggestion="check its permissions"))
        if not _SLUG.fullmatch(cid):
            memory.problems.append(Problem(show(index), 1, "community",
                                           f"the folder name {cid!r} is used in URLs",
                                           expected="lower-case letters, digits and hyphens", found=cid,
                                           suggestion=f"rename the folder to {_slugify(cid)!r}",
                                           severity="warning"))
        if index not in files:
            memory.problems.append(Problem(show(index), 1, "index.md",
                                           f"community folder {cid!r} has no index.md; its "
                                           f"{len(markdown)} entries are left out",
                                           expected="a charter with title: and domain:", found="no file",
                                           suggestion=f"create communities/{cid}/index.md"))
            memory.failed += markdown
            return
        parsed = self._parse(docs, index, stamps[index], display, cid, is_index=True)
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
        entries: list[Entry] = []
        for source in markdown:
            parsed = self._parse(docs, source, stamps[source], display, cid, is_index=False)
            memory.problems += parsed.problems
            entry = parsed.value
            if not isinstance(entry, Entry):
                memory.failed.append(source)
                continue
            # Fields that default to the community's are filled here, not in the parse.
            if parsed.inherits_attribution and entry.attribution != community.attribution:
                entry = replace(entry, attribution=community.attribution)
                if self.caching:
                    parsed.value = entry
            entries.append(entry)
        self._check_slugs(entries, show, memory)

    def _check_slugs(self, entries: list[Entry], show, memory: Memory) -> None:
        """Two entries of one community with one slug: both are left out, each report names the other."""
        by_slug: dict[str, list[Entry]] = {}
        for entry in entries:
            by_slug.setdefault(entry.slug, []).append(entry)
        for slug, same in by_slug.items():
            if len(same) == 1:
                memory.entries.append(same[0])
                continue
            for entry in same:
                others = ", ".join(show(e.source) for e in same if e is not entry)
                memory.problems.append(Problem(show(entry.source), entry.lines.get("slug", 1), "slug",
                                               f"two entries share the slug {slug!r}: this one and {others}",
                                               suggestion="give one of them a different `slug:` or file name"))
                memory.failed.append(entry.source)

    def _parse(self, docs: Path, source: str, stamp: tuple[int, int], display: str, cid: str, *,
               is_index: bool) -> _Parsed:
        key = (str(docs), source, display)
        cached = self._cached(key, stamp)
        if cached is not None:
            return cached
        parsed = self._ahead.get(key)
        if parsed is None or parsed.stamp != stamp:
            parsed = _parse_file(str(docs), source, stamp, display, cid, is_index)
        self.parses += 1
        if self.caching:
            self._cache[key] = parsed
        return parsed

    def _cached(self, key: tuple[str, str, str], stamp: tuple[int, int]) -> _Parsed | None:
        """The kept parse of a file, if the file has not changed since."""
        cached = self._cache.get(key)
        return cached if cached is not None and cached.stamp == stamp else None

    def _parse_ahead(self, docs: Path, display: str, folders: list) -> None:
        """Parse the files this load will need in `jobs` processes at once, into `_ahead`.

        For the command line on a large shared memory: each file's parse is
        independent of the others, and PyYAML holds the interpreter lock, so
        threads would not help. The other processes are forked (started in
        milliseconds, with everything imported), so this is only done where
        forking is safe: a platform that has it, and this process running no
        other thread. A share a worker fails to return is parsed here as usual,
        so the result is always that of a load in one process.
        """
        work = []
        for cid, stamps, unreadable in folders:
            index = _index_of(cid)
            # A community without its index.md is left out unread (see _load_community).
            if index not in stamps or self._kept_part(docs, cid, stamps, unreadable, display) is not None:
                continue
            for source, stamp in stamps.items():
                if source.endswith(".md") and self._cached((str(docs), source, display), stamp) is None:
                    work.append((source, stamp, cid, source == index))
        if len(work) < _PARALLEL_FROM or not _can_fork():
            return
        import concurrent.futures
        import multiprocessing

        shares = [work[i::self.jobs] for i in range(self.jobs)]
        for stream in (sys.stdout, sys.stderr):  # a forked child must not write out a copy of unflushed output
            if stream is not None:
                stream.flush()
        done: list[tuple[list[tuple], list[_Parsed]]] = []
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(self.jobs - 1, mp_context=context) as pool:
            futures = [(share, pool.submit(_parse_files, str(docs), display, share)) for share in shares[1:]]
            done.append((shares[0], _parse_files(str(docs), display, shares[0])))
            for share, future in futures:
                try:
                    done.append((share, future.result()))
                except Exception:  # a worker that died or failed: load() parses its share
                    continue
        for share, results in done:
            for (source, *_), parsed in zip(share, results):
                self._ahead[(str(docs), source, display)] = parsed


def load(docs_dir: str | os.PathLike, display_dir: str | None = None, *, jobs: int = 1) -> Memory:
    """Read a docs folder once (no cache kept), parsing in `jobs` processes where that is safe."""
    return Loader(cache=False, jobs=jobs).load(docs_dir, display_dir)


#: with fewer files to parse than this, starting another process costs more than it saves
_PARALLEL_FROM = 400


def usable_cpus() -> int:
    """How many processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    import multiprocessing
    import threading

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _parse_file(docs: str, source: str, stamp: tuple[int, int], display: str, cid: str, is_index: bool) -> _Parsed:
    """One file's parse: its community or entry, and its problems."""
    shown = _shower(display)(source)
    matter, problems = frontmatter.read(os.path.join(docs, source), shown)
    if matter is None:
        return _Parsed(stamp, None, tuple(problems))
    if is_index:
        community, problems = _community(matter, source, cid, shown)
        return _Parsed(stamp, community, tuple(problems))
    entry, problems, inherits = _entry(matter, source, cid, shown)
    return _Parsed(stamp, entry, tuple(problems), inherits)


def _parse_files(docs: str, display: str, work: list[tuple]) -> list[_Parsed]:
    """The parses of (source, stamp, community, is_index) items: what a worker process returns."""
    return [_parse_file(docs, source, stamp, display, cid, is_index) for source, stamp, cid, is_index in work]


def _walk(folder: str, relative: str, stamps: dict[str, tuple[int, int]], unreadable: list[str]) -> None:
    """Add every file below `folder` to `stamps` as docs-relative path -> (mtime_ns, size).

    In os.walk's order (a folder's files by name, then its sub-folders by name),
    skipping dot-names and not entering symlinked folders, with one scandir per
    folder: a serve rebuild stats every file, thousands of them. Folders that
    cannot be listed go to `unreadable`.
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
            if item.is_dir():
                if not item.is_symlink():
                    folders.append(item)
                continue
            info = item.stat()
            stamps[f"{relative}/{item.name}"] = (info.st_mtime_ns, info.st_size)
        except OSError:
            # Vanished or unreadable: listed anyway, so reading it reports the problem.
            stamps[f"{relative}/{item.name}"] = (0, 0)
    for item in folders:
        _walk(item.path, f"{relative}/{item.name}", stamps, unreadable)


def _index_of(cid: str) -> str:
    """The docs-relative path of a community's charter."""
    return f"communities/{cid}/index.md"


def _shower(display: str):
    prefix = display + "/" if display and display != "." else ""
    return lambda source: prefix + source


class _Fields:
    """Typed access to one file's front matter, recording a problem for every bad value."""

    def __init__(self, matter: frontmatter.FrontMatter, shown: str, known: tuple[str, ...]):
        self.data = matter.data
        self.lines = matter.lines
        self.items = matter.item_lines
        self.shown = shown
        self.problems: list[Problem] = []
        #: canonical cycle -> the line where the file names it
        self.cycle_lines: dict[str, int] = {}
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"valid fields: {', '.join(known)}"
                self.problems.append(Problem(shown, self.lines[key], key, "unknown field; it is ignored",
                                             suggestion=hint, severity="warning"))

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    def error(self, key: str, message: str, *, line: int | None = None, **details) -> None:
        self.problems.append(Problem(self.shown, line or self.line(key), key, message, **details))

    def failed(self, key: str) -> bool:
        """Whether `key` already has an error."""
        return any(p.field == key and p.is_error for p in self.problems)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def text(self, key: str, *, required: bool = False) -> str | None:
        if key not in self.data or self.data[key] is None:
            if required:
                self.error(key, "required field is missing", expected=f"{key}: <text>", found="nothing")
            return None
        value = self.data[key]
        if not isinstance(value, str):
            self.error(key, "must be text", expected="text", found=_describe(value),
                       suggestion=f'put it in quotes: {key}: "{_plain(value)}"')
            return None
        if not value.strip():
            self.error(key, "must not be empty", expected="text", found="an empty value")
            return None
        return value.strip()

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        if key not in self.data or self.data[key] is None:
            if required:
                self.error(key, "required field is missing", expected=f"{key}: YYYY-MM-DD", found="nothing")
            return None
        value = self.data[key]
        if isinstance(value, dt.datetime):
            self.error(key, "must be a date without a time", expected="YYYY-MM-DD", found=str(value),
                       suggestion=f"{key}: {value.date().isoformat()}")
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(key, "is not a valid date", expected="a date YYYY-MM-DD, e.g. 2019-06-04",
                   found=_describe(value))
        return None

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        if key not in self.data or self.data[key] is None:
            return default
        value = self.data[key]
        if isinstance(value, str) and value.strip().lower() in choices:
            return value.strip().lower()
        suggestion = _nearest(str(value), choices)
        if isinstance(value, bool):
            suggestion = f"write {' or '.join(choices)} (a bare yes/no/true/false is read as a boolean)"
        self.error(key, f"is not one of {', '.join(choices)}", expected=" or ".join(choices),
                   found=_describe(value), suggestion=suggestion)
        return default

    def strings(self, key: str) -> tuple[str, ...]:
        if key not in self.data or self.data[key] is None:
            return ()
        value = self.data[key]
        if not isinstance(value, list):
            self.error(key, "must be a list", expected="a list, e.g. [a, b]", found=_describe(value),
                       suggestion=f"write {key}: [{_plain(value)}]")
            return ()
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.error(key, f"item {index + 1} must be text", line=self.items.get(key, {}).get(index),
                           expected="text", found=_describe(item),
                           suggestion=f'put it in quotes: "{_plain(item)}"' if item is not None else None)
                continue
            result.append(item.strip())
        return tuple(result)

    def choices(self, key: str, choices: tuple[str, ...]) -> tuple[str, ...]:
        result = []
        for index, item in enumerate(self.strings(key)):
            if item.lower() in choices:
                result.append(item.lower())
            else:
                self.error(key, f"{item!r} is not one of {', '.join(choices)}",
                           line=self.items.get(key, {}).get(index), expected=" or ".join(choices),
                           found=repr(item), suggestion=_nearest(item, choices))
        return tuple(dict.fromkeys(result))

    def boolean(self, key: str) -> bool:
        if key not in self.data or self.data[key] is None:
            return False
        value = self.data[key]
        if isinstance(value, bool):
            return value
        self.error(key, "must be true or false", expected="true or false", found=_describe(value))
        return False

    def count(self, key: str) -> int | None:
        if key not in self.data or self.data[key] is None:
            return None
        value = self.data[key]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        self.error(key, "must be a whole number, 0 or more", expected="e.g. 55", found=_describe(value))
        return None

    def cycles(self) -> dict[str, tuple[str, ...]]:
        """Cycles in list or mapping form, canonical names in cycle order, statements as written."""
        if "cycles" not in self.data or self.data["cycles"] is None:
            return {}
        value = self.data["cycles"]
        lines = self.items.get("cycles", {})
        named: dict[str, tuple[str, ...]] = {}
        if isinstance(value, list):
            pairs = [(item, None, lines.get(i)) for i, item in enumerate(value)]
        elif isinstance(value, dict):
            pairs = [(k, v, lines.get(str(k))) for k, v in value.items()]
        else:
            self.error("cycles", "must be a list of cycles or a mapping cycle: statement",
                       expected="e.g. [immediate, applied] or applied: What changed", found=_describe(value))
            return {}
        for name, statements, line in pairs:
            cycle = _cycle(name)
            if cycle is None:
                self.error("cycles", f"unknown cycle {_plain(name)!r}", line=line,
                           expected=", ".join(CYCLES), found=repr(_plain(name)),
                           suggestion=_nearest(str(name), CYCLES))
                continue
            if cycle in named:
                self.error("cycles", f"the cycle {cycle!r} is named twice", line=line,
                           suggestion="merge the statements under one name")
                continue
            named[cycle] = self._statements(cycle, statements, line)
            if line is not None:
                self.cycle_lines[cycle] = line
        return {c: named[c] for c in CYCLES if c in named}

    def _statements(self, cycle: str, value, line: int | None) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),) if value.strip() else ()
        if isinstance(value, list) and all(isinstance(s, str) for s in value):
            return tuple(s.strip() for s in value if s.strip())
        self.error("cycles", f"the statements of {cycle!r} must be text or a list of text", line=line,
                   expected="applied: What changed", found=_describe(value),
                   suggestion="put each statement in quotes")
        return ()


def _community(matter, source: str, cid: str, shown: str) -> tuple[Community | None, list[Problem]]:
    f = _Fields(matter, shown, COMMUNITY_FIELDS)
    values = dict(
        id=cid,
        source=source,
        title=f.text("title", required=True),
        domain=f.text("domain", required=True),
        started=f.date("started"),
        conveners=f.strings("conveners"),
        visibility=f.choice("visibility", VISIBILITIES, "internal"),
        attribution=f.choice("attribution", ATTRIBUTIONS, "named"),
        body=matter.body,
        body_line=matter.body_line,
    )
    if not f.ok:
        return None, f.problems
    return Community(**values), f.problems + find_unsafe_html(matter.body, shown, matter.body_line)


def _entry(matter, source: str, cid: str, shown: str) -> tuple[Entry | None, list[Problem], bool]:
    """The entry of one file, its problems, and whether its attribution is left to its community."""
    f = _Fields(matter, shown, ENTRY_FIELDS)
    kind = f.choice("kind", KINDS, "note")
    cycles = f.cycles()
    if kind == "story" and not cycles and not f.failed("cycles"):
        f.error("cycles", "a story must name at least one cycle", line=f.line("cycles") if "cycles" in f.data else 1,
                expected="e.g. cycles: {applied: What changed}", found="no cycles",
                suggestion="add cycles:, or use kind: note")
    slug = _entry_slug(f, source)
    values = dict(
        community=cid,
        source=source,
        slug=slug,
        title=f.text("title", required=True),
        date=f.date("date", required=True),
        kind=kind,
        cycles=cycles,
        capital=f.choices("capital", CAPITALS),
        visibility=f.choice("visibility", VISIBILITIES, "internal"),
        people=f.strings("people"),
        organisations=f.strings("organisations"),
        reporters=f.strings("reporters"),
        attendees=f.count("attendees"),
        tags=f.strings("tags"),
        pin=f.boolean("pin"),
        body=matter.body,
        body_line=matter.body_line,
        # Only the lines later checks report on: an entry is kept for the whole build.
        lines={k: v for k, v in matter.lines.items() if k in _REPORTED_LINES},
    )
    inherits = "attribution" not in f.data or f.data["attribution"] is None
    # A placeholder until load() fills in the community's attribution.
    values["attribution"] = "named" if inherits else f.choice("attribution", ATTRIBUTIONS, "named")
    if not f.ok:
        return None, f.problems, inherits
    entry = Entry(**values)
    return entry, f.problems + _unsafe_html(entry, shown, f.cycle_lines), inherits


def _unsafe_html(entry: Entry, shown: str, cycle_lines: dict[str, int]) -> list[Problem]:
    """Warnings for raw HTML that never reaches the output, in the entry's body, title and statements."""
    problems = find_unsafe_html(entry.body, shown, entry.body_line)
    problems += find_unsafe_html(entry.title, shown, entry.lines.get("title", 1), "title")
    for cycle, statements in entry.cycles.items():
        line = cycle_lines.get(cycle, entry.lines.get("cycles", 1))
        for statement in statements:
            problems += find_unsafe_html(statement, shown, line, "cycles")
    return problems


def _entry_slug(f: _Fields, source: str) -> str:
    name = posixpath.basename(source)[: -len(".md")]
    derived = _DATED.sub("", name)
    if "slug" in f.data and f.data["slug"] is not None:
        value = f.data["slug"]
        if not isinstance(value, str) or not _SLUG.fullmatch(value):
            f.error("slug", "must be lower-case letters, digits and hyphens", expected="[a-z0-9-]+",
                    found=_describe(value), suggestion=f"slug: {_slugify(str(value)) or derived}")
            return derived
        slug = value
    else:
        slug = derived
        if not _SLUG.fullmatch(slug):
            f.problems.append(Problem(f.shown, 1, "slug",
                                      f"the file name gives the URL slug {slug!r}",
                                      expected="lower-case letters, digits and hyphens", found=repr(slug),
                                      suggestion=f"add slug: {_slugify(slug)} or rename the file",
                                      severity="warning"))
    if slug in RESERVED_SLUGS:
        f.error("slug", f"the slug {slug!r} is reserved for the community's own page",
                line=f.line("slug") if "slug" in f.data else 1,
                expected=f"any slug but {', '.join(sorted(RESERVED_SLUGS))}", found=repr(slug),
                suggestion=f"slug: {slug}-notes")
    return slug


def _cycle(name) -> str | None:
    if isinstance(name, bool):
        return None
    if isinstance(name, (str, int)):
        return CYCLE_ALIASES.get(str(name).strip().lower())
    return None


def _nearest(value: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value.strip().lower(), choices, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"use one of {', '.join(choices)}"


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _plain(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _slugify(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))
