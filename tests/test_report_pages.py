"""Build tests for contract 9.3: measures on community homes, /reports/, /reports/<period>/ and /measures.csv."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

import pytest

from generator import host

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def figures(site):
    site.community("cc", title="Catheter care")
    site.community("hidden", title="Hidden circle", visibility="internal")
    site.entry("cc", "2020-02-11-huddle.md", title="First huddle", date="2020-02-11", kind="event",
               cycles=["immediate"], attendees=21, visibility="public")
    site.entry("cc", "2020-03-31-figures-q1.md", title="Figures for Q1", date="2020-03-31", visibility="public",
               measures={"mailing-list": 52, "emails-opened-percent": 61, "own-count": 7})
    site.entry("cc", "2020-05-19-passport.md", title="The passport", date="2020-05-19", kind="story",
               visibility="public", cycles={"applied": "Wards fill in the passport"},
               showcase="It changed practice on four wards")
    site.entry("cc", "2020-06-30-figures-q2.md", title="Figures for Q2", date="2020-06-30", visibility="public",
               measures={"mailing-list": 71, "emails-opened-percent": 57.5})
    site.entry("cc", "2020-07-05-internal-event.md", title="Internal huddle", date="2020-07-05", kind="event",
               attendees=9, measures={"mailing-list": 999})
    site.entry("hidden", "2020-04-01-hidden.md", title="Hidden note", date="2020-04-01", visibility="public",
               measures={"members": 5})
    return site


def text_of(html: str) -> str:
    """A page's article as plain text, one space between words."""
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    words = " ".join(re.sub(r"<[^>]+>", " ", article).split())
    return re.sub(r" ([;,.:])", r"\1", words)  # a tag closed just before a mark is no space


def test_community_home_shows_each_measure_latest_value_date_change_chart_and_table(figures):
    html = figures.build("public", strict=True).page("communities/cc/")
    text = text_of(html)
    assert "People on the mailing list 71 on 30 June 2020; +19 since 2020 Q1" in text
    assert "E-mails opened (%) 57.5% on 30 June 2020; -3.5 points since 2020 Q1" in text
    # An unknown measure is shown under its own name; its last figure is of Q1, with no Q4 2019 to compare.
    assert "own-count 7 on 31 March 2020; no figure for 2019 Q4 to compare with" in text
    # The figures as a table beside the chart: a quarter per column, the value under it.
    assert "Quarter 2020 Q1 2020 Q2 Value 52 71" in text
    svgs = re.findall(r'<svg class="copmem-measure__chart".*?</svg>', html, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        assert re.search(r'role="img" aria-labelledby="(copmem-measure-\d+-title)"', svg)
        height = float(re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', svg).group(1))
        for y in map(float, re.findall(r'<text [^>]*y="([-\d.]+)"', svg)):
            assert 10 <= y <= height, svg  # every label, the tallest bar's value included, inside the box
    assert ">2020</text>" in svgs[0] and ">Q1</text>" in svgs[0] and ">71</text>" in svgs[0]


def test_internal_measures_stay_out_of_the_public_build(figures):
    public, internal = figures.build("public"), figures.build("internal")
    assert "999" not in text_of(public.page("communities/cc/"))
    assert "People on the mailing list 999 on 5 July 2020; +928 since 2020 Q2" in text_of(internal.page("communities/cc/"))
    assert "999" not in public.text("measures.csv") and "hidden" not in public.text("measures.csv")
    assert "cc,2020-07-05,mailing-list,999" in internal.text("measures.csv")
    assert "hidden,2020-04-01,members,5" in internal.text("measures.csv")


def test_measures_csv_lists_what_the_audience_may_see_sorted(figures):
    rows = list(csv.reader(io.StringIO(figures.build("public", strict=True).text("measures.csv"))))
    assert rows == [
        ["community", "date", "measure", "value"],
        ["cc", "2020-03-31", "emails-opened-percent", "61"],
        ["cc", "2020-03-31", "mailing-list", "52"],
        ["cc", "2020-03-31", "own-count", "7"],
        ["cc", "2020-06-30", "emails-opened-percent", "57.5"],
        ["cc", "2020-06-30", "mailing-list", "71"],
    ]


def test_reports_index_lists_every_year_and_quarter_from_first_entry_to_last(figures):
    out = figures.build("public", strict=True)
    html = out.page("reports/")
    links = re.findall(r'href="([^"#]*)"', html.split('<table class="copmem-grid copmem-reports__table">')[1]
                       .split("</table>")[0])
    assert links == ["2020/", "2020-q1/", "2020-q2/"]
    assert 'href="reports/"' in out.page("")  # in the navigation
    for period in ("2020", "2020-q1", "2020-q2"):
        out.page(f"reports/{period}/")
    assert not (out.site / "reports" / "2019").exists() and not (out.site / "reports" / "2020-q3").exists()


def test_a_report_page_holds_the_period_for_the_network_and_each_community(figures):
    text = text_of(figures.build("public", strict=True).page("reports/2020-q2/"))
    assert "April to June 2020, compared with 2020 Q1. Public version" in text
    assert "In this period: 2 entries: 1 story, 0 events with 0 attendees." in text
    # Per-cycle counts, the previous quarter's and the change (immediate: 0 against 1; applied: 1 against 0).
    assert "2020 Q2 0 0 1 0 0 2020 Q1 1 0 0 0 0 Change -1 no change +1 no change no change" in text
    assert "People on the mailing list 71 2020-06-30 52 +19" in text
    assert "Highlights 2020-05-19 The passport Catheter care Why it was chosen: It changed practice on four wards" in text
    assert "Wards fill in the passport" in text
    assert "The charter names no aims yet." in text


def test_the_internal_report_counts_internal_entries_and_communities(figures):
    internal = figures.build("internal")
    text = text_of(internal.page("reports/2020-q3/"))
    assert "In this period: 1 entry: 0 stories, 1 event with 9 attendees." in text
    assert "Hidden circle" in text_of(internal.page("reports/2020-q2/"))
    # The public build has no report of a quarter that holds only internal entries.
    assert not (figures.build("public").site / "reports" / "2020-q3").exists()


def test_a_quarter_with_nothing_in_it_says_so(site):
    site.community("cc")
    site.entry("cc", "2020-01-10-a.md", title="A", date="2020-01-10", visibility="public")
    site.entry("cc", "2020-07-10-b.md", title="B", date="2020-07-10", visibility="public")
    text = text_of(site.build("public", strict=True).page("reports/2020-q2/"))
    assert "Nothing was recorded in this period." in text
    assert "No figures recorded in this period." in text


def test_report_links_resolve_and_the_stylesheet_ships(figures):
    out = figures.build("public", strict=True)
    html = out.page("reports/2020-q2/")
    assert "cop-memory/reports.css" in html and (out.site / "cop-memory/reports.css").is_file()
    assert "@media print" in (out.site / "cop-memory/reports.css").read_text(encoding="utf-8")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    base = out.site / "reports" / "2020-q2"
    for href in re.findall(r'href="([^"#]+)', article):
        target = (base / href).resolve()
        assert target.is_file() or (target / "index.html").is_file(), href


def test_serve_rebuild_redraws_only_the_reports_that_show_the_edited_entry(figures):
    from test_build import ServeSession

    serve = ServeSession(figures)
    serve.mark()
    edited = figures.docs / "communities/cc/2020-05-19-passport.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: The passport", "title: The new passport"),
                      encoding="utf-8")
    serve.rebuild()
    # The entry is dated in 2020 Q2: its quarter, its year and the quarter compared with it are drawn again.
    for url in ("reports/2020-q2", "reports/2020", "reports/2020-q3"):
        assert not serve.kept(url), url
    assert "The new passport" in serve.page("reports/2020-q2") and "The new passport" in serve.page("reports/2020")
    # 2020 Q1 neither holds it nor compares with it.
    assert serve.kept("reports/2020-q1")


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_demo_site_builds_clean_under_strict(tmp_path, audience):
    # A real address: a public build for the preview server's would warn, and fail --strict.
    env = {"COP_AUDIENCE": audience, "COP_SITE_URL": "https://memory.example.org/", "NO_MKDOCS_2_WARNING": "1",
           "PATH": ""}
    site = tmp_path / "site"
    result = subprocess.run([*host.command(), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                             "-d", str(site)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (site / "reports" / "2020-q4" / "index.html").is_file()
    rows = list(csv.reader(io.StringIO((site / "measures.csv").read_text(encoding="utf-8"))))
    communities = {row[0] for row in rows[1:]}
    if audience == "public":
        assert communities == {"catheter-care", "peer-support"} and len(rows) == 1 + 5 * 5 + 3
    else:
        assert communities == {"catheter-care", "peer-support", "medicines-adherence"}
        assert len(rows) == 1 + 6 * 5 + 6 * 6 + 3 + 2 * 3
