"""The value case on real builds: aims on the matrices and homes, evidence labels, journeys, capital pages,
the framework's questions, ended communities, and matrix.json against its schema, in both audiences."""

from __future__ import annotations

import json
import posixpath
import re
from importlib.resources import files

import jsonschema
import pytest

SCHEMA = json.loads((files("generator") / "schema" / "matrix.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def value_site(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("value"))
    site.write("communities/gd/index.md", """\
        ---
        title: Gestational diabetes
        domain: Diabetes in pregnancy
        started: 2018-09-20
        visibility: public
        aims:
          immediate: Every unit comes to each convening
          applied: All units test up to 36 weeks
          transformative: Success is judged by what matters to women
        ---
        Charter.
        """)
    site.write("communities/cc/index.md", """\
        ---
        title: Catheter care
        domain: Safer catheters
        started: 2019-01-15
        ended: 2021-07-20
        visibility: public
        ---
        Charter.
        """)
    site.write("communities/med/index.md", """\
        ---
        title: Medicines
        domain: Adherence
        aims:
          applied: Every patient is referred
        ---
        Charter.
        """)
    site.write("communities/gd/2018-09-20-first-convening.md", """\
        ---
        title: First convening
        date: 2018-09-20
        kind: event
        cycles: [immediate, potential]
        capital: [social]
        visibility: public
        ---
        Thirty-eight people came.
        """)
    site.write("communities/gd/2019-06-04-gtt-policy.md", """\
        ---
        title: Tests up to 36 weeks
        date: 2019-06-04
        kind: story
        cycles:
          applied:
            text: Trust changed its policy within a week
            evidence: records
            source: "The [trust guideline](files/guideline.pdf), June 2019"
          realised:
            - text: Time to clinic halved
              evidence: self-report
        capital: [tangible, social]
        visibility: public
        follows: [first-convening]
        ---
        The policy changed.
        """)
    site.write("communities/gd/files/guideline.pdf", b"%PDF-1.4 guideline")
    site.write("communities/cc/2020-01-01-borrowed.md", """\
        ---
        title: We borrowed the pathway table
        date: 2020-01-01
        kind: note
        cycles:
          potential: A table like the diabetes community's
        visibility: public
        follows: [gd/gtt-policy]
        ---
        Borrowed.
        """)
    site.write("communities/med/2021-01-01-referrals.md", """\
        ---
        title: Referrals after discharge
        date: 2021-01-01
        kind: story
        cycles:
          applied: Two wards refer
        capital: [social]
        follows: [gd/gtt-policy]
        ---
        Internal.
        """)
    return site


@pytest.fixture(scope="module")
def internal(value_site):
    return value_site.build("internal", strict=True)


@pytest.fixture(scope="module")
def public(value_site):
    return value_site.build("public", strict=True)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_community_matrix_shows_its_aims_above_the_rows_and_marks_those_without_statements(public):
    html = public.page("communities/gd/matrix/")
    aims_row = re.search(r'<tr class="copmem-aims">(.*?)</tr>', html, re.S).group(1)
    assert html.index('class="copmem-aims"') < html.index("Tests up to 36 weeks")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", aims_row, re.S)
    # Each cell also names its cycle, for a phone where a row becomes a card: that name is not its content.
    cells = [re.sub(r'<span class="copmem-cell__cycle[^"]*">[^<]*</span>', "", c) for c in cells]
    assert [text_of(c) for c in cells] == [
        "Every unit comes to each convening Aimed, not yet evidenced", "",
        "All units test up to 36 weeks Evidenced: 1 statement", "",
        "Success is judged by what matters to women Aimed, not yet evidenced"]
    assert "Aims: 1 of 3 aimed cycles evidenced." in text_of(html)


def test_the_network_matrix_and_the_community_home_count_aims_with_evidence(internal, public):
    row = re.search(r'<th scope="row"><a href="../communities/gd/">Gestational diabetes</a></th>(.*?)</tr>',
                    public.page("matrix/"), re.S).group(1)
    assert text_of(re.findall(r'<td class="copmem-aims-cell">(.*?)</td>', row, re.S)[0]) == "1 of 3"
    internal_matrix = internal.page("matrix/")
    assert 'href="../journeys/"' in internal_matrix
    med = re.search(r'>Medicines</a></th>(.*?)</tr>', internal_matrix, re.S).group(1)
    assert text_of(re.findall(r'<td class="copmem-aims-cell">(.*?)</td>', med, re.S)[0]) == "1 of 1"
    home = text_of(public.page("communities/gd/"))
    assert "Aims: 1 of 3 aimed cycles evidenced; aimed, not yet evidenced: immediate value, transformative value." \
        in home


def test_the_community_home_counts_knowledge_capital_with_links_to_the_capital_pages(public):
    html = public.page("communities/gd/")
    table = re.search(r'<table class="copmem-counts copmem-capital-counts">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'href="../../capital/(\w+)/"', table) == ["human", "social", "tangible", "reputational",
                                                                "learning"]
    assert re.findall(r"<td>(\d+)</td>", table) == ["0", "2", "1", "0", "0"]


def test_statements_show_their_evidence_label_explained_on_the_page_and_their_source(public):
    for url in ("communities/gd/matrix/", "cycles/applied/", "communities/gd/gtt-policy/", "matrix/"):
        html = public.page(url)
        assert re.search(r'<a class="copmem-evidence copmem-evidence--records" href="#evidence-records">', html), url
        # The label's explanation is on the same page, reachable by tapping it: no hover needed.
        assert re.search(r'<dt id="evidence-records">.*?</dt><dd>audits, attendance lists', html), url
        href = re.search(r'Source: The <a href="([^"]+)">trust guideline</a>, June 2019', html).group(1)
        assert posixpath.normpath(posixpath.join(url, href)) == "communities/gd/files/guideline.pdf", url
    assert (public.site / "communities/gd/files/guideline.pdf").is_file()


def test_an_entry_page_shows_what_it_builds_on_and_what_it_led_to_across_communities(internal, public):
    html = internal.page("communities/gd/gtt-policy/")
    builds_on = re.search(r"<dt>Builds on</dt><dd>(.*?)</dd>", html, re.S).group(1)
    led_to = re.search(r"<dt>Led to</dt><dd>(.*?)</dd>", html, re.S).group(1)
    assert re.findall(r'href="([^"]+)">([^<]+)</a>', builds_on) == [("../first-convening/", "First convening")]
    assert re.findall(r'href="([^"]+)">([^<]+)</a>', led_to) == [
        ("../../cc/borrowed/", "We borrowed the pathway table"), ("../../med/referrals/", "Referrals after discharge")]
    assert "20 September 2018" in builds_on and "Catheter care" in led_to
    public_led_to = re.search(r"<dt>Led to</dt><dd>(.*?)</dd>", public.page("communities/gd/gtt-policy/"), re.S)
    assert "Referrals" not in public_led_to.group(1)


def test_journeys_draw_each_chain_with_a_text_alternative_and_list_it(internal, public):
    html = public.page("journeys/")
    [svg] = re.findall(r"<svg [^>]*role=\"img\"[^>]*>.*?</svg>", html, re.S)
    labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for element_id in labelled:
        assert re.search(rf'id="{element_id}">[^<]+<', svg), element_id
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert desc.startswith("3 entries of Gestational diabetes and Catheter care, from 2018-09-20 to 2020-01-01")
    # Every entry is labelled in the picture itself, readable without hovering.
    labels = text_of(" ".join(re.findall(r'<text class="copmem-journey__title"[^>]*>(.*?)</text>', svg)))
    assert labels == "First convening Tests up to 36 weeks We borrowed the pathway table"
    assert len(re.findall(r'class="copmem-journey__arrow"', svg)) == 2
    listed = re.search(r'<ol class="copmem-list copmem-journey__list">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'class="copmem-item__title" href="([^"]+)"', listed) == [
        "../communities/gd/first-convening/", "../communities/gd/gtt-policy/", "../communities/cc/borrowed/"]
    assert "Referrals after discharge" in internal.page("journeys/")


def test_a_capital_page_explains_the_kind_and_lists_entries_newest_first(internal, public):
    html = public.page("capital/social/")
    assert "Social capital: relationships, knowing whom to ask." in text_of(html)
    listed = re.findall(r'class="copmem-item__title" href="([^"]+)">([^<]+)<', html)
    assert [title for _, title in listed] == ["Tests up to 36 weeks", "First convening"]
    assert [title for _, title in re.findall(r'class="copmem-item__title" href="([^"]+)">([^<]+)<',
                                             internal.page("capital/social/"))][0] == "Referrals after discharge"
    assert "None yet." in public.page("capital/learning/")
    assert 'href="../../../capital/tangible/"' in public.page("communities/gd/gtt-policy/")


def test_each_cycle_page_carries_the_framework_questions_for_its_cycle(public):
    from generator.framework import CYCLE_QUESTIONS

    for cycle, questions in CYCLE_QUESTIONS.items():
        html = public.page(f"cycles/{cycle}/")
        assert re.findall(r"<li>([^<]+)</li>", re.search(r'class="copmem-questions".*?</details>', html, re.S)
                          .group(0)) == [q.replace("'", "&#39;") for q in questions]


def test_an_ended_community_says_when_it_met_and_keeps_its_memory(public):
    home = text_of(public.page("communities/cc/"))
    assert "Met from 15 January 2019 to 20 July 2021; the community has ended, and its memory stays here." in home
    card = re.search(r'<li class="copmem-card">\s*<a class="copmem-card__title" href="[./]*communities/cc/">.*?</li>',
                     public.page(""), re.S).group(0)
    assert "Met from 15 January 2019 to 20 July 2021 · 1 entry" in text_of(card)
    assert public.page("communities/cc/borrowed/")


def test_matrix_json_validates_in_both_audiences_and_hides_internal_follows(internal, public):
    for build in (internal, public):
        jsonschema.validate(json.loads(build.text("matrix.json")), SCHEMA)
    data = json.loads(public.text("matrix.json"))
    rows = {row["entry"]: row for c in data["communities"] for row in c["rows"]}
    assert rows["/communities/cc/borrowed/"]["follows"] == ["/communities/gd/gtt-policy/"]
    assert rows["/communities/gd/gtt-policy/"]["evidence"] == {"applied": ["records"], "realised": ["self-report"]}
    assert "aims" not in {k for c in data["communities"] for k in c if c["id"] != "gd"}
    assert [c["id"] for c in data["communities"]] == ["cc", "gd"]


def test_serve_rewrites_the_page_of_an_entry_whose_follower_changed(site):
    """`mkdocs serve --dirty`: an entry's page shows what led from it, so editing that entry rewrites it."""
    from test_build import ServeSession

    site.community("gd")
    site.entry("gd", "2019-01-01-first.md", title="First", date="2019-01-01", visibility="public")
    site.entry("gd", "2020-01-01-second.md", title="Second", date="2020-01-01", visibility="public",
               follows="[first]")
    site.entry("gd", "2020-02-01-apart.md", title="Apart", date="2020-02-01", visibility="public")
    serve = ServeSession(site)
    assert "Second" in serve.page("communities/gd/first")
    serve.mark()
    second = site.docs / "communities/gd/2020-01-01-second.md"
    second.write_text(second.read_text(encoding="utf-8").replace("title: Second", "title: Renamed second"),
                      encoding="utf-8")
    serve.rebuild()
    assert not serve.kept("communities/gd/first")
    assert "Renamed second" in serve.page("communities/gd/first")
    assert "Renamed second" in serve.page("journeys")
    assert serve.kept("communities/gd/apart")
