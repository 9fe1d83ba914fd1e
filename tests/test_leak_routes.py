"""The canary suite, part two: every route by which internal content once reached the public build (issue 11).

One site holds a unique canary behind each route; the public site is scanned
file by file (gzip unpacked, file names too) and no canary may appear. Each
route also has a focused assertion, so a failure says which door opened.
"""

from __future__ import annotations

import os
import re
import unicodedata

import pytest
from test_public_build import all_text, find

SECRET = "2020-01-01-zqx-secret-slug.md"
ROUTES = {
    "entry directly in communities/": "ZQXstraybody",
    "symlinked folder outside communities/ into an internal community": "ZQXmirrorbody",
    "symlinked entry inside a public community": "ZQXlinkedbody",
    "internal .MD file linked from a public page": "ZQXupperbody",
    "internal .markdown file linked from a public page": "ZQXmarkdownbody",
    "hand-written internal page": "ZQXhandwrittenbody",
    "internal entry's slug through any link syntax": "zqx-secret-slug",
    "internal entry's title": "ZQXsecrettitle",
    "internal community's attachment embedded by a public entry": "zqx-internal-attachment",
    "internal community's id": "zqx-internal-circle",
    "HTML comment in a public entry": "ZQXcommentcanary",
    "Chatham name across markup": "Brackenthwaite",
    "Chatham given name alone": "Zuleika",
    "Chatham name written in NFD": "Quarrington",
    "Chatham name folded into a slug": "nunezqz",
    "Chatham name in an attachment's file name": "zuleika-photo",
    "Chatham dotted capital I": "ılmazqq",
    "Chatham dotless i folded": "ilmazqq",
}


@pytest.fixture(scope="module")
def route_site(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("routes"))
    site.write("index.md", "# Home\n\nSee [the notes](zqx-handwritten.md) and [writing](writing.md).\n")
    site.write("writing.md", "---\nvisibility: public\n---\n# Writing\n\nA public hand-written page.\n")
    site.write("zqx-handwritten.md", "---\nvisibility: internal\n---\n# Notes\n\nZQXhandwrittenbody\n")
    site.community("pub")
    site.write("communities/zqxstray.md", "---\ntitle: Stray\ndate: 2020-01-01\nvisibility: public\n---\n"
                                          "ZQXstraybody\n")
    site.write("communities/zqx-internal-circle/index.md", "---\ntitle: Internal circle\ndomain: d\n---\nCharter.\n")
    site.write("communities/zqx-internal-circle/2020-01-01-inside.md",
               "---\ntitle: Inside\ndate: 2020-01-01\nvisibility: public\n---\nZQXmirrorbody ZQXlinkedbody\n")
    site.write("communities/zqx-internal-circle/zqx-internal-attachment.png", b"\x89PNG zqx-internal-attachment")
    os.symlink("communities/zqx-internal-circle", site.docs / "mirror")
    os.symlink("../zqx-internal-circle/2020-01-01-inside.md", site.docs / "communities/pub/2020-02-02-linked.md")
    site.write("communities/pub/2020-01-01-zqxupper.MD",
               "---\ntitle: Upper\ndate: 2020-01-01\n---\nZQXupperbody\n")
    site.write("communities/pub/2020-01-01-zqxlower.markdown",
               "---\ntitle: Lower\ndate: 2020-01-01\n---\nZQXmarkdownbody\n")
    site.write(f"communities/pub/{SECRET}", "---\ntitle: ZQXsecrettitle\ndate: 2020-01-01\n---\nHidden.\n")
    site.write("communities/pub/zqx-comment-attachment.pdf", b"%PDF comment")
    site.write("communities/pub/zqx-code-attachment.pdf", b"%PDF code")
    site.write("communities/pub/shown.pdf", b"%PDF shown")
    site.entry("pub", "2020-03-03-linker.md", title="Linker", visibility="public", body=f"""\
        Visible start <!-- ZQXcommentcanary --> and more prose.

        - nested [a [b] c](../pub/{SECRET})
        - escaped [a \\] b]({SECRET})
        - reference [ref one]

        [ref one]:
            {SECRET}

        - raw <a data-x="1" href=../zqx-secret-slug/>unquoted</a>
        - raw <a title='t' href="../zqx-secret-slug/index.html">index.html</a>
        - absolute [abs](https://cop.example.org/communities/pub/zqx-secret-slug/)
        - rooted [root](/communities/pub/zqx-secret-slug/)
        - upper [upper](2020-01-01-zqxupper.MD) and lower [lower](2020-01-01-zqxlower.markdown)
        - internal community ![pic](../zqx-internal-circle/zqx-internal-attachment.png) and
          [its page](../zqx-internal-circle/index.md)
        - a published file [shown](shown.pdf)

        <!-- [c](zqx-comment-attachment.pdf) -->

        ```
        [d](zqx-code-attachment.pdf)
        ```
        """)
    chatham = dict(visibility="public", attribution="chatham-house")
    nfd = unicodedata.normalize("NFD", "Zoë Quarrington")
    site.entry("pub", "2020-04-04-fishbowl.md", title="What Zuleika said", kind="story", **chatham,
               people="[Zuleika Brackenthwaite, Zoë Quarrington, İlker Yılmazqq]",
               cycles={"applied": "Dr Brackenthwaite's idea spread"}, body=f"""\
        **Zuleika** Brackenthwaite spoke; Zuleika&nbsp;Brackenthwaite again; Zuleika<!-- x --> Brackenthwaite;
        BRACKENTHWAITE's point; {nfd} agreed; ilker yilmazqq and İLKER YILMAZQQ too.
        A&#110;a is not protected, but Zule&#105;ka is.
        """)
    site.entry("pub", "2020-05-05-talk-jose-nunezqz.md", title="A talk", people="[José Núñezqz]", **chatham)
    site.write("communities/pub/zuleika-photo.png", b"\x89PNG zuleika")
    site.entry("pub", "2020-06-06-photo.md", title="A photo", people="[Zuleika Brackenthwaite]", **chatham,
               body="![a photo](zuleika-photo.png)")
    site.entry("pub", "2020-07-07-clinical-audit.md", title="Clinical audit", people="[Al]", **chatham,
               body="Al ran the clinical audit.")
    return site


@pytest.fixture(scope="module")
def public_site(route_site):
    return route_site.build("public")


@pytest.fixture(scope="module")
def texts(public_site):
    return all_text(public_site.site)


@pytest.mark.parametrize(("route", "canary"), sorted(ROUTES.items()))
def test_no_canary_of_any_route_in_any_public_file(texts, route, canary):
    assert find(texts, canary) == [], f"{route} leaked"


def test_the_public_pages_are_still_there(public_site, texts):
    html = public_site.page("communities/pub/linker/")
    assert "Visible start" in html and '<a href="../shown.pdf">shown</a>' in html
    for text in ("nested", "unquoted", "index.html", "abs", "root", "its page"):
        assert text in html
    assert (public_site.site / "communities/pub/shown.pdf").is_file()
    assert public_site.page("communities/pub/clinical-audit/")  # `Al` is not found in `clinical`


def test_no_link_of_the_public_entry_reaches_a_left_out_target(public_site):
    html = public_site.page("communities/pub/linker/")
    body = html.split('class="copmem-entry-meta"', 1)[1]
    links = re.findall(r'(?:href|src)="([^"]*)"', body)
    assert links and all("secret" not in link and "zqx" not in link.lower() for link in links), links


def test_attachments_linked_only_in_a_comment_or_code_block_are_not_published(public_site):
    for name in ("zqx-comment-attachment.pdf", "zqx-code-attachment.pdf"):
        assert not (public_site.site / "communities/pub" / name).exists()


def test_each_refused_file_is_reported_with_its_path(public_site):
    messages = "\n".join(public_site.messages())
    for expected in ("communities/zqxstray.md:1: file: a file directly in communities/",
                     "communities/pub/2020-02-02-linked.md:1: file: a symbolic link",
                     "communities/pub/2020-01-01-zqxupper.MD:1: file: entries are .md files",
                     "communities/pub/2020-01-01-zqxlower.markdown:1: file: entries are .md files",
                     "mirror/2020-01-01-inside.md: is a link to a file outside the docs folder or into communities/",
                     "2020-05-05-talk-jose-nunezqz.md:1: slug:",
                     "2020-06-06-photo.md:9: body: the attachment zuleika-photo.png"):
        assert expected in messages, expected


def test_the_internal_build_keeps_internal_pages_but_never_symlinks_or_stray_files(route_site):
    internal = route_site.build("internal")
    texts = all_text(internal.site)
    assert find(texts, "ZQXhandwrittenbody") and find(texts, "ZQXsecrettitle")
    for canary in ("ZQXstraybody", "ZQXupperbody", "ZQXmarkdownbody", "Brackenthwaite", "nunezqz"):
        assert find(texts, canary) == [], canary
    assert not (internal.site / "mirror").exists()


def test_a_public_build_lists_files_outside_communities_that_no_page_links(site):
    site.community("pub")
    site.write("CNAME", "memory.example.org\n")
    site.write("stray.pdf", b"%PDF stray")
    site.write("linked.pdf", b"%PDF linked")
    site.write("index.md", "# Home\n\n[a file](linked.pdf)\n")
    out = site.build("public")
    [line] = [m for m in out.messages(0) if "no page links to" in m]
    assert line.endswith("the public site also holds 2 files of the docs folder that no page links to: CNAME, "
                         "stray.pdf")


def test_attachments_that_can_run_script_are_cleaned_or_left_out(site):
    site.write("communities/pub/index.md", "---\ntitle: Pub\ndomain: d\nvisibility: public\n---\n"
               "![cover](cover.svg) [page](notes.html) [bad](broken.svg)\n")
    site.write("communities/pub/cover.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="zqxsvg()">'
               '<script>zqxsvgscript()</script><rect width="4" height="4"/><foreignObject><p>zqxforeign</p>'
               '</foreignObject></svg>')
    site.write("communities/pub/notes.html", "<script>zqxhtml()</script>")
    site.write("communities/pub/broken.svg", "not an svg <script>zqxbroken()</script>")
    for audience in ("public", "internal"):
        out = site.build(audience)
        cover = (out.site / "communities/pub/cover.svg").read_text(encoding="utf-8")
        assert "<rect" in cover and "zqx" not in cover and "onload" not in cover
        assert not (out.site / "communities/pub/broken.svg").exists()
        assert any("broken.svg: is not a valid SVG image" in m for m in out.messages())
    public = site.build("public")
    assert not (public.site / "communities/pub/notes.html").exists()
    assert any("communities/pub/notes.html:1: file: a document a browser can run script in" in m
               for m in public.messages())
    assert 'href="notes.html"' not in public.page("communities/pub/")


@pytest.mark.parametrize(("options", "refused"), [
    ("", True),
    ("  - pymdownx.snippets:\n      base_path: [docs]\n", True),
    ("  - pymdownx.snippets:\n      base_path: [snippets]\n", False),
])
def test_a_public_build_refuses_snippets_that_could_paste_community_files(site, monkeypatch, caplog, options, refused):
    from generator.host import Abort

    monkeypatch.chdir(site.root)
    (site.root / "snippets").mkdir()
    site.community("pub")
    extensions = "markdown_extensions:\n" + (options or "  - pymdownx.snippets\n")
    if refused:
        with pytest.raises(Abort):
            site.build("public", extra_yml=extensions)
        assert "cannot use pymdownx.snippets" in caplog.text
    else:
        assert site.build("public", extra_yml=extensions).page("communities/pub/")
    # The internal build holds everything anyway: it may include what it likes.
    assert site.build("internal", extra_yml=extensions).page("communities/pub/")
