"""The site's navigation in a reader's order, when the site leaves the navigation to MkDocs.

Without a `nav:` in mkdocs.yml, MkDocs lists pages by file name, so a reader
met "Highlights" before "Communities". The top-level items are put in the
order a newcomer needs them: the home page, the communities, the framework
explainer, the matrix, the timeline, the highlights, any other generated
page (in the plan's order), the tags, then the site's other pages as they
came. Items are MkDocs' navigation objects, read by duck typing (a page has
`file` and `url`, a section `children`), so nothing here imports MkDocs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: Top-level URLs in the reader's order; other generated pages follow "highlights/", before "tags/".
READER_ORDER: tuple[str, ...] = ("", "communities/", "value-creation/", "matrix/", "timeline/", "highlights/")
AFTER_GENERATED: tuple[str, ...] = ("tags/",)


def reader_order(items: Sequence, generated: Iterable[str]) -> list:
    """The top-level items in the reader's order; `generated` lists the plan's in-navigation URLs, in order."""
    rank = {url: index for index, url in enumerate(READER_ORDER)}
    for url in generated:
        rank.setdefault(url, len(rank))
    for url in AFTER_GENERATED:
        rank.setdefault(url, len(rank))
    last = len(rank)
    # sorted() is stable: the site's other pages keep the order MkDocs gave them.
    return sorted(items, key=lambda item: rank.get(_url_of(item), last))


def pages_in_order(items: Iterable) -> list:
    """Every page of the navigation, depth first, in the order shown."""
    found = []
    for item in items:
        children = getattr(item, "children", None)
        if children:
            found += pages_in_order(children)
        elif hasattr(item, "file"):
            found.append(item)
    return found


def link_neighbours(pages: Sequence) -> None:
    """Set each page's previous and next page to its neighbours in `pages` (as MkDocs does)."""
    for index, page in enumerate(pages):
        page.previous_page = pages[index - 1] if index > 0 else None
        page.next_page = pages[index + 1] if index + 1 < len(pages) else None


def _url_of(item) -> str | None:
    """A top-level item's URL: a page's own; a section's first folder (e.g. "communities/")."""
    if getattr(item, "children", None):
        pages = pages_in_order(item.children)
        if not pages:
            return None
        return pages[0].url.split("/", 1)[0] + "/"
    if hasattr(item, "file"):
        url = item.url
        return "" if url in ("", "./", ".") else url
    return None
