"""An engine-neutral build: one audience's site as a prepared docs tree that any Markdown engine can build.

Engines that do not run this plugin (Zensical today, MkDocs 2, anything else)
would publish a shared memory's folders as they are, internal entries included.
`copmem prepare` runs a real build with the plugin, so every decision it makes
(audience, Chatham House redaction, unlinking, sanitising, views, exports) is
made exactly as in `copmem build`, records what that build publishes, and
writes it out as plain files:

- `DIR/docs/<url>/index.md` for every page, at its contract URL: minimal front
  matter (title, description, and Material's `hide`/`search` keys where the page
  had them) and the page's finished body HTML as one raw HTML block, shaped to
  survive both Python-Markdown and CommonMark engines (one `<div>`, no blank line
  inside; newlines inside `<pre>` written as `&#10;`);
- `DIR/docs/<path>` for every other file the build publishes: exports, feeds,
  published attachments and images, the stylesheet;
- `DIR/mkdocs.yml`: the site's settings and theme, its navigation made explicit,
  `plugins: [search]` only. MkDocs + Material and Zensical both read it.

Only this module and the plugin know the build's internals; the tree it writes
knows nothing of cop-memory.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import host
from .render import packaged_templates

#: a file at the top of a prepared tree: `copmem prepare` only ever replaces a folder that has it
MARKER = ".copmem-prepared"
#: page.meta keys carried into a prepared page's front matter
META_KEYS = ("title", "description", "hide", "search")
#: the settings of the site's configuration a prepared mkdocs.yml keeps as they were written
SITE_KEYS = ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
             "extra_javascript", "extra")
#: the class of the one element that wraps each prepared page's body
WRAPPER = "copmem-prepared"


class PrepareError(Exception):
    """The tree cannot be written (the folder is someone else's, the plugin did not run)."""


@dataclass
class PreparedPage:
    """One page as the build published it."""

    path: str
    title: str | None
    meta: dict
    html: str


@dataclass
class Prepared:
    """What one audience's build publishes, as files."""

    pages: dict[str, PreparedPage] = field(default_factory=dict)
    #: docs-relative path -> bytes, for every file that is not a page
    files: dict[str, bytes] = field(default_factory=dict)
    nav: list = field(default_factory=list)
    extra_css: list[str] = field(default_factory=list)
    #: the site's settings as its configuration file gives them (`!ENV` tags read, INHERIT followed)
    settings: dict = field(default_factory=dict)


class Recorder(host.BasePlugin):
    """Runs after the cop-memory plugin in a real build and records what it publishes."""

    def __init__(self) -> None:
        super().__init__()
        # A fresh token per build: no page can contain it by chance or on purpose.
        token = secrets.token_hex(12)
        self.begin, self.end = f"<!--copmem-prepare-{token}-begin-->", f"<!--copmem-prepare-{token}-end-->"
        self.files = None
        self.nav = None
        self.pages: dict[str, PreparedPage] = {}

    @host.event_priority(-200)
    def on_nav(self, nav, *, config, files):
        """Keep the final navigation (after the plugin's own changes to it)."""
        self.nav = nav
        return nav

    @host.event_priority(-200)
    def on_env(self, env, *, config, files):
        """Keep the final file list: the plugin has replaced, dropped and added files by now."""
        self.files = files
        return env

    @host.event_priority(-200)
    def on_page_content(self, html, *, page, config, files):
        """Mark where the body is, so what the plugin draws into it later (its views) is recorded too."""
        return self.begin + html + self.end

    @host.event_priority(-200)
    def on_post_page(self, output, *, page, config):
        """Record the page's finished body, title and metadata."""
        start = output.find(self.begin)
        stop = output.find(self.end, start)
        if start < 0 or stop < 0:
            raise host.PluginError(f"copmem prepare: the body of {page.file.src_uri} was not written into its page; "
                                   "the theme must show page.content")
        html = output[start + len(self.begin):stop]
        meta = {key: page.meta[key] for key in META_KEYS if key in page.meta}
        self.pages[page.file.src_uri] = PreparedPage(_page_path(page.file.dest_uri), page.title, meta, html)
        return output[:start] + html + output[stop + len(self.end):]

    def result(self, config) -> Prepared:
        """What the build published (call it before its site folder is removed): pages, files, navigation."""
        prepared = Prepared(pages=dict(self.pages), extra_css=[str(css) for css in config.extra_css],
                            settings=_plain(host.read_config_file(config.config_file_path)))
        # A theme's own assets belong to the engine's theme; the site's (custom_dir) and ours are content.
        own_dirs = {os.path.normpath(packaged_templates())}
        if config.theme.custom_dir:
            own_dirs.add(os.path.normpath(config.theme.custom_dir))
        theme_dirs = {os.path.normpath(d) for d in config.theme.dirs}
        for file in self.files or ():
            if file.is_documentation_page() or not file.inclusion.is_included():
                continue
            source_dir = os.path.normpath(file.src_dir) if file.src_dir else None
            if source_dir in theme_dirs and source_dir not in own_dirs:
                continue
            # As written: some files are drawn only when the build copies them (the feeds).
            prepared.files[file.dest_uri] = Path(file.abs_dest_path).read_bytes()
        prepared.nav = _nav_items(self.nav.items if self.nav else [], self.pages)
        return prepared


def _plain(value):
    """`value` with only YAML's plain types (a tag's object, e.g. `!relative`, becomes its text)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def _page_path(dest_uri: str) -> str:
    """The prepared Markdown file of a page written at `dest_uri` (`x/index.html` -> `x/index.md`)."""
    return re.sub(r"\.html$", "", dest_uri) + ".md"


def _nav_items(items, pages: dict[str, PreparedPage]) -> list:
    """The navigation as mkdocs.yml's `nav:` (titles to prepared paths, sections, links)."""
    result = []
    for item in items:
        if isinstance(item, host.Section):
            children = _nav_items(item.children, pages)
            if children:
                result.append({item.title: children})
        elif isinstance(item, host.Link):
            result.append({item.title: item.url})
        elif isinstance(item, host.Page) and item.file.src_uri in pages:
            page = pages[item.file.src_uri]
            result.append({item.title or page.title or page.path: page.path})
    return result


def record(config_file: str, audience: str, *, strict: bool = False) -> Prepared:
    """Build the site for `audience` with the plugin (in a scratch folder) and return what it published."""
    from .cli import plugin_ran

    with tempfile.TemporaryDirectory(prefix="copmem-prepare-") as scratch:
        overrides = {"site_dir": scratch, **({"strict": True} if strict else {})}
        config = host.load_config(config_file, **overrides)
        plugin = config.plugins.get("cop-memory")
        if plugin is None:
            raise PrepareError(f"{config_file}: the cop-memory plugin is not enabled under plugins:")
        plugin.config.audience = audience
        recorder = Recorder()
        config.plugins["copmem-prepare"] = recorder
        config.plugins.on_startup(command="build", dirty=False)
        try:
            with host.logged_lines() as logged:
                host.build(config)
        finally:
            config.plugins.on_shutdown()
        if not plugin_ran(logged, audience):
            raise PrepareError(f"cop-memory did not run in this build (no 'cop-memory: {audience} build:' line "
                               "was logged): nothing decided what the audience may see, so nothing was written")
        return recorder.result(config)


def write_tree(prepared: Prepared, out: Path, *, audience: str, config_file: str) -> None:
    """Write the prepared tree into `out` (a new or empty folder, or an earlier prepared tree, which it replaces)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise PrepareError(f"{out}: the folder is not empty and was not written by copmem prepare; "
                           "give a new or empty folder")
    for old in ("docs", "mkdocs.yml"):
        target = out / old
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    docs = out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(f"{audience}\n", encoding="utf-8")
    for path, data in prepared.files.items():
        _write(docs / path, data)
    for page in prepared.pages.values():
        _write(docs / page.path, page_markdown(page).encode("utf-8"))
    (out / "mkdocs.yml").write_text(site_config(prepared, audience=audience, config_file=config_file),
                                    encoding="utf-8")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def page_markdown(page: PreparedPage) -> str:
    """A prepared page: YAML front matter, then the finished body as one raw HTML block."""
    meta = dict(page.meta)
    if page.title:
        meta["title"] = page.title
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1 << 30) if meta else ""
    return f"---\n{front}---\n\n{raw_html_block(page.html)}"


_PRE = re.compile(r"(<pre\b.*?</pre\s*>)", re.S | re.I)
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*(?=\n)")


def raw_html_block(html: str) -> str:
    """`html` as one block that Python-Markdown and CommonMark engines both pass through untouched.

    CommonMark ends an HTML block at the first blank line, and Python-Markdown
    reads a raw block from an opening `<div>` at the start of a line to its
    closing tag: so the body is wrapped in one `<div>`, blank lines outside
    `<pre>` are dropped (whitespace between tags means nothing there), and
    inside `<pre>`, where every newline shows, newlines become `&#10;`.
    """
    parts = _PRE.split(html.replace("\r\n", "\n"))
    for index, part in enumerate(parts):
        parts[index] = part.replace("\n", "&#10;") if index % 2 else _BLANK_LINES.sub("", part)
    body = "".join(parts).strip("\n")
    return f'<div class="{WRAPPER}">\n{body}\n</div>\n'


def site_config(prepared: Prepared, *, audience: str, config_file: str) -> str:
    """The prepared tree's mkdocs.yml: the site's settings and theme, the explicit navigation, search only."""
    written = prepared.settings
    config: dict = {key: written[key] for key in SITE_KEYS if written.get(key) not in (None, "", [], {})}
    if "repo_url" in config:
        # Edit links would point at the prepared files, not at the shared memory's sources.
        config["edit_uri"] = ""
    config["docs_dir"] = "docs"
    config["use_directory_urls"] = True
    theme = written.get("theme") or {"name": "material"}
    # Without custom_dir: template overrides are one engine's (Zensical's partials differ from
    # Material's, and ours would break its search); the site's static files are in docs/ already.
    config["theme"] = {"name": theme} if isinstance(theme, str) else \
        {key: value for key, value in theme.items() if key != "custom_dir"}
    if prepared.extra_css:
        config["extra_css"] = prepared.extra_css
    # Every page is finished HTML: no cop-memory here (it would find no communities), and no other
    # plugin that would re-read or re-filter the pages.
    config["plugins"] = ["search"]
    config["nav"] = prepared.nav
    header = (f"# The {audience} site of {os.path.basename(config_file)}, prepared by `copmem prepare"
              f"{' --public' if audience == 'public' else ''}`.\n"
              "# Every page under docs/ is finished HTML that holds only what this audience may see.\n"
              "# Build it with any engine that reads mkdocs.yml (MkDocs + Material, Zensical); do not edit it:\n"
              "# run copmem prepare again after any change to the shared memory.\n")
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1 << 30)

