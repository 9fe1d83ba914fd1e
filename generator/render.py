"""Rendering: the plan's views and pages into HTML through Jinja templates a site may override.

No MkDocs import: the plugin hands in its theme folders (custom_dir first) so
`custom_dir/cop-memory/<name>.html` wins over the packaged template.
`Renderer` draws one fragment per template; `SiteRenderer` draws what the plan
lists (views, community and entry pages, the home page's list, link previews)
and keeps, across `mkdocs serve` rebuilds, what was drawn from unchanged inputs.
"""

from __future__ import annotations

import html as html_lib
import os
from collections.abc import Callable, Sequence
from importlib.resources import files
from operator import attrgetter

import jinja2
from markupsafe import Markup

from . import aims, capital, describe, feeds, html_pass, journeys, sources, urls, views
from . import link_cards, measures, reports
from .cards import Card
from .framework import CAPITAL_INFO, CAPITALS, CYCLE_INFO, CYCLE_QUESTIONS, CYCLES, EVIDENCE, KINDS
from .link_cards import LinkCards
from .memo import Memo, same_objects
from .model import Community, Entry
from .sanitize import clean_html
from .site import COMMUNITIES_MARKER, HOME, Feed, SitePlan, View, feed_title
from .targets import Targets

VALUE_CREATION_PAGE = "value-creation/"
#: Rows the network matrix shows in full before it sends readers to the community matrices.
NETWORK_MATRIX_ROWS = 250
#: Entries a community's home page lists before it points to the timeline.
COMMUNITY_HOME_ENTRIES = 100
#: Entries a report page lists (with their matrix rows) before it sends readers to the timelines and `copmem report`.
REPORT_PAGE_ENTRIES = 250

_SOURCE = attrgetter("source")


def packaged_templates() -> str:
    """The folder of the packaged templates (the theme folder the plugin appends)."""
    return str(files("generator.site_templates"))


def template_env(search_path: Sequence[str] | None = None) -> jinja2.Environment:
    """A Jinja environment over `search_path` (e.g. MkDocs' theme dirs), then the packaged templates."""
    folders = [str(p) for p in (search_path or [])]
    if packaged_templates() not in folders:
        folders.append(packaged_templates())
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.do"],
        # No stat of the template file on each use: `environment` makes a new environment
        # when a template of the search path changes (template_stamp).
        auto_reload=False,
    )
    env.globals.update(cycles=CYCLES, cycle_info=CYCLE_INFO, capitals=CAPITALS, kinds=KINDS)
    env.globals.update(capital_info=CAPITAL_INFO, cycle_questions=CYCLE_QUESTIONS, evidence=EVIDENCE,
                       statement_source=sources.source_html)
    env.filters["longdate"] = lambda d: f"{d.day} {views.MONTHS[d.month - 1]} {d.year}"
    env.filters["plural"] = plural
    return env


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count with its noun: "1 event", "2 events", "1 entry", "3 entries"."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


def template_stamp(search_path: Sequence[str] | None = None) -> tuple:
    """The cop-memory templates on `search_path` as they are now (folder, name, mtime, size).

    `mkdocs serve` keeps one Jinja environment and the views rendered with it
    while this stays the same; editing or adding an override changes it.
    """
    stamp: list[tuple[str, str, int, int]] = []
    for folder in [*(search_path or []), packaged_templates()]:
        try:
            with os.scandir(os.path.join(folder, "cop-memory")) as found:
                for item in found:
                    info = item.stat()
                    stamp.append((str(folder), item.name, info.st_mtime_ns, info.st_size))
        except OSError:
            continue
    # Flat, of strings and numbers only, so memo.Memo compares it by value.
    return tuple(value for item in sorted(stamp) for value in item)


def _draw(entry: Entry, macro, *args):
    """The templates' `kept` where nothing is kept: the macro drawn."""
    return macro(*args)


def relative_url(from_page: str, to: str) -> str:
    """A link from the page at directory URL `from_page` to the site-relative `to` (both without a leading /)."""
    return urls.relative(from_page, to)


class Renderer:
    """Renders each generated page (or page part) as an HTML fragment."""

    def __init__(self, env: jinja2.Environment | None = None, excerpt: Callable[[Entry], str] | None = None,
                 items: dict | None = None):
        self.env = env or template_env()
        #: an entry's excerpt, as its page shows it (timelines list it)
        self.excerpt = excerpt or (lambda entry: "")
        #: (page URL, macro, entry source) -> (entry, the macro's arguments, its HTML), drawn with
        #: `env` (see `kept`); None: every item is drawn
        self.items = items

    def _render(self, name: str, page_url: str, **context) -> str:
        template = self.env.get_template(f"cop-memory/{name}.html")
        return template.render(url=lambda to: relative_url(page_url, to), page_url=page_url,
                               value_page=VALUE_CREATION_PAGE, excerpt=self.excerpt, kept=self._kept(page_url),
                               **context)

    def _kept(self, page_url: str) -> Callable:
        """The templates' `kept(entry, macro, *args)`: `macro(*args)`, the HTML of one entry of a list or matrix.

        A view of thousands of entries is drawn again when one of them changes; with
        `items`, each other entry's item is what was drawn for this page before. An item
        shows its entry, the macro's arguments and links relative to the page: nothing else.
        """
        items = self.items
        if items is None:
            return _draw

        def kept(entry: Entry, macro, *args):
            key = (page_url, macro.name, entry.source)
            hit = items.get(key)
            if hit is not None and hit[0] is entry and hit[1] == args:
                return hit[2]
            drawn = macro(*args)
            items[key] = (entry, args, drawn)
            return drawn

        return kept

    def entry_header(self, entry: Entry, community: Community, page_url: str, *,
                     builds_on: Sequence[Entry] = (), led_to: Sequence[Entry] = (), journey_anchor: str | None = None,
                     community_titles: dict[str, str] | None = None) -> str:
        """The metadata shown above an entry's body: date, kind, community, cycles, capital, people, journey."""
        return self._render("entry_header", page_url, entry=entry, community=community, builds_on=builds_on,
                            led_to=led_to, journey_anchor=journey_anchor, community_titles=community_titles or {},
                            has_evidence=_has_evidence(s for st in entry.cycles.values() for s in st),
                            evidence_kinds={s.evidence for st in entry.cycles.values() for s in st if s.evidence})

    def community_home(self, community: Community, entries: Sequence[Entry], charter_html: str,
                       page_url: str) -> str:
        """A community's front door: domain, how to join, start here, value at a glance, its entries."""
        matrix = views.community_matrix(community, entries)
        return self._render(
            "community_home", page_url, community=community, charter=charter_html,
            entries=views.newest_first(entries), start_here=views.start_here(entries), matrix=matrix,
            strip=timeline_strip(entries), quarters=events_chart(views.events_per_quarter(entries)),
            recent_limit=COMMUNITY_HOME_ENTRIES, aims=aims.aim_progress(matrix),
            capital_counts=capital.capital_counts(entries),
            measures=measures.community_panels(entries), number=measures.display_number, change=measures.display_change,
        )

    def community_timeline(self, community: Community, timeline: views.Timeline, page_url: str, *,
                           page: int = 1, pages: int = 1) -> str:
        """One page of a community's timeline, by year and month."""
        return self._render("timeline", page_url, community=community, timeline=timeline, network=False,
                            page=page, pages=pages, base=community.url + "timeline/")

    def network_timeline(self, timeline: views.Timeline, page_url: str, *, page: int = 1, pages: int = 1) -> str:
        """One page of the network's timeline, each item naming its community."""
        return self._render("timeline", page_url, community=None, timeline=timeline, network=True,
                            page=page, pages=pages, base="timeline/")

    def community_matrix(self, matrix: views.Matrix, page_url: str) -> str:
        """A community's Value Creation Matrix, blank columns and all."""
        statements = [s for row in matrix.rows for st in row.cells.values() for s in st]
        statements += [s for st in matrix.community.aims.values() for s in st]
        return self._render("community_matrix", page_url, matrix=matrix, aims=aims.aim_progress(matrix),
                            has_evidence=_has_evidence(statements))

    def network_matrix(self, network: views.NetworkMatrix, page_url: str) -> str:
        """The communities × cycles overview, shaded by density, then the rows of every community."""
        shown = sum(len(m.rows) for m in network.matrices) <= NETWORK_MATRIX_ROWS
        progress = {m.community.id: aims.aim_progress(m) for m in network.matrices}
        evidenced = shown and _has_evidence(s for m in network.matrices for row in m.rows
                                            for st in row.cells.values() for s in st)
        return self._render("network_matrix", page_url, network=network, shade=views.shade, show_rows=shown,
                            row_budget=NETWORK_MATRIX_ROWS, aims=progress, has_evidence=evidenced)

    def cycle_page(self, view: views.CycleView, page_url: str, *, page: int = 1, pages: int = 1) -> str:
        """A cycle: its meaning, guiding question, and every entry showing it (one page of them)."""
        return self._render("cycle", page_url, view=view, page=page, pages=pages,
                            has_evidence=_has_evidence(s for item in view.items for s in item.statements))

    def journeys_page(self, found: Sequence[journeys.Journey], links: journeys.FollowLinks,
                      titles: dict[str, str], page_url: str, *, first: int = 1, page: int = 1, pages: int = 1,
                      budget: int | None = None) -> str:
        """One page of journeys: each a picture across the cycles (with its text alternative), then the same in words.

        `first` numbers the page's first journey; a journey longer than `budget` entries is listed up to it.
        """
        pictures = [journeys.journey_picture(j, number, titles) for number, j in enumerate(found, start=first)]
        return self._render("journeys", page_url, journeys=found, pictures=pictures, links=links, titles=titles,
                            span=journeys.cycle_span, page=page, pages=pages, budget=budget or 10**9)

    def capital_page(self, view: capital.CapitalView, page_url: str, *, page: int = 1, pages: int = 1) -> str:
        """A kind of knowledge capital: what it is, and the entries naming it, newest first (one page of them)."""
        return self._render("capital", page_url, view=view, page=page, pages=pages)

    def highlights(self, items: Sequence, page_url: str) -> str:
        """The highlights page: chosen entries, newest first, each with its reason and strongest statement."""
        return self._render("highlights", page_url, items=items)

    def network_home(self, communities: dict[str, Community], by_community: dict[str, list[Entry]],
                     page_url: str) -> str:
        """The list of communities for the network's home page: domain, size, latest activity."""
        rows = [(c, len(by_community.get(cid, [])), views.latest(by_community.get(cid, [])))
                for cid, c in sorted(communities.items())]
        chosen = sum(1 for own in by_community.values() for e in own if e.showcase)
        return self._render("network_home", page_url, rows=rows, chosen=chosen)


    def report_page(self, report: reports.Report, page_url: str, *, nav: dict | None = None) -> str:
        """A report for one period (contract 9.3): the network, then each community, its entries listed while few."""
        shown = report.tally.entries <= REPORT_PAGE_ENTRIES
        return self._render("report", page_url, report=report, nav=nav, show_rows=shown, links=True,
                            **_report_helpers())

    def reports_index(self, rows: Sequence, page_url: str) -> str:
        """The list of reports: a row per year (period, entry count) with its quarters."""
        return self._render("reports_index", page_url, rows=rows)

    def report_document(self, report: reports.Report) -> str:
        """A report as one standalone HTML document, its styles (print included) inline, with no site links."""
        body = self._render("report", "", report=report, nav=None, show_rows=True, links=False, **_report_helpers())
        sheets = "\n".join((files("generator.site_templates") / "cop-memory" / name).read_text("utf-8")
                           for name in ("cop-memory.css", "reports.css"))
        # Both are ours: the fragment escaped every user text as it was drawn; the CSS ships in the package.
        return self._render("report_document", "", report=report, body=Markup(body), stylesheets=Markup(sheets))


def _report_helpers() -> dict:
    """How report templates write numbers, changes and counts (the Markdown report writes them the same way)."""
    return {"number": measures.display_number, "change": measures.display_change,
            "tally_sentence": reports.tally_sentence}


def environment(search_path: Sequence[str], memo: Memo) -> jinja2.Environment:
    """The Jinja environment over `search_path`, the same object while the templates stay as they are."""
    # Compiling the templates is a large share of a serve rebuild; views drawn with
    # an environment are kept with it (see SiteRenderer.view).
    folders = list(search_path)
    return memo("templates", (*folders, *template_stamp(folders)), lambda: template_env(folders))


class SiteRenderer:
    """Draws what a site plan lists: views, community and entry pages, feeds, the home page's list, link previews.

    Pages are drawn from the HTML MkDocs rendered from their Markdown: entry and
    community bodies are sanitised, their links and embeds judged by `targets`
    (anything the build leaves out stays text), Chatham House names redacted on
    the text a reader sees, and each entry's excerpt taken from what it shows.
    """

    def __init__(self, plan: SitePlan, env: jinja2.Environment, memo: Memo | None = None, *,
                 targets: Targets | None = None, excerpts: dict | None = None):
        self.plan = plan
        self.memo = memo if memo is not None else Memo(enabled=False)
        # A serve session keeps each list item and matrix row it draws, with the templates it was drawn with.
        items = self.memo("drawn items", (env,), dict) if self.memo.enabled else None
        #: what each entry page a serve session wrote showed (entry source -> `_entry_inputs`)
        self.written: dict[str, tuple] | None = self.memo("written pages", (), dict) if self.memo.enabled else None
        #: the text of each generated file (feeds, exports) as the session last wrote it (see plugin_files)
        self.written_texts: dict[str, str] | None = (self.memo("written texts", (), dict) if self.memo.enabled
                                                      else None)
        self.fragments = Renderer(env, excerpt=self.excerpt, items=items)
        #: the build's published and hidden targets; None until the file list is known
        self.targets = targets
        #: entry source -> (the entry object, its excerpt, its strongest statement on one line): kept across
        #: serve rebuilds by the plugin
        self.excerpts: dict[str, tuple[Entry, str, str]] = {} if excerpts is None else excerpts
        self._public = plan.publication.audience == "public"
        #: feed URL -> its inputs, from feed_is_current to feed (both asked while MkDocs copies the feed)
        self._asked: dict[str, tuple] = {}

    def _view_inputs(self, view: View) -> tuple:
        return (self.fragments.env, *view.inputs)

    def is_unchanged(self, view: View) -> bool:
        """Whether the view's page was last drawn from these very inputs (`mkdocs serve --dirty` may keep it)."""
        # A page in the navigation is always rebuilt: one that --dirty skips has no title
        # for MkDocs to show in the navigation of the pages that are rebuilt.
        return not view.in_nav and self.memo.holds(f"{view.source} at {view.url}", self._view_inputs(view))

    def view(self, view: View, page_url: str) -> str:
        """The body of a generated view page."""
        return self.memo(f"{view.source} at {page_url}", self._view_inputs(view),
                         lambda: getattr(self.fragments, view.renderer)(**view.args, page_url=page_url))

    def _keep(self, page_url: str, source: str):
        """Whether a URL in the page may stay a link or embed (everything, before the targets are known)."""
        targets = self.targets
        if targets is None:
            return None
        return lambda url: not targets.hides(url, page_url, source)

    def page(self, source: str, html: str, page_url: str) -> str | None:
        """The final body of a planned or hand-written page, or None where nothing changes."""
        page = self.plan.pages.get(source)
        if isinstance(page, Entry):
            body = clean_html(html, self._keep(page_url, source))
            names = self.plan.publication.protected.get(source)
            if names:
                body = html_pass.rewrite(body, redact=names.redact)
            # With its strongest statement: feeds and previews describe thousands of entries per build.
            self.excerpts[source] = (page, describe.prose_of_html(body), describe.statement_line(page))
            community = self.plan.publication.communities[page.community]
            builds_on, led_to = self.plan.follow_links.of(page)
            header = self.fragments.entry_header(
                page, community, page_url, builds_on=builds_on, led_to=led_to,
                journey_anchor=self.plan.journey_anchors.get(page.source),
                community_titles={e.community: self.plan.publication.communities[e.community].title
                                  for e in (*builds_on, *led_to)})
            # The header's statement sources may link to files: judged like the body's links, they count as
            # references (a file is published only if a published page links to it).
            # The header's other links (community, cycles, tags, follows) point at published pages by construction.
            keep = self._keep(page_url, source)
            if keep is not None and any(s.source for st in page.cycles.values() for s in st):
                header = html_pass.rewrite(header, keep_url=keep)
            drawn = header + body
            if self.written is not None:
                self.written[source] = self._entry_inputs(page)
            return drawn
        if isinstance(page, Community):
            own = self.plan.by_community[page.id]
            inputs = (self.fragments.env, html, page, self.plan.publication.hidden_token, *own)
            drawn, referenced = self.memo(f"{source} at {page_url}", inputs,
                                          lambda: self._community_home(page, own, html, page_url, source))
            # A kept page still counts for the files it links to: they are published only if linked.
            if self.targets is not None:
                self.targets.referenced |= referenced
            return drawn
        keep = self._keep(page_url, source) if self._public else None
        body = html_pass.rewrite(html, keep_url=keep) if keep is not None else html
        if source == HOME:
            listing = self.fragments.network_home(self.plan.publication.communities, self.plan.by_community,
                                                  page_url)
            if COMMUNITIES_MARKER in body:
                return body.replace(COMMUNITIES_MARKER, listing, 1)
            return body + listing
        return body if body is not html else None

    def _community_home(self, page: Community, own: list[Entry], html: str, page_url: str, source: str
                        ) -> tuple[str, frozenset[str]]:
        """A community's home, and the files its charter links to."""
        targets = self.targets
        if targets is None:
            return self.fragments.community_home(page, own, clean_html(html), page_url), frozenset()
        earlier, targets.referenced = targets.referenced, set()
        try:
            drawn = self.fragments.community_home(page, own, clean_html(html, self._keep(page_url, source)), page_url)
            return drawn, frozenset(targets.referenced)
        finally:
            targets.referenced = earlier | targets.referenced

    def _entry_inputs(self, entry: Entry) -> tuple:
        """Everything an entry's page shows: the entry, its community, what is hidden, the templates, the
        address of its journey, and the entries it builds on and led to (with their communities)."""
        plan = self.plan
        communities = plan.publication.communities
        shown = (self.fragments.env, entry, communities[entry.community], plan.publication.hidden_token,
                 plan.journey_anchors.get(entry.source, ""))
        builds_on, led_to = plan.follow_links.of(entry)
        if not builds_on and not led_to:  # most entries: asked of every page of every serve rebuild
            return shown
        return (*shown, *builds_on, "led to", *led_to, *(communities[e.community] for e in (*builds_on, *led_to)))

    def forget_deleted(self) -> None:
        """Let go of what a serve session kept of entries that are gone (their files deleted or renamed)."""
        if not self.written:
            return
        gone = self.written.keys() - self.plan.pages.keys()
        for source in gone:
            del self.written[source]
        items = self.fragments.items
        if gone and items:
            for key in [key for key in items if key[2] in gone]:
                del items[key]

    def page_is_current(self, source: str) -> bool:
        """Whether an entry's page was written, in this serve session, from exactly what it would show now."""
        written = self.written
        if not written:
            return False
        kept = written.get(source)
        page = self.plan.pages.get(source)
        return kept is not None and isinstance(page, Entry) and same_objects(kept, self._entry_inputs(page))

    def _shown(self, entry: Entry) -> tuple[Entry, str, str] | None:
        """What the entry's page last showed (see `excerpts`), if it was drawn from this very entry."""
        kept = self.excerpts.get(entry.source)
        return kept if kept is not None and kept[0] is entry else None

    def excerpt(self, entry: Entry) -> str:
        """The first paragraph of prose an entry's page shows, cut short (empty before the page is drawn)."""
        kept = self._shown(entry)
        return kept[1] if kept is not None else ""

    def description(self, page: Entry | Community) -> str:
        """What a link preview, the page's meta description and a feed say about a community or entry page."""
        if isinstance(page, Community):
            return page.domain
        kept = self._shown(page)
        if kept is not None:
            return kept[2] or kept[1] or self.plan.publication.communities[page.community].domain
        return describe.description(page, "", self.plan.publication.communities[page.community].domain)

    def _feed_inputs(self, feed: Feed) -> tuple:
        # What each entry's page last showed (a new tuple whenever it is drawn again), looked up in C:
        # the network's feed lists every entry.
        return (self.plan.site_url or "", feed.title, self.plan.changed, *feed.entries,
                *map(self.excerpts.get, map(_SOURCE, feed.entries)))

    def feed_is_current(self, feed: Feed) -> bool:
        """Whether the feed was last drawn, in this serve session, from what it would show now."""
        inputs = self._feed_inputs(feed)
        if self.memo.holds(feed.url, inputs):
            return True
        # Kept for feed(), which MkDocs asks next (the network's feed lists every entry).
        self._asked[feed.url] = inputs
        return False

    def feed(self, feed: Feed) -> str:
        """The text of an Atom feed (after the entry pages are drawn: its summaries are their descriptions)."""
        communities = self.plan.publication.communities
        inputs = self._asked.pop(feed.url, None) or self._feed_inputs(feed)
        # A serve session keeps each entry's part of the feed: one edit redraws one entry, not thousands.
        # An entry's part shows the entry, what its page last showed (excerpt, statement), its community
        # (title; domain, where it has nothing to say) and its date of change (the session's history).
        kept = depends = None
        if self.memo.enabled:
            name, same = f"entries of {feed.url}", (self.plan.site_url or "", self.plan.changed)
            kept = self.memo.get(name, same)
            if kept is None:
                kept = self.memo.keep(name, same, {})
            excerpts = self.excerpts

            def depends(entry: Entry) -> tuple:
                return excerpts.get(entry.source), communities.get(entry.community)
        return self.memo(feed.url, inputs, lambda: feeds.atom_feed(
            feed.entries, title=feed.title, feed_url=feed.url, page_url=feed.page_url, site_url=self.plan.site_url,
            summary=self.description, community_titles={cid: c.title for cid, c in communities.items()},
            updated=self.plan.updated, kept=kept, depends=depends))

    def card_of(self, cards: LinkCards, source: str, url: str, title: str | None, site_description: str) -> Card:
        """The link-preview card of the page at `source` (site-relative `url`): its title, community and cycles."""
        page = self.plan.pages.get(source)
        communities = self.plan.publication.communities
        if isinstance(page, Entry):
            return cards.card(page.title, communities[page.community].title, page.cycles)
        if isinstance(page, Community):
            return cards.card(page.title, page.domain)
        view = self.plan.view(source)
        title = view.title if view is not None else title
        if source == HOME:
            # The site's name is on every card already: the home page's says what the site is.
            return cards.card(site_description or cards.site_name)
        community = community_under(self.plan, url)
        return cards.card(title or "", community.title if community is not None else "")

    def planned_cards(self, cards: LinkCards, site_description: str) -> dict[str, Card]:
        """The card of every page the plan draws (entries, community homes, views) by source, before any is rendered.

        Not those of optional views (a site's own page may stand in their place): they are written at the end."""
        found = {source: self.card_of(cards, source, page.url, page.title, site_description)
                 for source, page in self.plan.pages.items()}
        found.update((source, self.card_of(cards, source, item.url, item.title, site_description))
                     for source, item in self.plan.generated.items() if isinstance(item, View) and not item.optional)
        return found

    def link_preview(self, source: str, url: str, site_name: str, fallback_title: str | None,
                     fallback_description: str, image: str | None = None) -> str:
        """The `<meta>` tags of a page's link preview (Open Graph and Twitter cards), with the card at `image`."""
        page = self.plan.pages.get(source)
        view = self.plan.view(source)
        if page is not None:
            title = page.title
            description = self.description(page)
            kind = "article" if isinstance(page, Entry) else "website"
        else:
            title = view.title if view is not None else fallback_title
            description = view.description if view is not None else fallback_description
            kind = "website"
        absolute = urls.absolute(self.plan.site_url, url)
        # The home page's own title ("Home") says nothing in a preview: the site's name does.
        title = site_name if source == HOME or not title else title
        tags = [
            ("property", "og:type", kind),
            ("property", "og:site_name", site_name),
            ("property", "og:title", title),
            ("property", "og:description", description),
            # og:url must be absolute: without site_url there is none to give.
            *([("property", "og:url", absolute)] if absolute else []),
            ("name", "twitter:card", "summary_large_image" if image else "summary"),
            ("name", "twitter:title", title),
            ("name", "twitter:description", description),
            *(link_cards.meta_tags(image, title) if image else []),
        ]
        return "".join(
            f'<meta {attr}="{name}" content="{html_lib.escape(value or "", quote=True)}">' for attr, name, value in tags
        )


def community_under(plan: SitePlan, url: str) -> Community | None:
    """The published community whose folder the page at site-relative `url` lies in (communities/<id>/...)."""
    parts = url.split("/")
    return plan.publication.communities.get(parts[1]) if len(parts) > 2 and parts[0] == "communities" else None


def feed_links(plan: SitePlan, page_url: str, site_name: str) -> str:
    """The `<link rel="alternate">` tags announcing a page's feeds: the network's, and its community's."""
    feeds = [("feed.xml", feed_title(None, site_name))]
    community = community_under(plan, page_url)
    if community is not None:
        feeds.append((community.url + "feed.xml", feed_title(community.title, site_name)))
    return "".join(
        f'<link rel="alternate" type="application/atom+xml" title="{html_lib.escape(title, quote=True)}" '
        f'href="{html_lib.escape(urls.relative(page_url, url), quote=True)}">' for url, title in feeds)


def timeline_strip(entries: Sequence[Entry], width: int = 600, height: int = 36) -> dict | None:
    """Marks for a compact visual timeline: x by date, colour by the entry's highest cycle."""
    dated = sorted(entries, key=lambda e: (e.date, e.source))
    if not dated:
        return None
    first, last = dated[0].date, dated[-1].date
    span = max((last - first).days, 1)
    pad = 6
    marks = [
        {"x": round(pad + (width - 2 * pad) * (e.date - first).days / span, 1),
         "cycle": e.highest_cycle or "none", "title": f"{e.date.isoformat()}: {e.title}", "url": e.url}
        for e in dated
    ]
    years = list(range(first.year + 1, last.year + 1))
    ticks = [{"x": round(pad + (width - 2 * pad) * (views.dt.date(y, 1, 1) - first).days / span, 1), "label": y}
             for y in years]
    # Year labels sit under the chart as text (the SVG stretches to any width; text in it would too):
    # each at its year's start, as a percentage; the first year's only where it does not crowd the next.
    for tick in ticks:
        tick["percent"] = round(100 * tick["x"] / width, 2)
    labels = ([{"label": first.year, "percent": 0}] if not ticks or ticks[0]["percent"] >= 15 else []) + ticks
    # A label near the right edge ends at the edge instead of running past it (and widening a phone's page).
    for label in labels:
        label["style"] = "right: 0" if label["percent"] > 90 else f"left: {label['percent']}%"
    kinds = [c for c in (*CYCLES, "none") if any(m["cycle"] == c for m in marks)]
    return {"width": width, "height": height, "marks": marks, "ticks": ticks, "first": first, "last": last,
            "labels": labels, "legend": kinds}


def events_chart(quarters: Sequence[views.QuarterStat], height: int = 120) -> dict | None:
    """Bars of attendees per quarter, with the number of events under each."""
    if not quarters:
        return None
    most = max((q.attendees for q in quarters), default=0) or 1
    bar, gap = 28, 8
    # Room above the tallest bar for its value label, and below the bars for the quarter and year.
    top, bottom = 14, 30
    bars = [
        {"x": i * (bar + gap), "h": round((height - top - bottom) * q.attendees / most, 1), "q": q}
        for i, q in enumerate(quarters)
    ]
    return {"width": len(quarters) * (bar + gap), "height": height, "bar": bar, "bars": bars,
            "base": height - bottom}



def _has_evidence(statements) -> bool:
    """Whether any of the statements says what kind of evidence stands behind it (the page then needs the key)."""
    return any(s.evidence for s in statements)
