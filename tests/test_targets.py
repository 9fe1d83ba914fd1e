"""The link judge: URLs in rendered pages resolved as a browser would, and kept only if they reach published things."""

from __future__ import annotations

import pytest

from generator import html_pass
from generator.targets import Targets, page_url

PAGE = "communities/open/linker/"
SOURCE = "communities/open/2020/2020-01-01-linker.md"


def judge(site_url: str | None = "https://net.example.org/network/") -> Targets:
    return Targets(
        site_url,
        published={"", "communities/open/", "communities/open/linker/", "communities/open/public-one/",
                   "communities/open/img/shown.png", "matrix.json", "timeline/"},
        hidden={"communities/open/secret/", "communities/open/2019-05-01-secret.md", "communities/closed/",
                "communities/closed/index.md", "communities/closed/img/c.png", "internal-page/"},
    )


@pytest.mark.parametrize("href", [
    "../secret/",                                    # as MkDocs rewrites a link to a left-out page
    "../secret",                                     # without its slash
    "../secret/index.html",                          # to the file behind the directory URL
    "../../open/secret/#part",                       # a detour and a fragment
    "/network/communities/open/secret/",             # absolute path on a site under a path
    "https://net.example.org/network/communities/open/secret/",   # the site's own absolute URL
    "HTTPS://NET.EXAMPLE.ORG/network/communities/open/secret/?x=1",
    "//net.example.org/network/communities/open/secret/",         # protocol-relative
    "../../closed/",                                 # an internal community
    "../../closed/img/c.png",                        # its attachment
    "../../closed/img/c%2Epng",                      # percent-encoded
    "../2019-05-01-secret.md",                       # a Markdown link MkDocs left as written
    "../../open/unknown-slug/",                      # unknown below communities/: can only spell out hidden ids
    "../../../internal-page/",                       # a hand-written internal page
])
def test_links_to_left_out_targets_are_hidden(href):
    assert judge().hides(href, PAGE, SOURCE)


@pytest.mark.parametrize("href", [
    "../public-one/", "../public-one", "../", "../img/shown.png", "../../../matrix.json", "../../../timeline/",
    "#a-heading", "https://example.org/communities/open/secret/", "mailto:someone@example.org",
    "https://net.example.org/elsewhere/communities/open/secret/",   # same host, outside the site's path
])
def test_links_to_published_or_outside_targets_are_kept(href):
    assert not judge().hides(href, PAGE, SOURCE)


def test_kept_links_to_files_are_remembered_as_referenced():
    targets = judge()
    targets.hides("../img/shown.png", PAGE, SOURCE)
    targets.hides("../public-one/", PAGE, SOURCE)
    assert targets.referenced == {"communities/open/img/shown.png", "communities/open/public-one/"}


def test_without_a_site_url_absolute_paths_still_resolve_from_the_root():
    assert judge(None).hides("/communities/open/secret/", PAGE, SOURCE)
    assert not judge(None).hides("/communities/open/public-one/", PAGE, SOURCE)


def test_an_internal_build_does_not_treat_unknown_community_paths_as_hidden():
    targets = Targets(None, published={PAGE}, hidden=set(), guard_prefix="\0")
    assert not targets.hides("../unknown/", PAGE, SOURCE)


@pytest.mark.parametrize(("source", "url"), [
    ("index.md", ""), ("writing.md", "writing/"), ("a/index.md", "a/"), ("a/b.md", "a/b/"), ("a/README.md", "a/"),
])
def test_page_url(source, url):
    assert page_url(source) == url


def test_the_html_pass_drops_refused_urls_and_keeps_link_text():
    html = ('<p><a href="../secret/" title="t">the audit</a> and <a href="../public-one/">this</a>'
            '<img src="../../closed/img/c.png" alt="chart"><img srcset="../img/shown.png 1x, ../../closed/x.png 2x"></p>')
    targets = judge()
    out = html_pass.rewrite(html, keep_url=lambda url: not targets.hides(url, PAGE, SOURCE))
    assert "secret" not in out and "closed" not in out
    assert '<a title="t">the audit</a>' in out and '<a href="../public-one/">this</a>' in out


def test_the_html_pass_returns_the_same_string_when_nothing_changes():
    html = '<p><a href="../public-one/">this</a> <!-- a note --></p>'
    targets = judge()
    assert html_pass.rewrite(html, keep_url=lambda url: not targets.hides(url, PAGE, SOURCE)) is html


def test_the_html_pass_redacts_text_and_attributes_after_decoding_entities():
    html = '<p title="Ana Reyes">A&#110;a <strong>Reyes</strong> said &lt;x&gt;</p><!-- Ana -->'
    out = html_pass.rewrite(html, redact=lambda text: text.replace("Ana", "a member").replace("Reyes", "a member"))
    assert out == '<p title="a member a member">a member <strong>a member</strong> said &lt;x&gt;</p>'


@pytest.mark.parametrize(("html", "expected"), [
    ("<h2>Title</h2><p>First <em>words</em> &amp; more.</p><p>Second.</p>", "First words & more."),
    ("<ul><li><p>In a list</p></li></ul><p>Prose.</p>", "Prose."),
    ("<blockquote><p>Quoted</p></blockquote><p></p><p>Then prose.</p>", "Then prose."),
    ("<div class=\"admonition\"><p>Note</p></div><p>After.</p>", "After."),
    ("<p>Only a heading link<a class=\"headerlink\" href=\"#x\">¶</a></p>", "Only a heading link"),
    ("<h2>No prose at all</h2>", ""),
])
def test_the_first_paragraph_is_prose_at_the_top_level(html, expected):
    assert html_pass.first_paragraph(html) == expected
