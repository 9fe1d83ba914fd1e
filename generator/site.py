"""The site plan: every page and file one audience's build emits, as data.

`plan_site` lists the community and entry pages (published from their source
files at their contract URLs), the generated views (each with the data its
template shows and the objects it was assembled from), and the generated files
(exports and feeds, with their text). Rendering a view is `render.py`'s job; the
plugin hands both to MkDocs. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import functools
import html as html_lib
import re
from dataclasses import dataclass, field
from importlib.resources import files
from operator import attrgetter

from . import capital, export, highlights, journeys, redirects, urls, views
from . import measures, periods, reports
from .audience import Publication
from .framework import CAPITAL_INFO, CAPITALS, CYCLES
from .memo import Memo
from .model import Community, Entry

#: Hand-written pages may place the generated list of communities here.
COMMUNITIES_MARKER = "<!-- cop-memory:communities -->"
#: The home page: a hand-written page that gets the generated list of communities.
HOME = "index.md"
#: the entry of a matrix row, a timeline's or a cycle page's item
_ENTRY = attrgetter("entry")


@dataclass(frozen=True, slots=True)
class View:
    """A generated page: which renderer draws it, from what, and how MkDocs lists it."""

    source: str
    url: str
    title: str
    description: str
    #: the `render.Renderer` method that draws it, and its arguments
    renderer: str
    args: dict
    #: the objects the view was assembled from: a serve rebuild reuses its page while they are the same
    inputs: tuple
    in_nav: bool = False
    #: a default the site may replace with its own hand-written page
    optional: bool = False
    #: a wide table: Material's table of contents column is hidden
    wide: bool = False

    @property
    def meta(self) -> dict:
        """page.meta for the view."""
        # Views repeat what entries say: kept out of search so results point at the entries.
        meta = {"title": self.title, "description": self.description, "search": {"exclude": True}}
        if self.wide:
            meta["hide"] = ["toc"]
        return meta


@dataclass(frozen=True, slots=True)
class Feed:
    """An Atom feed: drawn after every entry page is rendered, since its summaries are what readers see there."""

    url: str
    title: str
    #: the site-relative URL of the page the feed stands for
    page_url: str
    entries: tuple[Entry, ...]
    in_nav: bool = False
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated file that is not a page (an export or a feed), or a default hand-written page."""

    url: str
    content: str
    in_nav: bool = False
    #: a default the site may replace with its own file
    optional: bool = False


@dataclass
class SitePlan:
    """Everything one build emits for the shared memory."""

    publication: Publication
    site_url: str | None
    #: community homes and entries, published from their source files at their contract URLs
    pages: dict[str, Community | Entry] = field(default_factory=dict)
    #: generated views and files, in the order they are added to the site (the navigation follows it)
    generated: dict[str, View | Feed | Generated] = field(default_factory=dict)
    #: each community's published entries
    by_community: dict[str, list[Entry]] = field(default_factory=dict)
    #: when source files last changed, where their history tells (docs-relative path -> UTC time)
    changed: dict[str, dt.datetime] = field(default_factory=dict)
    #: what each published entry builds on and led to, and the anchor of its journey on /journeys/
    follow_links: journeys.FollowLinks = field(default_factory=journeys.FollowLinks)
    journey_anchors: dict[str, str] = field(default_factory=dict)
    #: id of what views show -> (it, its newest change): many views show every entry (`everything`)
    _newest_of: dict[int, tuple] = field(default_factory=dict, repr=False)

    def view(self, source: str) -> View | None:
        """The generated view at `source`, if any."""
        found = self.generated.get(source)
        return found if isinstance(found, View) else None

    # What an entry or community page needs is derived when MkDocs asks for it, not
    # stored per page: at network scale the plan would otherwise double the memory.

    def markdown_of(self, source: str) -> str:
        """The Markdown MkDocs renders for a community or entry page (front matter already read)."""
        # A leading blank line: MkDocs would otherwise read a first line like `---` as front
        # matter, or `Outcome: fewer admissions` as MultiMarkdown metadata, and drop it.
        return "\n" + self.pages[source].body

    def meta_of(self, source: str) -> dict | None:
        """page.meta for a planned page, its text escaped for HTML (MkDocs and Material print it raw)."""
        page = self.pages.get(source)
        if isinstance(page, Entry):
            meta = {"title": page.title}
            if page.tags:
                meta["tags"] = list(page.tags)
        elif isinstance(page, Community):
            meta = {"title": page.title, "description": page.domain}
        else:
            view = self.view(source)
            if view is None:
                return None
            meta = view.meta
        return escape_meta(meta)

    def updated(self, entry: Entry) -> dt.datetime:
        """When an entry last changed: its file's last change, never before its own date."""
        day = _day_start(entry.date)
        change = self.changed.get(entry.source)
        return max(change, day) if change is not None else day

    def lastmod(self, source: str, memo: Memo | None = None) -> dt.date | None:
        """When a page's content last changed, for the sitemap; None when nothing says (no build date).

        With `memo`, a view's or community's date is kept while what it shows is
        the same (a serve rebuild asks it of every rebuilt page, each showing thousands of entries).
        """
        page = self.pages.get(source)
        if isinstance(page, Entry):
            return self.updated(page).date()
        if isinstance(page, Community):
            shown: tuple = (page, *self.by_community.get(page.id, ()))
        else:
            view = self.view(source)
            if view is None:
                change = self.changed.get(source)
                return change.date() if change is not None else None
            shown = view.inputs
        if memo is None:
            return self._newest(shown)
        return memo(f"lastmod {source}", (self.changed, *shown), lambda: self._newest(shown))

    def _newest(self, shown: tuple) -> dt.date | None:
        # Once per build for what several views show (the same tuple: every entry, for a page of the network's).
        kept = self._newest_of.get(id(shown))
        if kept is None or kept[0] is not shown:
            kept = self._newest_of[id(shown)] = (shown, self._newest_change(shown))
        return kept[1]

    def _newest_change(self, shown: tuple) -> dt.date | None:
        # The newest of `updated()` over the entries, without a datetime per entry: the newest
        # change of any page shown, or the newest entry's own date if that is later.
        changed = self.changed
        pages = [item for item in shown if isinstance(item, (Entry, Community))]
        dates = [changed[page.source] for page in pages if page.source in changed]
        days = [page.date for page in pages if isinstance(page, Entry)]
        if days:
            dates.append(_day_start(max(days)))
        return max(dates).date() if dates else None


@functools.lru_cache(maxsize=8192)  # a feed asks for every entry's; entries share days
def _day_start(day: dt.date) -> dt.datetime:
    """The start of an entry's day, UTC: the earliest an entry can have changed."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def escape_meta(meta: dict) -> dict:
    """page.meta with its text (title, description, tags) escaped: MkDocs and Material print it as HTML."""
    escaped = dict(meta)
    for key in ("title", "description"):
        if isinstance(escaped.get(key), str):
            escaped[key] = escape_text(escaped[key])
    if "tags" in escaped:
        escaped["tags"] = [escape_text(tag) for tag in escaped["tags"]]
    return escaped


def escape_text(text: str) -> str:
    """Plain text made safe in HTML text and in double-quoted attributes (`'` is left as the reader typed it)."""
    return html_lib.escape(text, quote=False).replace('"', "&quot;")


def robots_txt(audience: str, site_url: str | None) -> str:
    """robots.txt: the public site open to crawlers and naming its sitemap; the internal one closed."""
    if audience != "public":
        # The internal site belongs behind access control; should it ever be reachable, crawlers stay out.
        return "User-agent: *\nDisallow: /\n"
    sitemap = urls.absolute(site_url, "sitemap.xml")
    return "User-agent: *\nDisallow:\n" + (f"\nSitemap: {sitemap}\n" if sitemap else "")


def feed_title(community: str | None, site_name: str) -> str:
    """A feed's title: the network's name, and the community's for a community's feed."""
    if community is None:
        return site_name or "Shared memory: all communities"
    return f"{community} · {site_name}" if site_name else f"{community}: shared memory"


def plan_site(publication: Publication, *, site_url: str | None, timeline_limit: int = 300,
              memo: Memo | None = None, site_name: str = "", language: str = "en",
              changed: dict[str, dt.datetime] | None = None) -> SitePlan:
    """Plan every page, view, export and feed of one audience's build (`changed`: see `changes.last_changes`)."""
    memo = memo if memo is not None else Memo(enabled=False)
    plan = SitePlan(publication, site_url, changed=changed if changed is not None else {})
    communities = publication.communities
    entries = publication.entries
    everything = (publication.audience, site_url or "", *communities.values(), *entries)
    by_community: dict[str, list[Entry]] = {cid: [] for cid in communities}
    for entry in entries:
        by_community[entry.community].append(entry)

    plan.by_community = by_community
    for entry in entries:
        plan.pages[entry.source] = entry

    # Each community's own views and its share of the exports are kept per community,
    # so a serve rebuild after one edit recomputes only the edited entry's community.
    matrices: dict[str, views.Matrix] = {}
    exports: dict[str, tuple[str, str]] = {}
    for cid, community in communities.items():
        own = by_community[cid]
        data = (community, *own)
        inputs = (site_url or "", community, *own)
        plan.pages[community.source] = community
        timeline = memo(f"timeline {cid}", data, lambda own=own: views.community_timeline(own))
        _timeline_pages(plan, memo, f"communities/{cid}/timeline", f"{community.title}: timeline",
                        f"Everything the {community.title} community has recorded, newest first.",
                        timeline, timeline_limit, (community,), "community_timeline", {"community": community})
        matrix = matrices[cid] = memo(f"matrix {cid}", data,
                                      lambda c=community, own=own: views.community_matrix(c, own))
        _add_view(plan, f"communities/{cid}/matrix.md", f"{community.title}: Value Creation Matrix",
                  f"The value the {community.title} community has created, cycle by cycle.",
                  "community_matrix", {"matrix": matrix}, inputs=inputs, in_nav=False, wide=True)
        exports[cid] = memo(f"export {cid}", data, lambda m=matrix, c=cid: export.community_parts(
            m, memo.each(f"export rows {c}", m.rows, lambda row, c=c: export.row_parts(c, row), by=_ENTRY)))
        feed = f"communities/{cid}/feed.xml"
        plan.generated[feed] = Feed(feed, feed_title(community.title, site_name), community.url, tuple(own))

    ids = sorted(communities)
    network = views.combine_matrices([matrices[cid] for cid in ids])
    # Sorted once for the network timeline and the five cycle pages.
    # After an edit that moves no entry (its body, say), a serve rebuild patches the network-wide lists of
    # the last build rather than sort and group thousands of entries again (views.swapped_entries).
    newest = memo.patched("newest", everything, lambda: views.newest_first(entries),
                          lambda before, kept: _patch(before, everything, kept, views.swap_in_order))
    timeline = memo.patched("network timeline", everything,
                            lambda: views.network_timeline(newest, communities, ordered=True),
                            lambda before, kept: _patch(before, everything, kept, views.swap_in_timeline))
    _timeline_pages(plan, memo, "timeline", "Timeline", "Everything the network's communities have recorded, newest first.",
                    timeline, timeline_limit, tuple(communities.values()), "network_timeline", {}, in_nav=True)
    _add_view(plan, "matrix.md", "Value Creation Matrix",
              "The value every community has created, across the five cycles.",
              "network_matrix", {"network": network}, inputs=everything, in_nav=True, wide=True)
    cycle_views = memo.patched("cycles", everything, lambda: views.cycle_views(newest, communities, ordered=True),
                               lambda before, kept: _patch(before, everything, kept, views.swap_in_cycles))
    for cycle in CYCLES:
        _cycle_pages(plan, memo, cycle_views[cycle], timeline_limit, communities)
    _value_case_pages(plan, memo, everything, newest, timeline_limit)
    plan.generated["matrix.json"] = Generated(
        "matrix.json", export.json_document(publication.audience, (exports[cid][0] for cid in ids)))
    plan.generated["matrix.csv"] = Generated("matrix.csv", export.csv_document(exports[cid][1] for cid in ids))
    plan.generated["feed.xml"] = Feed("feed.xml", feed_title(None, site_name), "timeline/", tuple(entries))
    chosen = memo("highlights", everything, lambda: highlights.highlights(newest, communities))
    _add_view(plan, "highlights.md", "Highlights",
              "Entries the communities chose to show outsiders, each with why it was chosen.",
              "highlights", {"items": chosen}, inputs=everything, in_nav=True)
    plan.generated["robots.txt"] = Generated("robots.txt", robots_txt(publication.audience, site_url), optional=True)
    # Every cycle badge links to the framework page: a site without its own gets ours.
    plan.generated["value-creation.md"] = Generated(
        "value-creation/", (files("generator.site_templates") / "value-creation.md").read_text("utf-8"),
        in_nav=True, optional=True)
    # The Communities section's own page (Material's navigation.indexes uses it).
    _add_view(plan, "communities/index.md", "Communities",
              "Every community of the network, with its domain and latest activity.",
              "network_home", {"communities": communities, "by_community": by_community},
              inputs=everything, in_nav=True, optional=True)
    # Reports for sponsors and the measures export (contract 9.3).
    plan.generated["measures.csv"] = Generated(
        "measures.csv", memo("measures.csv", everything, lambda: measures.measures_csv(entries)))
    _report_pages(plan, memo, everything)
    # Keep last: a redirect must never stand where anything above publishes a page.
    _redirects(plan, memo, everything, language)
    return plan


def _patch(before: tuple, now: tuple, kept, swap_in):
    """`kept` (computed from `before`) with the entries `now` swapped in, or None where they moved."""
    swap = views.swapped_entries(before, now)
    return None if swap is None else swap_in(kept, swap)


def _redirects(plan: SitePlan, memo: Memo, everything: tuple, language: str) -> None:
    """A redirect file for each alias of each published entry, where no page of the plan stands."""
    taken = {page.url for page in plan.pages.values()} | {
        item.url for item in plan.generated.values() if isinstance(item, View)}
    files = memo("redirects", (*everything, language), lambda: redirects.redirect_files(
        (e for e in plan.publication.entries if e.aliases), taken, plan.site_url, language))
    for path, html in files.items():
        plan.generated[path] = Generated(path, html)


def _timeline_pages(plan: SitePlan, memo: Memo, base: str, title: str, description: str, timeline: views.Timeline,
                    limit: int, context: tuple, renderer: str, args: dict, *, in_nav: bool = False) -> None:
    """A timeline: one page, or numbered pages of `limit` entries when it grows long."""
    pages = memo(f"pages of {base}", (timeline, limit), lambda: views.paginate(timeline, limit))
    for number, page in enumerate(pages, start=1):
        source = f"{base}.md" if number == 1 else f"{base}/page/{number}.md"
        _add_view(plan, source, title if number == 1 else f"{title}, page {number}", description,
                  renderer, {**args, "timeline": page, "page": number, "pages": len(pages)},
                  inputs=(number, len(pages), *context, *map(_ENTRY, page.items())),
                  in_nav=in_nav and number == 1)


def _cycle_pages(plan: SitePlan, memo: Memo, view: views.CycleView, limit: int,
                 communities: dict[str, Community]) -> None:
    """A cycle's page, continued on numbered pages when its evidence grows long."""
    base = f"cycles/{view.info.name}"
    parts = memo(f"pages of {base}", (view, limit), lambda: [
        views.CycleView(view.info, items, total=len(view.items)) for items in views.paginate_items(view.items, limit)])
    for number, part in enumerate(parts, start=1):
        source = f"{base}.md" if number == 1 else f"{base}/page/{number}.md"
        title = view.info.label if number == 1 else f"{view.info.label}, page {number}"
        _add_view(plan, source, title, view.info.meaning, "cycle_page",
                  {"view": part, "page": number, "pages": len(parts)},
                  inputs=(number, len(parts), len(view.items), *communities.values(), *map(_ENTRY, part.items)),
                  in_nav=False)


def _value_case_pages(plan: SitePlan, memo: Memo, everything: tuple, newest: list[Entry], limit: int) -> None:
    """The journeys page and the five knowledge-capital pages (contract 9.3), and the links entry pages show."""
    communities = plan.publication.communities
    titles = {cid: c.title for cid, c in communities.items()}
    links = plan.follow_links = memo("follow links", everything, lambda: journeys.follow_links(newest))
    found = memo("journeys", everything, lambda: journeys.journeys(newest, links))
    # Half a timeline page of entries: a journey's picture and list weigh about twice a timeline item.
    pages = memo("pages of journeys", (found, limit), lambda: journeys.paginate(found, max(1, limit // 2)))
    plan.journey_anchors = memo("journey anchors", (pages,), lambda: journeys.anchors(pages))
    first = 1
    for number, page in enumerate(pages, start=1):
        source = "journeys.md" if number == 1 else f"journeys/page/{number}.md"
        _add_view(plan, source, "Journeys" if number == 1 else f"Journeys, page {number}",
                  "How value travelled from one entry to the next, across the cycles.", "journeys_page",
                  {"found": page, "links": links, "titles": titles, "first": first, "page": number,
                   "pages": len(pages), "budget": max(1, limit // 2)},
                  inputs=(number, len(pages), *communities.values(), *(e for j in page for e in j.entries)),
                  in_nav=False, wide=True)
        first += len(page)
    views_by_kind = memo("capital", everything, lambda: capital.capital_views(newest, communities))
    for kind in CAPITALS:
        view = views_by_kind[kind]
        base = f"capital/{kind}"
        parts = memo(f"pages of {base}", (view, limit), lambda view=view: [
            capital.CapitalView(view.info, items, total=len(view.items))
            for items in views.paginate_items(view.items, limit)])
        for number, part in enumerate(parts, start=1):
            source = f"{base}.md" if number == 1 else f"{base}/page/{number}.md"
            title = CAPITAL_INFO[kind].label if number == 1 else f"{CAPITAL_INFO[kind].label}, page {number}"
            _add_view(plan, source, title, f"Knowledge capital: {CAPITAL_INFO[kind].short}.", "capital_page",
                      {"view": part, "page": number, "pages": len(parts)},
                      inputs=(number, len(parts), len(view.items), *communities.values(),
                              *(item.entry for item in part.items)), in_nav=False)


def _add_view(plan: SitePlan, source: str, title: str, description: str, renderer: str, args: dict,
              *, inputs: tuple, in_nav: bool = True, optional: bool = False, wide: bool = False) -> None:
    plan.generated[source] = View(source, url_of(source), title, description, renderer, args, inputs,
                              in_nav, optional, wide)


def url_of(source: str) -> str:
    """The directory URL MkDocs gives a Markdown source."""
    stem = re.sub(r"\.md$", "", source)
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _report_pages(plan: SitePlan, memo: Memo, everything: tuple) -> None:
    """/reports/ and a report per year and quarter, from the first dated entry to the last."""
    publication = plan.publication
    # Sorted once per community, kept per community: a serve rebuild sorts only the edited entry's again.
    parts = {cid: memo(f"report index {cid}", (community, *plan.by_community[cid]),
                       lambda own=plan.by_community[cid]: reports.CommunityIndex(own))
             for cid, community in publication.communities.items()}
    index = reports.ReportIndex.of(publication.communities, parts, publication.audience)
    counts = [(period, index.count(period)) for period in index.periods]
    rows = [(year, [next((q for q in quarters if q.period.quarter == n), None) for n in range(1, 5)])
            for year, quarters in _years(counts)]
    _add_view(plan, "reports/index.md", "Reports",
              "A report per year and per quarter: entries, value cycles, measures, aims and highlights.",
              "reports_index", {"rows": rows},
              inputs=(publication.audience, ";".join(f"{p.slug}:{n}" for p, n in counts)), in_nav=True)
    # A report shows its period's entries and the previous period's; what it says of aims and of
    # whether a community had begun comes from every entry, summed up in one stamp.
    stamp = index.stamp()
    known = set(index.periods)
    communities = tuple(publication.communities.values())
    for period in index.periods:
        shown = (period.slug, stamp, *communities, *index.shown_in(period))
        report = memo(f"report {period.slug}", (publication.audience, *shown), lambda p=period: index.report(p))
        later = period.next()
        nav = {"previous": period.previous() if period.previous() in known else None,
               "next": later if later in known else None,
               "year": periods.Period(period.year) if period.is_quarter else None}
        _add_view(plan, f"reports/{period.slug}.md", report.title,
                  f"What the communities recorded in {period.span}: entries, value cycles, measures, aims and highlights.",
                  "report_page", {"report": report, "nav": nav}, inputs=(publication.audience, *shown), in_nav=False)


def _years(counts: list) -> list:
    """(year, its quarters) from a list of (period, entry count), each as a `PeriodCount`."""
    years: list = []
    for period, entries in counts:
        if not period.is_quarter:
            years.append((PeriodCount(period, entries), []))
        else:
            years[-1][1].append(PeriodCount(period, entries))
    return years


@dataclass(frozen=True, slots=True)
class PeriodCount:
    """A period with a report, and how many entries it covers."""

    period: periods.Period
    entries: int
