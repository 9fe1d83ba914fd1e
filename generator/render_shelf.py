"""Each page's Markdown conversion kept between builds, for pages whose text, links and settings are the same.

MkDocs converts every page with Python-Markdown on every build: at thousands of
entries, a third of a warm build, and the same work as the build before for
every page nobody edited. What `Page.render` makes of a page depends on:

- the page's Markdown (after every plugin's `on_page_markdown`), its source
  path, its URL and whether it is excluded;
- the Markdown extensions and their settings, the link-validation settings,
  `use_directory_urls`, and the versions of the code that does the work;
- for each relative link, whether the file it names exists, its URL and
  whether it is excluded (MkDocs looks each one up in the build's files);
- what it logs (a broken link's warning, which `--strict` counts).

`RenderShelf` keeps what `render` sets on the page (its HTML, table of
contents, title, anchors, links to anchors) in the user's cache under a BLAKE2
digest of the first two, with the link lookups the conversion made and what
they found. A later build takes a page from the shelf only if every one of those
lookups finds the same today; otherwise, or for a page whose conversion logged
anything, MkDocs converts the page as it always does. So warnings, `--strict`
and anchor validation behave as without the shelf, and the HTML is the same.

It is used only where the conversion reads nothing but the page: every Markdown
extension configured must be named (not an object a plugin made) and be one
known to read no file (Python-Markdown's own, pymdown-extensions' but
`snippets` and `b64`, Material's emoji), and a function a setting names (a
custom fence, a slugify) must come from those packages, whose versions are in
the key: the site's own code can change with no version to say so. Anything
else and every page is converted as before. A plugin that sets its own `render` on a page is left to it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

from . import cache_folder
from .parse_cache import code_version, package_version

log = logging.getLogger(__name__)

#: Python-Markdown's own extensions (short names; "markdown.extensions.<name>" too): they read only the page
MARKDOWN_OWN = frozenset({
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
    "wikilinks",
})
#: pymdown-extensions that read files (snippets includes them, b64 embeds images)
PYMDOWNX_READING = frozenset({"pymdownx.snippets", "pymdownx.b64"})
#: other extensions known to read only the page
OTHERS_KNOWN = frozenset({"material.extensions.emoji"})
#: the distributions whose code converts a page
CONVERTERS = ("mkdocs", "properdocs", "markdown", "pymdown-extensions", "pygments", "mkdocs-material")
#: the packages of those distributions: a setting may name their functions (their versions are in the key)
CONVERTER_PACKAGES = frozenset({"mkdocs", "properdocs", "markdown", "pymdownx", "pygments", "material"})


def known_pure(name: str) -> bool:
    """Whether the Markdown extension named `name` reads nothing but the page it converts."""
    if name.startswith("markdown.extensions."):
        name = name[len("markdown.extensions."):]
    if name in MARKDOWN_OWN or name in OTHERS_KNOWN:
        return True
    if name.startswith("pymdownx."):
        return not any(name == reading or name.startswith(reading + ".") for reading in PYMDOWNX_READING)
    return False


class Unstable(ValueError):
    """A setting whose text would differ from one run to the next (an object shown by its address)."""


def canonical(value, depth: int = 0) -> str:
    """A text that stands for `value` the same way in every run: settings from YAML, and the functions
    (`!!python/name:`) and partials some extensions take."""
    if depth > 20:
        raise Unstable("nested too deep")
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return repr(value)
    if isinstance(value, Mapping):
        items = sorted((canonical(k, depth + 1), canonical(v, depth + 1)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = [canonical(v, depth + 1) for v in value]
        if isinstance(value, (set, frozenset)):
            parts.sort()
        return f"{type(value).__name__}[" + ",".join(parts) + "]"
    if isinstance(value, functools.partial):
        return (f"partial({canonical(value.func, depth + 1)},{canonical(value.args, depth + 1)},"
                f"{canonical(value.keywords, depth + 1)})")
    if callable(value) and hasattr(value, "__qualname__"):
        module = getattr(value, "__module__", None) or ""
        if module.split(".")[0] not in CONVERTER_PACKAGES:
            # The site's own code (a custom fence, a slugify of its hooks) can change with no version to say so.
            raise Unstable(f"{module}.{value.__qualname__}, a function outside the converters' packages")
        # A function from a factory (slugify(case="lower")) differs from its siblings only by what it closes over.
        cells = getattr(value, "__closure__", None) or ()
        closed = ",".join(canonical(cell.cell_contents, depth + 1) for cell in cells)
        defaults = canonical(getattr(value, "__defaults__", None), depth + 1)
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}({closed};{defaults})"
    text = repr(value)
    if " at 0x" in text or " object at " in text:
        raise Unstable(text)
    return f"{type(value).__module__}.{type(value).__qualname__}:{text}"


def settings(config) -> str | None:
    """What every page's conversion depends on besides the page, as one text; None where the shelf cannot
    be used (an extension not named, or not known to read only the page, or a setting with no stable text)."""
    extensions = config["markdown_extensions"]
    for extension in extensions:
        if not isinstance(extension, str) or not known_pure(extension):
            log.debug("cop-memory: render store off: the Markdown extension %r may read more than the page",
                      extension)
            return None
    try:
        configs = canonical(config["mdx_configs"] or {})
        validation = canonical(_plain(config.get("validation")))
    except Unstable as error:
        log.debug("cop-memory: render store off: a Markdown setting has no stable text (%s)", error)
        return None
    versions = " ".join(f"{name}={package_version(name)}" for name in CONVERTERS)
    return "\n".join((canonical(list(extensions)), configs, validation,
                      repr(bool(config["use_directory_urls"])), versions, code_version()))


def _plain(value):
    """A config section (MkDocs' SubConfig, or a dict) as plain mappings."""
    if isinstance(value, Mapping) or hasattr(value, "items"):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _found(file) -> tuple | None:
    """What a link lookup's answer means to a converted page: the file's URL and whether it is excluded."""
    if file is None:
        return None
    return (file.url, bool(file.inclusion.is_excluded()))


class _RecordingFiles:
    """The build's files as MkDocs' link resolution sees them, noting each lookup and what it found.

    Any other use of the files (by another host's version) marks the conversion as not kept.
    """

    def __init__(self, files) -> None:
        self._files = files
        self.looked_up: dict[str, tuple | None] = {}
        self.other_use = False

    def get_file_from_path(self, path: str):
        found = self._files.get_file_from_path(path)
        self.looked_up[path] = _found(found)
        return found

    def __getattr__(self, name: str):
        self.other_use = True
        return getattr(self._files, name)

    def __iter__(self):
        self.other_use = True
        return iter(self._files)

    def __len__(self) -> int:
        self.other_use = True
        return len(self._files)

    def __contains__(self, item) -> bool:
        self.other_use = True
        return item in self._files


class RenderShelf:
    """Each page's converted Markdown, kept between builds of one site by everything it is made from."""

    def __init__(self, folder: str | os.PathLike, docs: str, audience: str, config) -> None:
        self._settings = settings(config)
        # One store per docs folder and audience, as the search store (a store keeps only what its last build used).
        site = hashlib.blake2b(f"{os.path.realpath(docs)}\0{audience}".encode(), digest_size=8).hexdigest()
        version = hashlib.blake2b((self._settings or "").encode("utf-8", "surrogatepass"),
                                  digest_size=8).hexdigest()
        self._shelf = cache_folder.Shelf(Path(folder) / f"render-{site}-{version}.pickle",
                                         f"render-{site}-*.pickle", "render store")
        self.path = self._shelf.path
        #: pages taken from the shelf, and pages converted, since this shelf was made
        self.reused = self.converted = 0

    @property
    def usable(self) -> bool:
        """Whether this build's settings let pages be kept (see the module's notes)."""
        return self._settings is not None

    def serve(self, page) -> None:
        """Have `page` converted through the shelf (unless something else already replaced its `render`)."""
        if self._settings is not None and "render" not in vars(page):
            page.render = functools.partial(self._render, page)

    def _render(self, page, config, files) -> None:
        vars(page).pop("render", None)  # once per page: the page need not hold the shelf to the build's end
        markdown = page.markdown
        if not isinstance(markdown, str):
            return type(page).render(page, config, files)  # MkDocs' own error for a page with no text
        key = self._key(page, markdown)
        kept = self._shelf.take(key)
        if kept is not None and self._restore(page, kept, files):
            self.reused += 1
            return None
        self._convert(page, config, files, key)
        return None

    def _key(self, page, markdown: str) -> bytes:
        file = page.file
        level = logging.getLogger(type(page).__module__).getEffectiveLevel()
        digest = hashlib.blake2b(digest_size=20)
        digest.update(repr((file.src_uri, file.url, bool(file.inclusion.is_excluded()), level)).encode(
            "utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(markdown.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def _convert(self, page, config, files, key: bytes) -> None:
        """MkDocs' own conversion, watching its link lookups and its log; kept if it logged nothing."""
        before = dict(vars(page))
        recording = _RecordingFiles(files)
        logged: list[logging.LogRecord] = []
        factory = logging.getLogRecordFactory()

        def noting(*args, **kwargs) -> logging.LogRecord:
            record = factory(*args, **kwargs)
            logged.append(record)
            return record

        logging.setLogRecordFactory(noting)
        try:
            type(page).render(page, config, recording)
        finally:
            logging.setLogRecordFactory(factory)
        self.converted += 1
        if logged or recording.other_use:
            return  # converted every time: its messages are the build's to give again
        made = {name: value for name, value in vars(page).items()
                if name != "render" and (name not in before or before[name] is not value)}
        links = made.pop("links_to_anchors", None)
        if links is not None:
            # Keyed by the build's File objects: kept by path, found again among the next build's files.
            links = tuple((target.src_uri, dict(anchors)) for target, anchors in links.items())
        try:
            value = pickle.dumps((made, links, tuple(recording.looked_up.items())), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # noqa: BLE001 - a value pickle refuses: that page is converted next time
            log.debug("cop-memory: the conversion of %s cannot be kept (%s)", page.file.src_uri, error)
            return
        self._shelf.put(key, zlib.compress(value, 1))

    def _restore(self, page, kept: bytes, files) -> bool:
        """Set what the conversion set, if every link it resolved resolves the same today."""
        try:
            made, links, looked_up = pickle.loads(zlib.decompress(kept))
        except Exception as error:  # noqa: BLE001 - a damaged value: convert the page as without it
            log.debug("cop-memory: the kept conversion of %s cannot be read (%s)", page.file.src_uri, error)
            return False
        get: Callable = files.get_file_from_path
        if any(_found(get(path)) != found for path, found in looked_up):
            return False
        if links is not None:
            targets = {}
            for path, anchors in links:
                target = page.file if path == page.file.src_uri else get(path)
                if target is None:
                    return False
                targets[target] = anchors
            made["links_to_anchors"] = targets
        vars(page).update(made)
        return True

    def save(self) -> None:
        """Write the conversions this build used and added (see cache_folder.Shelf.save)."""
        self._shelf.save()
