"""The public build cannot leak: canaries in every internal place, scanned in every output file.

Each internal place holds a unique canary string; the public site is scanned
recursively (gzip unpacked) and no internal canary may appear, while every
public canary must (nothing over-filtered). The same fixture checks Chatham
House names, attachments, links across the line, raw HTML and determinism.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pytest

INTERNAL_CANARIES = {
    "internal community name": "ZQXcommunitytitle",
    "internal community domain": "ZQXcommunitydomain",
    "internal community id": "zqx-hidden-circle",
    "internal community charter": "ZQXcharterbody",
    "internal entry title": "ZQXentrytitle",
    "internal entry body": "ZQXentrybody",
    "internal entry statement": "ZQXstatement",
    "internal entry tag": "ZQXtag",
    "internal entry person": "ZQXperson",
    "internal entry file name": "zqx-file-name",
    "internal attachment": "zqx-attachment",
    "internal entry in public community": "ZQXinpublic",
    "unreferenced attachment": "zqx-unreferenced",
    "chatham house person": "Zelda Quixote",
    "chatham house organisation": "Quixote Foundation",
    "chatham house reporter": "Xavier Zed",
    "unsafe script": "zqxscript",
    "unsafe handler": "zqxhandler",
    "internal community aim": "ZQXaim",
    "internal entry showcase": "ZQXshowcase",
    "internal entry old address (alias)": "zqx-old-address",
    "internal entry statement source": "ZQXsource",
    "internal follows target in another community": "zqx-followed",
    "internal source link target": "zqx-source-target",
    "internal follows target's title (another community)": "ZQXfollowedtitle",
    "internal entry measure name": "zqx-measure",
    "internal entry measure value": "8642097",
    "internal community measure name": "zqx-community-measure",
    "internal community measure value": "7531864",
}
PUBLIC_CANARIES = {
    "public community name": "PUBcommunitytitle",
    "public community domain": "PUBcommunitydomain",
    "public entry title": "PUBentrytitle",
    "public entry body": "PUBentrybody",
    "public entry statement": "PUBstatement",
    "public entry tag": "PUBtag",
    "public attachment": "pub-attachment",
    "link text across the line": "PUBlinktext",
    "chatham house story body": "PUBchathambody",
    "public community aim": "PUBaim",
    "public entry showcase": "PUBshowcase",
    "public statement source": "PUBsource",
    "source link text to an internal page": "PUBsourcelink",
    "public entry measure": "pub-measure",
}


def all_text(site: Path) -> dict[str, str]:
    """Every file of the site as text, gzip unpacked, keyed by its relative path."""
    texts = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        texts[str(path.relative_to(site))] = data.decode("utf-8", errors="replace")
    return texts


def find(texts: dict[str, str], needle: str) -> list[str]:
    """The files (or file names) a string appears in, case-insensitively."""
    lowered = needle.lower()
    return [name for name, text in texts.items() if lowered in text.lower() or lowered in name.lower()]


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("canary"))
    # Material's tags plugin lists tags here: it must list only what the audience may see.
    site.write("tags.md", "# Tags\n\n<!-- material/tags -->\n")
    site.write("communities/pub-circle/index.md", """\
        ---
        title: PUBcommunitytitle
        domain: PUBcommunitydomain
        visibility: public
        aims:
          applied: PUBaim
        ---
        A public charter. ![logo](pub-attachment-logo.svg)
        """)
    site.write("communities/pub-circle/pub-attachment-logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.write("communities/pub-circle/zqx-unreferenced.pdf", b"%PDF-1.4 zqx-unreferenced")
    site.write("communities/pub-circle/stories/2020-02-02-public-story.md", """\
        ---
        title: PUBentrytitle
        date: 2020-02-02
        kind: story
        visibility: public
        tags: [PUBtag]
        capital: [social]
        showcase: PUBshowcase
        follows: [zqx-hidden-circle/zqx-followed]
        cycles:
          applied:
            text: PUBstatement
            evidence: records
            source: "PUBsource, [PUBsourcelink](../2020-03-03-zqx-file-name.md), [x](../../zqx-hidden-circle/zqx-source-target.pdf)"
        ---
        PUBentrybody. See [PUBlinktext](../2020-03-03-zqx-file-name.md) and [x](../../zqx-hidden-circle/index.md).
        <script>zqxscript()</script> <img src="pub-x.png" onerror="zqxhandler()">
        """)
    site.write("communities/pub-circle/2020-03-03-zqx-file-name.md", """\
        ---
        title: ZQXinpublic ZQXentrytitle
        date: 2020-03-03
        kind: story
        tags: [ZQXtag]
        people: [ZQXperson]
        capital: [social]
        showcase: ZQXshowcase
        follows: [public-story]
        aliases: [zqx-old-address]
        cycles:
          realised:
            text: ZQXstatement
            evidence: survey
            source: ZQXsource
        measures:
          zqx-measure: 8642097
        ---
        ZQXentrybody ![a](zqx-attachment.png)
        """)
    site.write("communities/pub-circle/zqx-attachment.png", b"\x89PNG zqx-attachment")
    site.write("communities/pub-circle/2020-04-04-chatham.md", """\
        ---
        title: What Zelda Quixote told us
        date: 2020-04-04
        kind: story
        visibility: public
        attribution: chatham-house
        people: [Zelda Quixote]
        organisations: [Quixote Foundation]
        reporters: [Xavier Zed]
        follows: [public-story, zqx-file-name]
        showcase: Zelda Quixote persuaded the Quixote Foundation
        cycles:
          transformative:
            text: The Quixote Foundation now counts trust, said Zelda Quixote
            source: Notes of Xavier Zed, Quixote Foundation archive
        measures:
          pub-measure: 4242
        ---
        PUBchathambody. Zelda Quixote of the Quixote Foundation spoke; Xavier Zed wrote it up.
        """)
    site.write("communities/zqx-hidden-circle/index.md", """\
        ---
        title: ZQXcommunitytitle
        domain: ZQXcommunitydomain
        aims:
          applied: ZQXaim
        ---
        ZQXcharterbody
        """)
    site.write("communities/zqx-hidden-circle/zqx-source-target.pdf", b"%PDF-1.4 zqx-source-target")
    site.write("communities/zqx-hidden-circle/2019-01-01-zqx-followed.md", """\
        ---
        title: ZQXfollowedtitle, an entry a public entry follows
        date: 2019-01-01
        visibility: public
        ---
        ZQXentrybody
        """)
    site.write("communities/zqx-hidden-circle/2020-05-05-also-public.md", """\
        ---
        title: ZQXentrytitle in internal community
        date: 2021-08-08
        visibility: public
        measures:
          zqx-community-measure: 7531864
        ---
        ZQXentrybody
        """)
    return site


@pytest.fixture(scope="module")
def public_build(canary_site):
    return canary_site.build("public")


@pytest.fixture(scope="module")
def internal_build(canary_site):
    return canary_site.build("internal")


@pytest.mark.parametrize(("place", "canary"), sorted(INTERNAL_CANARIES.items()))
def test_no_internal_canary_in_any_public_file(public_build, place, canary):
    texts = all_text(public_build.site)
    assert texts, "the public build wrote nothing"
    assert find(texts, canary) == [], f"{place} leaked"


@pytest.mark.parametrize(("place", "canary"), sorted(PUBLIC_CANARIES.items()))
def test_every_public_canary_is_published(public_build, place, canary):
    assert find(all_text(public_build.site), canary), f"{place} is missing from the public build"


def test_public_search_index_and_sitemap_were_scanned(public_build):
    names = {p.name for p in public_build.files()}
    assert {"search_index.json", "sitemap.xml", "sitemap.xml.gz", "404.html", "matrix.json", "feed.xml"} <= names
    assert "PUBtag" in public_build.page("tags/")


@pytest.mark.parametrize(
    "canary",
    ["Zelda Quixote", "Quixote Foundation", "Xavier Zed", "zqxscript", "zqxhandler"],
)
def test_chatham_names_and_unsafe_html_absent_from_internal_build_too(internal_build, canary):
    assert find(all_text(internal_build.site), canary) == []


def test_internal_build_has_everything_else(internal_build):
    texts = all_text(internal_build.site)
    for canary in ("ZQXcommunitytitle", "ZQXentrybody", "ZQXstatement", "zqx-attachment", "PUBentrybody"):
        assert find(texts, canary), canary


def test_link_across_the_line_is_reported_and_plain_text(public_build):
    html = public_build.page("communities/pub-circle/public-story/")
    assert "PUBlinktext" in html
    assert not re.search(r"<a [^>]*>PUBlinktext", html)
    warnings = public_build.messages()
    assert any(
        "communities/pub-circle/stories/2020-02-02-public-story.md:16: body: public entry links to internal page"
        in m for m in warnings), warnings


def test_raw_html_is_reported_with_its_line(public_build):
    warnings = public_build.messages()
    for what in ("a <script> element", "an event-handler attribute (onerror=)"):
        assert any("2020-02-02-public-story.md:17: body: " + what in m for m in warnings), warnings


def test_summary_adds_up(public_build, internal_build):
    assert public_build.summary() == ("cop-memory: public build: 1 communities, 5 entries read, "
                                      "2 published, 3 internal, 0 with errors")
    assert internal_build.summary() == ("cop-memory: internal build: 2 communities, 5 entries read, "
                                        "5 published, 0 internal, 0 with errors")


def digest(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(canary_site, monkeypatch):
    # The sitemap's dates come from content, not the build clock: it too is identical.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = digest(canary_site.build("public").site)
    second = digest(canary_site.build("public").site)
    differing = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
    assert len(first) > 10 and "sitemap.xml.gz" in first
    assert differing == []


def test_value_case_routes_show_public_parts_only(public_build, internal_build):
    """Journeys, capital pages and entry headers exist in the public build and show no internal entry."""
    journeys = public_build.page("journeys/")
    assert "PUBentrytitle" in journeys and find({"journeys": journeys}, "ZQX") == []
    assert "PUBentrytitle" in public_build.page("capital/social/")
    assert "ZQXinpublic" in internal_build.page("capital/social/")
    assert "ZQXinpublic" in internal_build.page("journeys/")
    story = public_build.page("communities/pub-circle/public-story/")
    assert re.search(r"<dt>Led to</dt>.*What a member told us", story, re.S)
    assert "<dt>Builds on</dt>" not in story  # both entries it follows are internal
    assert "PUBaim" in public_build.page("communities/pub-circle/matrix/")


def test_a_source_link_across_the_line_is_reported_and_shows_its_text_only(public_build, internal_build):
    html = public_build.page("communities/pub-circle/public-story/")
    assert re.search(r"PUBsource, PUBsourcelink, x</span>", html), "hidden source links must be text only"
    assert 'PUBsource, <a href="../zqx-file-name/">PUBsourcelink</a>' in \
        internal_build.page("communities/pub-circle/public-story/")
    warnings = public_build.messages()
    assert any("2020-02-02-public-story.md:11: cycles: the source of a statement of 'applied' in a public entry "
               "links to internal page communities/pub-circle/2020-03-03-zqx-file-name.md" in m for m in warnings)
    assert any("2020-02-02-public-story.md:9: follows: public entry follows internal entry "
               "communities/zqx-hidden-circle/2019-01-01-zqx-followed.md" in m for m in warnings), warnings
    assert any("2020-04-04-chatham.md:10: follows: public entry follows internal entry "
               "communities/pub-circle/2020-03-03-zqx-file-name.md" in m for m in warnings), warnings


def test_reports_and_the_measures_export_hold_only_public_entries(public_build, internal_build):
    # The internal story of 2020 Q1 is neither listed nor counted; the internal community's 2021 entry
    # opens no period in the public build.
    report = public_build.page("reports/2020-q1/")
    assert "In this period: 1 entry: 1 story, 0 events with 0 attendees." in re.sub(r"<[^>]+>", "", report)
    assert not (public_build.site / "reports" / "2021").exists()
    assert (internal_build.site / "reports" / "2021").is_dir()
    assert public_build.text("measures.csv").splitlines() == [
        "community,date,measure,value", "pub-circle,2020-04-04,pub-measure,4242"]
    # The internal canaries are there to be found: the internal build shows each of them.
    texts = all_text(internal_build.site)
    for canary in ("zqx-measure", "8642097", "ZQXshowcase", "zqx-community-measure", "7531864", "ZQXaim"):
        assert [name for name in find(texts, canary) if name.startswith(("reports/", "measures.csv"))], canary
    assert "PUBshowcase" in report
    # Chatham House reaches the showcase reason in the reports.
    assert "persuaded an organisation" in public_build.page("reports/2020-q2/")
