"""The contract's adversarial inputs, each through a real build: reported with path:line, the rest published."""

from __future__ import annotations

import pytest

GOOD = "---\ntitle: Good neighbour\ndate: 2020-01-01\nvisibility: public\n---\nStill here.\n"

CASES = {
    "duplicate key": ("2020-02-02-dup.md", b"---\ntitle: A\ndate: 2020-02-02\ntitle: B\n---\n",
                      ":4: title: duplicate key 'title' (first on line 2)"),
    "visibility: no": ("2020-02-02-vis.md", b"---\ntitle: A\ndate: 2020-02-02\nvisibility: no\n---\n",
                       ":4: visibility: is not one of public, internal"),
    "blank line before ---": ("2020-02-02-blank.md", b"\n---\ntitle: A\ndate: 2020-02-02\n---\n",
                              ":1: front matter: front matter must start on line 1; found a blank line before ---"),
    "Latin-1": ("2020-02-02-latin.md", "---\ntitle: Café\ndate: 2020-02-02\n---\n".encode("latin-1"),
                ":2: encoding: the file is not UTF-8"),
    "empty file": ("2020-02-02-empty.md", b"", ":1: front matter: the file is empty"),
    "list front matter": ("2020-02-02-list.md", b"---\n- title\n- date\n---\n",
                          ":2: front matter: front matter must be a mapping of fields"),
    "scalar front matter": ("2020-02-02-scalar.md", b"---\njust words\n---\n",
                            ":2: front matter: front matter must be a mapping of fields"),
    "unclosed front matter": ("2020-02-02-open.md", b"---\ntitle: A\ndate: 2020-02-02\n",
                              ":1: front matter: front matter is not closed"),
    "YAML syntax": ("2020-02-02-syntax.md", b"---\ntitle: A\ndate: 2020-02-02\ntags: [a, b\n---\n",
                    ":4: front matter: invalid YAML: while parsing a flow sequence"),
    "reserved slug timeline": ("2020-02-02-timeline.md", b"---\ntitle: A\ndate: 2020-02-02\n---\n",
                               ":1: slug: the slug 'timeline' is reserved"),
    "reserved slug matrix": ("2020-02-02-x.md", b"---\ntitle: A\ndate: 2020-02-02\nslug: matrix\n---\n",
                             ":4: slug: the slug 'matrix' is reserved"),
    "impossible date": ("2020-02-02-date.md", b"---\ntitle: A\ndate: 2020-02-30\n---\n", ":3: date:"),
    "story without cycles": ("2020-02-02-story.md", b"---\ntitle: A\ndate: 2020-02-02\nkind: story\n---\n",
                             ":1: cycles: a story must name at least one cycle"),
    "unknown cycle": ("2020-02-02-cyc.md", b"---\ntitle: A\ndate: 2020-02-02\ncycles: [aplied]\n---\n",
                      ":4: cycles: unknown cycle 'aplied'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_left_out_and_the_rest_builds(site, case):
    name, raw, expected = CASES[case]
    site.community("c")
    site.write("communities/c/2020-01-01-good.md", GOOD)
    site.write(f"communities/c/{name}", raw)
    out = site.build("public")
    messages = out.messages()
    assert any(f"docs/communities/c/{name}{expected}" in m for m in messages), messages
    assert "Still here." in out.page("communities/c/good/")
    assert out.summary().endswith("2 entries read, 1 published, 0 internal, 1 with errors")
    assert not any("Traceback" in m for m in messages)


@pytest.mark.parametrize(
    ("case", "raw"),
    [
        ("BOM", b"\xef\xbb\xbf---\ntitle: With BOM\ndate: 2020-02-02\nvisibility: public\n---\nBOM body\n"),
        ("CRLF", b"---\r\ntitle: With CRLF\r\ndate: 2020-02-02\r\nvisibility: public\r\n---\r\nCRLF body\r\n"),
    ],
)
def test_bom_and_crlf_are_accepted(site, case, raw):
    site.community("c")
    site.write("communities/c/2020-02-02-accepted.md", raw)
    out = site.build("public", strict=True)
    html = out.page("communities/c/accepted/")
    assert f"With {case}" in html and f"{case} body" in html


def test_duplicate_slugs_name_both_files_and_leave_both_out(site):
    site.community("c")
    site.write("communities/c/2019/2019-01-01-same.md", "---\ntitle: One\ndate: 2019-01-01\n---\n")
    site.write("communities/c/2020/2020-01-01-same.md", "---\ntitle: Two\ndate: 2020-01-01\n---\n")
    out = site.build()
    messages = out.messages()
    for this, other in (("2019/2019-01-01-same.md", "2020/2020-01-01-same.md"),
                        ("2020/2020-01-01-same.md", "2019/2019-01-01-same.md")):
        assert any(f"docs/communities/c/{this}:1: slug: two entries share the slug 'same': this one and "
                   f"docs/communities/c/{other}" in m for m in messages), messages
    assert not (out.site / "communities/c/same").exists()


def test_community_without_index_is_reported_and_its_entries_counted(site):
    site.community("c")
    site.write("communities/orphan/2020-01-01-lost.md", GOOD)
    out = site.build()
    assert any("docs/communities/orphan/index.md:1: index.md: community folder 'orphan' has no index.md" in m
               for m in out.messages())
    assert out.summary().endswith("1 entries read, 0 published, 0 internal, 1 with errors")


def test_a_body_starting_like_metadata_is_kept(site):
    """MkDocs reads `Word: text` at the top of a page as MultiMarkdown metadata; an entry's body must survive it."""
    site.community("gd")
    site.entry("gd", "2020-01-01-outcome.md", title="Outcome", visibility="public",
               body="Outcome: fewer admissions after the huddles.\n\nMore.")
    html = site.build("internal").page("communities/gd/outcome/")
    assert "Outcome: fewer admissions after the huddles." in html


@pytest.mark.parametrize("name", ["2020-01-17-.md", "2020-01-16-...md", "2020-01-16--.md"])
def test_a_file_name_that_gives_no_slug_is_an_error_not_the_community_home(site, name):
    site.community("gd", title="GD home")
    site.write(f"communities/gd/{name}", "---\ntitle: Nameless\ndate: 2020-01-17\nvisibility: public\n---\nx\n")
    out = site.build("internal")
    assert "GD home" in out.page("communities/gd/")
    assert any(f"communities/gd/{name}:1: slug: the file name gives no URL slug" in m for m in out.messages())
    assert out.summary().endswith("1 entries read, 0 published, 0 internal, 1 with errors")


def test_two_file_names_differing_in_case_are_an_error_naming_both(site):
    site.community("gd")
    site.entry("gd", "Foo.md", title="Upper", visibility="public")
    site.entry("gd", "sub/foo.md", title="Lower", visibility="public")
    out = site.build("internal")
    messages = [m for m in out.messages() if "two entries share the slug" in m]
    assert len(messages) == 2 and all("Foo.md" in m and "sub/foo.md" in m for m in messages)
