"""The `cop-memory` MkDocs plugin: glue that maps MkDocs events onto the stages.

read (loader) -> review -> publish (audience) -> plan (site) -> render -> emit (here
and in `plugin_files`). All decisions live in those modules; this one only moves
their results into MkDocs' file list and pages.
"""

from __future__ import annotations

import ctypes
import gc
import os
from importlib.resources import files as package_files

from . import cache_folder, nav_order, urls
from .audience import Publication, publish
from .changes import last_changes
from .framework import AUDIENCES
from .host import (
    BasePlugin,
    Files,
    HostConfig,
    InclusionLevel,
    Navigation,
    Page,
    PluginError,
    Section,
    ValidationError,
    base,
    event_priority,
    get_plugin_logger,
    options,
)
from .chrome import Chrome, theme_loader
from .link_cards import LinkCards
from .loader import Loader, page_visibility
from .memo import Memo
from .plugin_files import assemble_files, let_go
from .render import SiteRenderer, environment, feed_links
from .render_shelf import RenderShelf
from .review import review
from .search_shelf import SearchShelf
from .model import Entry
from .site import SitePlan, View, escape_meta, plan_site
from .targets import Targets

log = get_plugin_logger("cop-memory")

#: the environment variable that picks the audience when the site's configuration does not
AUDIENCE_VARIABLE = "COP_AUDIENCE"

STYLESHEET = "cop-memory/cop-memory.css"
#: The timelines' filter (progressive enhancement: pages work without it)
SCRIPT = "cop-memory/timeline-filter.js"
#: measures, report pages, and how every page prints
REPORTS_STYLESHEET = "cop-memory/reports.css"
VIEW_PLACEHOLDER = '<div class="copmem-view" data-copmem-view=""></div>'


class AudienceOption(options.Choice):
    """`internal` or `public`; left unset, the environment variable COP_AUDIENCE decides (default internal)."""

    def __init__(self) -> None:
        super().__init__(AUDIENCES)

    def validate(self, value):
        """The audience given, or COP_AUDIENCE's, checked either way."""
        if value is not None:
            return super().validate(value)
        value = os.environ.get(AUDIENCE_VARIABLE) or "internal"
        if value not in AUDIENCES:
            raise ValidationError(f"the environment variable {AUDIENCE_VARIABLE} is {value!r}; "
                                  f"expected one of {', '.join(AUDIENCES)}")
        return value


class AtLeastOne(options.Type):
    """A whole number, 1 or more."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value):
        """The number, if it is a whole number of 1 or more."""
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 1:
            raise ValidationError(f"expected a whole number of 1 or more, found {value!r}")
        return value


class CopMemoryConfig(base.Config):
    """Options of the `cop-memory` plugin."""

    #: Whether the plugin runs at all (as Material's plugins have). A public build needs it.
    enabled = options.Type(bool, default=True)
    #: `internal` (everything) or `public` (public communities and their public entries only);
    #: when not set, the environment variable COP_AUDIENCE, else internal.
    audience = AudienceOption()
    #: Entries per timeline or cycle page before it continues on numbered pages (/timeline/page/2/ ...).
    timeline_limit = AtLeastOne(default=300)
    #: Draw the theme's navigation, tabs and footer once per folder for pages outside the navigation
    #: (the same HTML, much faster); turn off to have every page drawn whole.
    chrome_cache = options.Type(bool, default=True)
    #: Give every page a link-preview card (og:image): a 1200x630 PNG of its title, community and cycles.
    cards = options.Type(bool, default=True)
    #: Where drawn cards are kept between builds, relative to mkdocs.yml (a build draws only new ones).
    cards_cache = options.Type(str, default=".cache/cop-memory/cards")
    #: whether each file's parse is kept between builds, by content, in the user's cache (cache_folder.user_cache)
    parse_cache = options.Type(bool, default=True)
    #: whether the search index's entries for each page are kept between builds, by the page's HTML,
    #: in the user's cache (search_shelf.SearchShelf; Material's search plugin only)
    search_cache = options.Type(bool, default=True)
    #: whether each page's Markdown conversion is kept between builds in the user's cache, by its text, the
    #: links it resolves and the Markdown settings (render_shelf.RenderShelf; only with extensions known to
    #: read nothing but the page)
    render_cache = options.Type(bool, default=True)


class CopMemoryPlugin(BasePlugin[CopMemoryConfig]):
    """Publishes a community-of-practice shared memory with its timelines, matrices and feeds."""

    #: whether this plugin object serves `mkdocs serve`'s rebuilds (set by on_startup)
    serving = False
    loader: Loader | None = None
    memo: Memo | None = None
    #: entry source -> (entry, excerpt, strongest statement), kept across serve rebuilds: --dirty skips unchanged pages
    excerpts: dict | None = None
    search_shelf: SearchShelf | None = None
    render_shelf: RenderShelf | None = None
    dirty = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is `mkdocs serve`: only it rebuilds, so only it keeps parses and views."""
        # Defining on_startup makes MkDocs keep this plugin object across rebuilds (and across
        # builds of one process): a new session starts with a new loader and memo.
        self.serving = command == "serve"
        #: whether rebuilds draw only what changed (`serve --dirty`), rather than every page
        self.dirty = dirty
        self.loader = self.memo = self.excerpts = None
        if dirty and self.config.enabled and self.config.audience == "public":
            # --dirty leaves pages of the last build in place: those of now-internal entries too.
            raise PluginError("cop-memory: a public build cannot be --dirty: it would keep pages of entries "
                              "that are internal now; build it clean")

    def on_shutdown(self) -> None:
        """Let go of what the session kept (parses, views) when `mkdocs serve` or a build ends."""
        self.loader = self.memo = self.excerpts = None

    def on_build_error(self, *, error: Exception) -> None:
        """Stop drawing cards for a build that will not be written; keep no search entries or conversions from it."""
        if getattr(self, "cards", None) is not None:
            self.cards.close()
        self.search_shelf = self.render_shelf = None

    def on_config(self, config: HostConfig) -> HostConfig:
        """Check the site suits the plugin and put its templates and stylesheet in place."""
        if not self.config.enabled:
            if self.config.audience == "public":
                raise PluginError("cop-memory: a public build needs the plugin enabled: without it, "
                                  "internal communities and entries would be published")
            return config
        if self.config.audience == "public":
            _refuse_includes_of_communities(config)
        if any(name.startswith("cop-memory #") for name in config.plugins):
            raise PluginError("cop-memory: the plugin is listed more than once under plugins:; list it once, "
                              "so one audience decides what is published")
        if self.config.audience == "public" and urls.is_local(config.site_url):
            # A warning, so `--strict` fails: feeds, link previews and the sitemap would point at a preview.
            log.warning("site_url is %s, an address on this machine: the public site's feeds, link previews "
                        "and sitemap would point there; set site_url (or COP_SITE_URL) to the address it is "
                        "published at", config.site_url)
        if config.theme.name != "material":
            log.warning("the theme is %r; cop-memory's pages are designed for 'material'", config.theme.name)
        if not config.use_directory_urls:
            raise PluginError("cop-memory: use_directory_urls must be true: the contract's URLs end in '/'")
        templates = str(package_files("generator.site_templates"))
        # Our overrides of Material's partials go just ahead of Material's own templates,
        # after a site's custom_dir, so a site can still override them. They are Material's, for Material.
        overrides = os.path.join(templates, "overrides")
        if overrides not in config.theme.dirs and config.theme.name == "material":
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        # Our own pages' templates go last, like MkDocs' search plugin's, so custom_dir overrides them.
        if templates not in config.theme.dirs:
            config.theme.dirs.append(templates)
        # The cycle pages' anchors ({#applied}) need attr_list; Material recommends it anyway.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(SCRIPT)
        if REPORTS_STYLESHEET not in config.extra_css:
            config.extra_css.append(REPORTS_STYLESHEET)
        return config

    def on_pre_build(self, *, config: HostConfig) -> None:
        """Start this build's state; `mkdocs serve` keeps its loader and memo for the whole session."""
        if self.loader is None or not self.serving:
            self.loader = Loader(cache=self.serving)
            self.memo = Memo(enabled=self.serving)
            self.excerpts = {}
        self.publication: Publication | None = None
        self.plan: SitePlan | None = None
        self.nav: Navigation | None = None
        self.renderer: SiteRenderer | None = None
        self.cards: LinkCards | None = None
        self.files: Files | None = None
        # A build's search entries from the last build's, where the page is the same. A `serve --dirty`
        # session's rebuilds index and convert only the pages they draw, so only its first build uses the
        # shelves; without --dirty, every rebuild draws every page, as a build does.
        every_page = self.loader.loads == 0 or not self.dirty
        self.search_shelf = None
        if self.config.enabled and self.config.search_cache and every_page:
            shelf = SearchShelf(cache_folder.user_cache("search"), config.docs_dir, self.config.audience)
            if shelf.attach(config.plugins.values()):
                self.search_shelf = shelf
        # Likewise each page's Markdown conversion.
        self.render_shelf = None
        if self.config.enabled and self.config.render_cache and every_page:
            shelf = RenderShelf(cache_folder.user_cache("render"), config.docs_dir, self.config.audience, config)
            if shelf.usable:
                self.render_shelf = shelf

    # Runs after other plugins add files (default priority 0 and above), so the
    # audience filter sees, and can remove, every file that would be published.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: HostConfig) -> Files:
        """Read, review and publish the shared memory; replace community files with what the audience may see."""
        if not self.config.enabled:
            return files
        display = os.path.relpath(config.docs_dir, os.path.dirname(config.config_file_path or "."))
        # A serve session's rebuilds keep parses in memory; its first build, like any build, reads the store.
        store = cache_folder.user_cache("parse") if self.config.parse_cache and self.loader.loads == 0 else None
        memory = review(self.loader.load(config.docs_dir, display_dir=display, store=store), self.memo)
        # The cheap test first: thousands of files are entries.
        hand_written = [f.src_uri for f in files if not f.src_uri.startswith("communities/")
                        and f.is_documentation_page() and f.abs_src_path]
        visibility, page_problems = page_visibility(config.docs_dir, hand_written, display)
        publication = self.publication = publish(memory, self.config.audience, self.memo, pages=visibility)
        for problem in sorted(publication.problems + page_problems, key=lambda p: (p.path, p.line)):
            (log.error if problem.is_error else log.warning)("%s", problem)
        # One walk of the history per build; `mkdocs serve` takes it once for the session.
        changed = self.memo("changes", (), lambda: last_changes(
            config.docs_dir, [f.src_uri for f in files if f.is_documentation_page()]))
        plan = self.plan = plan_site(publication, site_url=config.site_url,
                                     timeline_limit=self.config.timeline_limit, memo=self.memo,
                                     site_name=config.site_name, language=config.theme.get("language") or "en",
                                     changed=changed)
        renderer = self.renderer = SiteRenderer(plan, environment(list(config.theme.dirs), self.memo), self.memo,
                                                excerpts=self.excerpts)
        log.info(publication.summary())
        files = self.files = assemble_files(files, config, plan, renderer, publication, log)
        # Every target is known now: what is published, and what is left out (pages and files).
        public = publication.audience == "public"
        renderer.targets = Targets(
            config.site_url, published=(f.url for f in files if f.inclusion not in _LEFT_OUT),
            hidden=publication.hidden_targets, guard_prefix="communities/" if public else "\0")
        return files

    # Before other plugins read page.meta (Material's tags, the search plugin).
    @event_priority(50)
    def on_page_markdown(self, markdown: str, *, page: Page, config: HostConfig, files: Files) -> str:
        """Give planned pages their metadata (set here rather than as front matter: no dump and re-parse per page)."""
        if self.render_shelf is not None:
            self.render_shelf.serve(page)
        if self.plan is not None:
            self._date_for_sitemap(page, page.file.src_uri)
            meta = self.plan.meta_of(page.file.src_uri)
            if meta is not None:
                page.meta = meta
        return markdown

    def _date_for_sitemap(self, page: Page, source: str) -> None:
        """The sitemap's lastmod from the page's content (MkDocs would write the build date)."""
        changed = self.plan.lastmod(source, self.memo)
        if changed is not None:
            page.update_date = changed.isoformat()
        elif self.plan.publication.entries:
            # No date is better than a wrong one. (Only while some page has a date: MkDocs takes
            # the newest page's date for sitemap.xml.gz and needs one.)
            page.update_date = ""

    def on_nav(self, nav: Navigation, *, config: HostConfig, files: Files) -> Navigation:
        """List each community under "Communities" by its title, and the top level in a reader's order."""
        self.nav = nav
        if self.plan is None or config.nav is not None:
            return nav
        homes = {c.source for c in self.plan.publication.communities.values()}
        for item in nav.items:
            if isinstance(item, Section) and item.title == "Communities":
                flattened = []
                for child in item.children:
                    pages = [p for p in getattr(child, "children", None) or [] if isinstance(p, Page)]
                    if isinstance(child, Section) and len(child.children) == 1 and pages \
                            and pages[0].file.src_uri in homes:
                        pages[0].parent = item
                        flattened.append(pages[0])
                    else:
                        flattened.append(child)
                item.children = flattened
        # In the reader's order, with previous/next links to match (MkDocs set them by file name).
        nav.items = nav_order.reader_order(nav.items, [
            item.url for item in self.plan.generated.values() if item.in_nav])
        nav.pages = nav_order.pages_in_order(nav.items)
        nav_order.link_neighbours(nav.pages)
        return nav

    # Last, so the sanitiser and the link judge see the final HTML of the page.
    @event_priority(-100)
    def on_page_content(self, html: str, *, page: Page, config: HostConfig, files: Files) -> str:
        """Give generated pages their body; sanitise entries, take out links to what is left out, redact names."""
        if self.plan is None:
            return html
        source = page.file.src_uri
        if self.plan.view(source) is not None:
            # A view is rendered straight into the written page (on_post_page), so its
            # HTML, the largest of the site, never waits in memory for the whole build.
            return VIEW_PLACEHOLDER
        rendered = self.renderer.page(source, html, page.file.url)
        planned = self.plan.pages.get(source)
        if isinstance(planned, Entry):
            page.meta["description"] = escape_meta({"description": self.renderer.description(planned)})["description"]
            if planned.attribution == "chatham-house":
                # The source file's path is no one's business under the Chatham House rule.
                page.edit_url = None
        if planned is not None and page.toc:
            _escape_toc(page.toc)
        return html if rendered is None else rendered

    def on_env(self, env, *, config: HostConfig, files: Files):
        """Let the theme's chrome be drawn once per folder; leave out the attachments no published page links to."""
        if self.plan is None:
            return env
        overrides = os.path.join(str(package_files("generator.site_templates")), "overrides")
        theme_loader(env, [folder for folder in config.theme.dirs if folder != overrides])
        nav_pages = self.nav.pages if self.nav is not None else ()
        env.globals["copmem_chrome"] = self.chrome = Chrome(env, nav_pages, enabled=self.config.chrome_cache)
        if self.config.cards:
            folder = _beside(config, self.config.cards_cache)
            self.cards = LinkCards(folder, config.site_name)
            # A serve session's first build fills the cache and the site; its rebuilds write the few new cards
            # at the end.
            if not (self.serving and self.memo.holds("cards written ahead", (folder,))):
                self.cards.write_ahead(self.renderer.planned_cards(self.cards, config.site_description or ""),
                                       config.site_dir)
                self.memo.keep("cards written ahead", (folder,), True)
        if self.publication.audience != "public":
            return env
        referenced = self.renderer.targets.referenced
        for source in self.publication.attachments:
            file = files.get_file_from_path(source)
            if file is not None and file.url not in referenced:
                file.inclusion = InclusionLevel.EXCLUDED
        unlinked = sorted(f.src_uri for f in files if f.inclusion.is_included() and not f.is_documentation_page()
                          and f.abs_src_path and f.src_uri not in self.plan.generated
                          and not f.src_uri.startswith("communities/") and f.url not in referenced
                          and f.src_uri not in config.extra_css and f.src_uri not in config.extra_javascript
                          and os.path.realpath(f.abs_src_path).startswith(os.path.realpath(config.docs_dir)))
        if unlinked:
            log.info("the public site also holds %d file%s of the docs folder that no page links to: %s",
                     len(unlinked), "" if len(unlinked) == 1 else "s", ", ".join(unlinked))
        return env

    # Ahead of other plugins: the search plugin writes its index there, the largest string of a build.
    @event_priority(100)
    def on_post_build(self, *, config: HostConfig) -> None:
        """Put the last cards in place; let go of this build's data, or forget what a serve session kept for
        files that were deleted or renamed."""
        if self.cards is not None:
            drawn, failed = self.cards.write(config.site_dir)
            if failed:
                log.error("could not write %d link-preview card%s into the site (%s): check that %s is writable",
                          len(failed), "" if len(failed) == 1 else "s", ", ".join(failed[:3]), config.site_dir)
            if drawn:
                log.info("drew %d link-preview card%s (kept in %s for the next build)", drawn,
                         "" if drawn == 1 else "s", self.config.cards_cache)
        if self.search_shelf is not None:
            # Every page is indexed by now (the search plugin writes its index after this).
            self.search_shelf.save()
            log.debug("search entries: %d pages from the search store, %d parsed",
                      self.search_shelf.reused, self.search_shelf.parsed)
            self.search_shelf = None
        if self.render_shelf is not None:
            self.render_shelf.save()
            log.debug("Markdown conversions: %d pages from the render store, %d converted",
                      self.render_shelf.reused, self.render_shelf.converted)
            self.render_shelf = None
        if self.serving and self.memo is not None:
            self.memo.sweep()
            if self.renderer is not None:
                self.renderer.forget_deleted()
        elif not self.serving:
            # Every page is written: the shared memory, the plan and the views need not outlive the build's
            # end, where the search plugin's index would otherwise sit on top of them (the build's peak).
            let_go(self.files)
            self.plan = self.publication = self.renderer = self.files = self.excerpts = None
            self.loader = None
            give_back_memory()

    def on_post_page(self, output: str, *, page: Page, config: HostConfig) -> str:
        """Add link-preview metadata (Open Graph and Twitter cards) to the page head; draw views."""
        if self.plan is None or "</head>" not in output:
            return output
        source = page.file.src_uri
        fallback = page.meta.get("description") or config.site_description or config.site_name
        image = None
        if self.cards is not None:
            card = self.cards.planned.get(source) or self.renderer.card_of(
                self.cards, source, page.url, page.title, config.site_description or "")
            card_url = self.cards.url(card)
            image = urls.absolute(config.site_url, card_url) or urls.relative(page.url, card_url)
        tags = self.renderer.link_preview(source, page.url, config.site_name, page.title, str(fallback), image)
        tags += feed_links(self.plan, page.file.url, config.site_name)
        output = output.replace("</head>", tags + "</head>", 1)
        view: View | None = self.plan.view(source)
        if view is not None and VIEW_PLACEHOLDER in output:
            output = output.replace(VIEW_PLACEHOLDER, self.renderer.view(view, page.file.url), 1)
        return output


#: the inclusion levels a build does not publish (MkDocs' is_included(), as identities: thousands of files)
_LEFT_OUT = tuple(level for level in InclusionLevel if not level.is_included())


def give_back_memory() -> None:
    """Free what a build let go of, and hand the C heap's free pages back to the system.

    The plan and the views hold reference cycles, which only a full collection frees;
    and the search index's JSON is made of large blocks that glibc maps afresh rather than
    take from pages its heap holds free. Without both, the index would sit on top of
    everything the build held (+36 MB of peak memory at 5,000 entries). malloc_trim is
    glibc's; elsewhere only the collection runs.
    """
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError, TypeError):
        pass


def _beside(config: HostConfig, path: str) -> str:
    """A path relative to the folder of mkdocs.yml (a cache's)."""
    return os.path.join(os.path.dirname(config.config_file_path) if config.config_file_path else os.getcwd(), path)


def _escape_toc(toc) -> None:
    """Escape the titles of a page's table of contents: they come from its headings, and Material prints them raw."""
    for item in toc:
        # Python-Markdown gives heading text with its entities, so escaping the bare
        # characters that can open markup is enough and keeps &amp; as it is.
        item.title = item.title.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        _escape_toc(item.children)


#: Markdown extensions that paste other files into a page, and the option naming where they read from
_INCLUDING_EXTENSIONS = {"pymdownx.snippets": "base_path", "markdown_include.include": "base_path",
                         "mdx_include": "base_path", "include": "base_path"}


def _refuse_includes_of_communities(config: HostConfig) -> None:
    """A public build refuses an extension that could paste a file of communities/ into a public page."""
    communities = os.path.realpath(os.path.join(config.docs_dir, "communities"))
    for name, option in _INCLUDING_EXTENSIONS.items():
        if name not in config.markdown_extensions:
            continue
        paths = (config.mdx_configs.get(name) or {}).get(option, ["."])
        for path in [paths] if isinstance(paths, str) else paths:
            real = os.path.realpath(path)
            if real == communities or communities.startswith(real.rstrip(os.sep) + os.sep) \
                    or real.startswith(communities + os.sep):
                raise PluginError(
                    f"cop-memory: the public build cannot use {name} reading from {path!r}: it could paste an "
                    f"internal file of communities/ into a public page; set its {option} to folders outside "
                    "communities/")
