"""When each source file last changed, for feeds' `updated` and the sitemap's `lastmod`.

A date of change must come from the content's history, not from the build:
builds stay reproducible, and a fresh clone (every CI build) must not make
every entry look edited today. So:

- in a git work tree, a committed file changed when the last commit touching
  it was made (committer date): the same for every clone of that commit;
- a file with changes not yet committed (a preview while writing) changed at
  its modification time, never later than SOURCE_DATE_EPOCH when that is set;
- otherwise (no git, git not installed, or a shallow clone whose history stops
  at the file's newest commit, where git cannot tell) the date is unknown, and
  callers fall back to the entry's own `date`.

One `git log` walks the history newest first and stops as soon as every file
asked about has been seen. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable

#: How long one git command may take before its dates are given up as unknown.
GIT_TIMEOUT = 60
_CHUNK = 1 << 16


def last_changes(docs_dir: str, wanted: Iterable[str]) -> dict[str, dt.datetime]:
    """When each of `wanted` (docs-relative paths) last changed, for those it can tell (UTC)."""
    wanted = set(wanted)
    found: dict[str, dt.datetime] = {}
    repository = _repository(docs_dir)
    if repository is None or not wanted:
        return found
    top, prefix, shallow = repository
    uncommitted = _uncommitted(top, prefix)
    clamp = _source_date_epoch()
    for name in wanted & uncommitted:
        try:
            stamp = os.stat(os.path.join(docs_dir, name)).st_mtime
        except OSError:
            continue
        found[name] = _utc(min(stamp, clamp) if clamp is not None else stamp)
    _committed(top, prefix, wanted - found.keys(), shallow, found)
    return found


def _git(top: str, *args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", top, *args], capture_output=True, timeout=GIT_TIMEOUT, check=False,
                          **options)


def _repository(docs_dir: str) -> tuple[str, str, set[str]] | None:
    """The work tree's top folder, docs_dir inside it, and the commits a shallow clone stops at; None outside git."""
    try:
        found = _git(os.path.abspath(docs_dir), "rev-parse", "--show-toplevel", "--git-path", "shallow", text=True)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = found.stdout.splitlines()
    if found.returncode != 0 or len(lines) != 2:
        return None
    top, shallow_file = lines
    if not os.path.isabs(shallow_file):
        shallow_file = os.path.join(os.path.abspath(docs_dir), shallow_file)
    prefix = os.path.relpath(os.path.realpath(docs_dir), os.path.realpath(top)).replace(os.sep, "/")
    if prefix == "." or prefix.startswith("../"):
        prefix = "" if prefix == "." else None
    if prefix is None:
        return None
    try:
        with open(shallow_file, encoding="ascii") as boundary:
            shallow = {line.strip() for line in boundary if line.strip()}
    except OSError:
        shallow = set()
    return top, prefix, shallow


def _uncommitted(top: str, prefix: str) -> set[str]:
    """Docs-relative paths with changes not committed (modified, added, untracked)."""
    try:
        status = _git(top, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", prefix or ".")
    except (OSError, subprocess.SubprocessError):
        return set()
    names = set()
    fields = status.stdout.decode("utf-8", "surrogateescape").split("\0")
    index = 0
    while index < len(fields):
        item = fields[index]
        index += 1
        if len(item) < 4:
            continue
        if item[0] in "RC":
            index += 1  # a rename's or copy's second field is the old path
        names.add(_inside(item[3:], prefix))
    names.discard(None)
    return names


def _committed(top: str, prefix: str, wanted: set[str], shallow: set[str], found: dict[str, dt.datetime]) -> None:
    """Fill `found` with the date of the newest commit touching each wanted file, newest first, stopping early."""
    if not wanted:
        return
    try:
        process = subprocess.Popen(
            ["git", "-C", top, "log", "--format=%x01%ct %H", "--name-only", "-z", "--no-renames", "--",
             prefix or "."], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return
    seen: set[str] = set()
    when: dt.datetime | None = None
    boundary = False
    rest = b""
    try:
        while wanted - seen:
            chunk = process.stdout.read(_CHUNK)
            if not chunk:
                break
            *tokens, rest = (rest + chunk).split(b"\0")
            for token in tokens:
                text = token.decode("utf-8", "surrogateescape")
                if text.startswith("\x01"):
                    stamp, _, commit = text[1:].partition(" ")
                    when, boundary = _utc(int(stamp)), commit.strip() in shallow
                    continue
                name = _inside(text.lstrip("\n"), prefix)
                if name is None or name in seen:
                    continue
                seen.add(name)
                # A shallow clone's last commit lists every file: when each really changed is unknown.
                if name in wanted and when is not None and not boundary:
                    found[name] = when
    finally:
        process.stdout.close()
        if process.poll() is None:
            process.kill()
        process.wait()


def _inside(path: str, prefix: str) -> str | None:
    """A path relative to the work tree's top, made relative to the docs folder (None if outside it)."""
    if not prefix:
        return path
    return path[len(prefix) + 1:] if path.startswith(prefix + "/") else None


def _source_date_epoch() -> float | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _utc(stamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc)
