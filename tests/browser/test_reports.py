"""Reports and measures in a real Chromium: axe, a phone's width, charts drawn whole, and a report printed to PDF."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, whitespace folded."""
    return [" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("url", ["reports/", "reports/2020-q4/", "reports/2021/", "communities/catheter-care/",
                                 "communities/peer-support/"])
def test_no_serious_accessibility_violations(tab, server_url, url):
    from axe_playwright_python.sync_playwright import Axe

    tab.page.goto(server_url + url)
    results = Axe().run(tab.page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in serious] == []
    assert tab.errors == []


@pytest.mark.parametrize("url", ["reports/", "reports/2020-q4/", "communities/peer-support/"])
def test_a_phone_does_not_scroll_sideways(phone, server_url, url):
    phone.page.goto(server_url + url)
    widths = phone.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[2] and widths[1] <= widths[2], widths


def test_every_chart_label_is_drawn_inside_its_chart(tab, server_url):
    tab.page.goto(server_url + "communities/peer-support/")
    charts = tab.page.evaluate("""() => [...document.querySelectorAll('svg.copmem-measure__chart')].map(svg => {
        const box = svg.viewBox.baseVal;
        return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
            const b = t.getBBox();
            return [t.textContent, b.x >= box.x && b.y >= box.y && b.x + b.width <= box.x + box.width
                                   && b.y + b.height <= box.y + box.height];
        });
    })""")
    # Peer support: members, mailing list, organisations, e-mails sent, opened, clicked; survey figures.
    assert len(charts) == 9
    assert ["63", True] in charts[0] and ["2020", True] in charts[0] and ["Q3", True] in charts[0]
    assert [label for chart in charts for label, inside in chart if not inside] == []


def test_a_report_prints_to_a_tidy_a4_pdf(tab, server_url):
    tab.page.goto(server_url + "reports/2020-q4/")
    pages = pdf_pages(tab.page.pdf(format="A4"))
    assert 2 <= len(pages) <= 8, len(pages)
    text = " ".join(pages)
    assert pages[0].startswith("Report for 2020 Q4")  # no header, search or navigation before the title
    assert "In this period: 7 entries: 2 stories, 2 events with 45 attendees." in text
    for gone in ("Search", "Table of contents", "Made with", "All reports", "Timeline Value creation matrix"):
        assert gone not in text, gone
    # Each measure's row stands whole on one page: value, date, previous value and change together.
    for row in ("People on the mailing list 84 2020-12-15 76 +8", "E-mails opened (%) 57% 2020-12-15 60% -3 points",
                "Members 58 2020-12-16 55 +3", "Organisations involved 49 2020-12-16 45 +4"):
        assert any(row in page for page in pages), row
    assert "Why it was chosen: The clearest case of the community changing how a service judges itself" in text


def test_the_standalone_html_report_prints_too(browser):
    html = subprocess.run([sys.executable, "-m", "generator.cli", "report", "--period", "2020-q3", "--community",
                           "peer-support", "--format", "html"], cwd=ROOT, capture_output=True, text=True,
                          check=True, timeout=120).stdout
    context = browser.new_context()
    page = context.new_page()
    page.set_content(html)
    pages = pdf_pages(page.pdf(format="A4"))
    context.close()
    assert 1 <= len(pages) <= 4, len(pages)
    text = " ".join(pages)
    assert text.startswith("Peer support in the voluntary sector: report for 2020 Q3")
    assert re.search(r"Members 55 2020-09-23 52 \+3", text)
    assert "Realised Members say they run peer support better" in text
