"""Property tests: random front matter and Unicode either load or give a path:line problem, and never leak."""

from __future__ import annotations

import re
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.audience import publish
from generator.review import review
from generator.frontmatter import parse_bytes
from generator.loader import Loader

PROBLEM = re.compile(r"^docs/communities/c/[^:]+\.md:\d+: [^:]+: .+")
CANARY = "QQcanaryQQ"

KEYS = st.sampled_from(["title", "date", "kind", "cycles", "capital", "visibility", "attribution", "people",
                        "organisations", "reporters", "attendees", "tags", "slug", "pin", "cycle", "Title"])
SCALARS = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.sampled_from(["no", "yes", "true", "~", "2019-06-04", "2019-13-45", "public", "internal", "story",
                     "[immediate, 3]", "{applied: x}", "'quoted'", "- a", "&a", "*a", "!!python/object:os.system",
                     "realized", "Reframing", "5", "-1", "1e3", "null", ":", "{", "[", "\"", "\t"]),
    st.integers(min_value=-5, max_value=10**6),
    st.booleans(),
)


@st.composite
def front_matter_text(draw) -> str:
    lines = ["---"] if draw(st.integers(0, 9)) else []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        key = draw(KEYS)
        value = draw(SCALARS)
        lines.append(f"{key}: {value}")
    if draw(st.booleans()):
        lines.append("---")
    lines.append(draw(st.text(max_size=60)))
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_give_a_problem(raw):
    matter, problems = parse_bytes(raw, "docs/communities/c/x.md")
    assert (matter is None) == bool(problems)
    for problem in problems:
        assert re.match(r"^docs/communities/c/x\.md:\d+: ", str(problem)), str(problem)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=front_matter_text(), bom=st.booleans(), crlf=st.booleans())
def test_random_entries_load_or_report_path_line(tmp_path_factory, text, bom, crlf):
    docs = tmp_path_factory.mktemp("prop")
    folder = docs / "communities" / "c"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text("---\ntitle: C\ndomain: D\nvisibility: public\n---\n", encoding="utf-8")
    data = text.replace("\n", "\r\n") if crlf else text
    (folder / "2020-01-01-random.md").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    memory = review(Loader().load(docs, display_dir="docs"))
    assert len(memory.entries) + len(memory.failed) == 1
    for problem in memory.problems:
        assert PROBLEM.match(str(problem)), str(problem)
    if memory.failed:
        assert any(p.is_error for p in memory.problems)


NAMES = st.text(alphabet=string.ascii_letters + "éøß ", min_size=3, max_size=12).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(
    filler=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    visibility=st.sampled_from(["public", "internal", None]),
    community_visibility=st.sampled_from(["public", "internal"]),
    place=st.sampled_from(["title", "body", "statement", "tag"]),
)
def test_no_internal_canary_reaches_the_public_publication(tmp_path_factory, filler, visibility,
                                                           community_visibility, place):
    docs = tmp_path_factory.mktemp("canary")
    folder = docs / "communities" / "c"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(
        f"---\ntitle: C\ndomain: D\nvisibility: {community_visibility}\n---\n", encoding="utf-8")
    token = f"{filler}{CANARY}{filler}"
    quoted = '"' + token.replace("\\", "\\\\").replace('"', '\\"') + '"'
    title = quoted if place == "title" else "Plain"
    statement = quoted if place == "statement" else '"fine"'
    tags = f"[{quoted}]" if place == "tag" else "[x]"
    body = token if place == "body" else "text"
    vis = f"visibility: {visibility}\n" if visibility else ""
    (folder / "2020-01-01-e.md").write_text(
        f"---\ntitle: {title}\ndate: 2020-01-01\nkind: story\ncycles:\n  applied: {statement}\ntags: {tags}\n"
        f"{vis}---\n{body}\n", encoding="utf-8")
    memory = review(Loader().load(docs, display_dir="docs"))
    public = publish(memory, "public")
    shown = repr([(e.title, e.body, e.cycles, e.tags) for e in public.entries])
    internal = not (visibility == "public" and community_visibility == "public")
    if internal:
        assert CANARY not in shown
        assert public.entries == []
    assert public.read == public.published + public.left_out_internal + public.with_errors
