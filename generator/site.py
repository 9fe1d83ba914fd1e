"""The site plan: every page and file one audience's build emits, decided in plain Python.

The plugin copies this plan into MkDocs' file list and calls its renderers from
page events; nothing here imports MkDocs, so the CLI and tests use it as is.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files

from . import export, feeds, views
from .audience import Publication
from .memo import Memo
from .model import CYCLES, Community, Entry
from .render import Renderer, template_env, template_stamp
from .sanitize import clean_html

#: (fragment of the page's body HTML, the page's URL) -> final body HTML
PageRenderer = Callable[[str, str], str]

#: Hand-written pages may place the generated list of communities here.
COMMUNITIES_MARKER = "<!-- cop-memory:communities -->"


@dataclass(frozen=True, slots=True)
class Generated:
    """A page or file that has no source: a view, an export or a feed."""

    url: str
    content: str
    in_nav: bool = False
    meta: dict | None = None
    #: a default the site may replace with its own hand-written file
    optional: bool = False
    #: a view out of the navigation whose inputs are the very objects it was last
    #: rendered from: `mkdocs serve --dirty` may keep the page it wrote then
    unchanged: bool = False


@dataclass(frozen=True, slots=True)
class Preview:
    """What a link preview (Open Graph, Twitter card) says about a page."""

    description: str
    kind: str = "website"


@dataclass
class SitePlan:
    """Everything one build emits for the shared memory."""

    publication: Publication
    site_url: str | None
    renderer: Renderer
    #: community homes and entries, published from their source files at their contract URLs
    pages: dict[str, Community | Entry] = field(default_factory=dict)
    generated: dict[str, Generated] = field(default_factory=dict)
    #: renderers of generated views and of hand-written pages that get generated parts
    renderers: dict[str, PageRenderer] = field(default_factory=dict)
    previews: dict[str, Preview] = field(default_factory=dict)
    #: each community's published entries
    by_community: dict[str, list[Entry]] = field(default_factory=dict)
    memo: Memo = field(default_factory=lambda: Memo(enabled=False))

    # What an entry or community page needs is derived when MkDocs asks for it, not
    # stored per page: at network scale the plan would otherwise double the memory.

    def markdown_of(self, source: str) -> str:
        """The Markdown MkDocs renders for a community or entry page (front matter already read)."""
        body = self.pages[source].body
        # A leading --- would be read by MkDocs as front matter: the plugin sets page.meta itself.
        return "\n" + body if body.startswith("---") else body

    def meta_of(self, source: str) -> dict | None:
        """page.meta for a planned page (title, description, tags), or None for other pages."""
        page = self.pages.get(source)
        if isinstance(page, Entry):
            meta = {"title": page.title, "description": self._description(page)}
            if page.tags:
                meta["tags"] = list(page.tags)
            return meta
        if isinstance(page, Community):
            return {"title": page.title, "description": page.domain}
        generated = self.generated.get(source)
        return dict(generated.meta) if generated is not None and generated.meta else None

    def render(self, source: str, html: str, url: str) -> str | None:
        """The final body HTML of a planned page (entry bodies sanitised), or None for other pages."""
        page = self.pages.get(source)
        if isinstance(page, Entry):
            community = self.publication.communities[page.community]
            return self.renderer.entry_header(page, community, url) + clean_html(html)
        if isinstance(page, Community):
            own = self.by_community[page.id]
            return self.memo(f"{source} at {url}", (self.renderer.env, html, page, *own),
                             lambda: self.renderer.community_home(page, own, clean_html(html), url))
        render = self.renderers.get(source)
        return render(html, url) if render is not None else None

    def _description(self, page: Entry | Community) -> str:
        if isinstance(page, Community):
            return page.domain
        return views.excerpt(page.body) or self.publication.communities[page.community].domain

    def link_preview(self, source: str, url: str, title: str | None, site_name: str,
                     fallback_description: str) -> str:
        """The `<meta>` tags of a page's link preview."""
        page = self.pages.get(source)
        if page is not None:
            preview = Preview(self._description(page), "article" if isinstance(page, Entry) else "website")
        else:
            preview = self.previews.get(source) or Preview(fallback_description)
        absolute = feeds.absolute(self.site_url, url)
        tags = [
            ("property", "og:type", "article" if preview.kind == "article" else "website"),
            ("property", "og:site_name", site_name),
            ("property", "og:title", title or site_name),
            ("property", "og:description", preview.description),
            ("property", "og:url", absolute),
            ("name", "twitter:card", "summary"),
            ("name", "twitter:title", title or site_name),
            ("name", "twitter:description", preview.description),
        ]
        return "".join(
            f'<meta {attr}="{name}" content="{html_lib.escape(value or "", quote=True)}">' for attr, name, value in tags
        )


def plan_site(
    publication: Publication,
    *,
    site_url: str | None,
    search_path: list[str] | None = None,
    timeline_limit: int = 300,
    memo: Memo | None = None,
) -> SitePlan:
    """Plan every page, view, export and feed of one audience's build."""
    memo = memo or Memo(enabled=False)
    folders = list(search_path or [])
    # One Jinja environment while the templates stay as they are: compiling them is a
    # large share of a serve rebuild. Views rendered with it are kept with it (see _view).
    env = memo("templates", (*folders, *template_stamp(folders)), lambda: template_env(folders))
    renderer = Renderer(env)
    plan = SitePlan(publication, site_url, renderer)
    plan.memo = memo
    communities = publication.communities
    entries = publication.entries
    everything = (publication.audience, site_url or "", *communities.values(), *entries)
    by_community: dict[str, list[Entry]] = {cid: [] for cid in communities}
    for entry in entries:
        by_community[entry.community].append(entry)
    titles = {cid: c.title for cid, c in communities.items()}

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
        _timeline_pages(plan, f"communities/{cid}/timeline", f"{community.title}: timeline",
                        f"Everything the {community.title} community has recorded, newest first.",
                        timeline, timeline_limit, (community,),
                        lambda page, url, n, pages, c=community: renderer.community_timeline(
                            c, page, url, page=n, pages=pages))
        matrix = matrices[cid] = memo(f"matrix {cid}", data,
                                      lambda c=community, own=own: views.community_matrix(c, own))
        _view(plan, f"communities/{cid}/matrix.md", f"{community.title}: value creation matrix",
              f"The value the {community.title} community has created, cycle by cycle.",
              lambda html, url, m=matrix: renderer.community_matrix(m, url), inputs=inputs, in_nav=False, wide=True)
        exports[cid] = memo(f"export {cid}", data, lambda m=matrix: _export_parts(m))
        feed = f"communities/{cid}/feed.xml"
        plan.generated[feed] = Generated(feed, memo(feed, inputs, lambda c=community, own=own, feed=feed: feeds.atom_feed(
            own, title=f"{c.title}: shared memory", feed_url=feed, page_url=c.url, site_url=site_url,
            summary=_summary, community_titles=titles)))

    ids = sorted(communities)
    network = views.combine_matrices([matrices[cid] for cid in ids])
    # Sorted once for the network timeline and the five cycle pages.
    newest = memo("newest", everything, lambda: views.newest_first(entries))
    timeline = memo("network timeline", everything,
                    lambda: views.network_timeline(newest, communities, ordered=True))
    _timeline_pages(plan, "timeline", "Timeline", "Everything the network's communities have recorded, newest first.",
                    timeline, timeline_limit, tuple(communities.values()),
                    lambda page, url, n, pages: renderer.network_timeline(page, url, page=n, pages=pages),
                    in_nav=True)
    _view(plan, "matrix.md", "Value creation matrix",
          "The value every community has created, across the five cycles.",
          lambda html, url: renderer.network_matrix(network, url), inputs=everything, in_nav=True, wide=True)
    cycle_views = memo("cycles", everything, lambda: views.cycle_views(newest, communities, ordered=True))
    for cycle in CYCLES:
        _cycle_pages(plan, renderer, cycle_views[cycle], timeline_limit, communities)
    plan.generated["matrix.json"] = Generated(
        "matrix.json", export.json_document(publication.audience, (exports[cid][0] for cid in ids)))
    plan.generated["matrix.csv"] = Generated("matrix.csv", export.csv_document(exports[cid][1] for cid in ids))
    plan.generated["feed.xml"] = Generated("feed.xml", memo("feed.xml", everything, lambda: feeds.atom_feed(
        entries, title="Shared memory: all communities", feed_url="feed.xml", page_url="timeline/",
        site_url=site_url, summary=_summary, community_titles=titles)))
    plan.renderers["index.md"] = _network_home(renderer, communities, by_community)
    # Every cycle badge links to the framework page: a site without its own gets ours.
    plan.generated["value-creation.md"] = Generated(
        "value-creation/", (files("generator.site_templates") / "value-creation.md").read_text("utf-8"),
        in_nav=True, optional=True)
    # The Communities section's own page (Material's navigation.indexes uses it).
    _view(plan, "communities/index.md", "Communities", "Every community of the network, with its domain and latest activity.",
          lambda html, url: renderer.network_home(communities, by_community, url), inputs=everything, optional=True)
    return plan


def _export_parts(matrix: views.Matrix) -> tuple[str, str]:
    """A community's part of /matrix.json and of /matrix.csv."""
    data = export.community_data(matrix)
    return export.community_json(data), export.community_csv(data)


def _timeline_pages(plan: SitePlan, base: str, title: str, description: str, timeline: views.Timeline,
                    limit: int, context: tuple, render: Callable, *, in_nav: bool = False) -> None:
    """A timeline: one page, or numbered pages of `limit` entries when it grows long."""
    pages = plan.memo(f"pages of {base}", (timeline, limit), lambda: views.paginate(timeline, limit))
    for number, page in enumerate(pages, start=1):
        source = f"{base}.md" if number == 1 else f"{base}/page/{number}.md"
        _view(plan, source, title if number == 1 else f"{title}, page {number}", description,
              lambda html, url, p=page, n=number: render(p, url, n, len(pages)),
              inputs=(number, len(pages), *context, *(item.entry for item in page.items())),
              in_nav=in_nav and number == 1)


def _cycle_pages(plan: SitePlan, renderer: Renderer, view: views.CycleView, limit: int,
                 communities: dict[str, Community]) -> None:
    """A cycle's page, continued on numbered pages when its evidence grows long."""
    base = f"cycles/{view.info.name}"
    parts = plan.memo(f"pages of {base}", (view, limit), lambda: [
        views.CycleView(view.info, items, total=len(view.items)) for items in views.paginate_items(view.items, limit)])
    for number, part in enumerate(parts, start=1):
        source = f"{base}.md" if number == 1 else f"{base}/page/{number}.md"
        title = view.info.label if number == 1 else f"{view.info.label}, page {number}"
        _view(plan, source, title, view.info.meaning,
              lambda html, url, v=part, n=number: renderer.cycle_page(v, url, page=n, pages=len(parts)),
              inputs=(number, len(parts), len(view.items), *communities.values(), *(i.entry for i in part.items)),
              in_nav=False)


def _view(plan: SitePlan, source: str, title: str, description: str, render: PageRenderer,
          *, inputs: tuple, in_nav: bool = True, optional: bool = False, wide: bool = False) -> None:
    """Add a generated view page; its body is rendered when MkDocs renders the page (or reused, see Memo)."""
    # Views repeat what entries say: keep them out of search so results point at the entries.
    meta = {"title": title, "description": description, "search": {"exclude": True}}
    if wide:
        # Material's `hide: [toc]` gives a wide table the table-of-contents column.
        meta["hide"] = ["toc"]
    url = _url_of(source)
    inputs = (plan.renderer.env, *inputs)
    # A page in the navigation is always rebuilt: one that --dirty skips has no title
    # for MkDocs to show in the navigation of the pages that are rebuilt.
    unchanged = not in_nav and plan.memo.holds(f"{source} at {url}", inputs)
    plan.generated[source] = Generated(url, "", in_nav, meta, optional, unchanged)
    plan.renderers[source] = lambda html, url: plan.memo(f"{source} at {url}", inputs, lambda: render(html, url))
    plan.previews[source] = Preview(description)


def _network_home(renderer: Renderer, communities: dict[str, Community],
                  by_community: dict[str, list[Entry]]) -> PageRenderer:
    """The home page: its own text, with the generated list of communities at the marker or at the end."""

    def render(html: str, url: str) -> str:
        listing = renderer.network_home(communities, by_community, url)
        if COMMUNITIES_MARKER in html:
            return html.replace(COMMUNITIES_MARKER, listing, 1)
        return html + listing

    return render


def _summary(entry: Entry) -> str:
    return views.excerpt(entry.body)


def _url_of(source: str) -> str:
    """The directory URL MkDocs gives a Markdown source."""
    stem = re.sub(r"\.md$", "", source)
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"
