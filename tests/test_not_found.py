"""The 404 page: where to go instead, and why a shared link may not work; links under site_url's path."""

from __future__ import annotations

import re


def test_the_404_page_helps_a_reader_on_under_a_path(site):
    site.community("gd")
    site.entry("gd", "2020-01-01-a.md", title="A", visibility="public")
    config = site.write_config("public")
    config.write_text(config.read_text(encoding="utf-8")
                      .replace("site_url: https://cop.example.org/", "site_url: https://org.example/network/")
                      .replace("site_name: Test network", "site_name: Tests <&> network"), encoding="utf-8")
    from generator import host

    host.build(host.load_config(str(config), site_dir=str(site.root / "out")))
    html = (site.root / "out/404.html").read_text(encoding="utf-8")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', article))
    assert links == {"The home page": "/network/", "Search the site": "/network/?q=",
                     "All communities": "/network/communities/", "The timeline": "/network/timeline/"}
    assert "only members of a\n    community can see" in article
    assert "Tests &lt;&amp;&gt; network" in article and "<&>" not in article
    assert '<link rel="alternate" type="application/atom+xml" title="Tests &lt;&amp;&gt; network" ' \
           'href="/network/feed.xml">' in html
