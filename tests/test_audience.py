"""The audience stage: what a build may show, Chatham House redaction, links unlinked, attachments."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import community, entry, memory

from generator.audience import publish, redact
from generator.memo import Memo
from generator.review import review


def test_public_build_holds_only_public_entries_of_public_communities():
    m = memory(
        community("open"), community("closed", visibility="internal"),
        entry("open", "shown"), entry("open", "kept-in", visibility="internal"),
        entry("closed", "public-but-community-internal"),
    )
    public = publish(m, "public")
    assert list(public.communities) == ["open"]
    assert [e.slug for e in public.entries] == ["shown"]
    assert (public.read, public.published, public.left_out_internal, public.with_errors) == (3, 1, 2, 0)
    internal = publish(m, "internal")
    assert [e.slug for e in internal.entries] == ["shown", "kept-in", "public-but-community-internal"]
    assert (internal.read, internal.published, internal.left_out_internal) == (3, 3, 0)


def test_summary_line_adds_up_with_failed_entries():
    m = memory(community("open"), entry("open", "a"), entry("open", "b", visibility="internal"),
               failed=["communities/open/broken.md"])
    line = publish(m, "public").summary()
    assert line == ("public build: 1 communities, 3 entries read, 1 published, "
                    "1 internal, 1 with errors")


def test_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience must be one of internal, public"):
        publish(memory(), "everyone")


def test_chatham_house_replaces_every_listed_name_everywhere():
    e = entry(
        "peer", "fishbowl", attribution="chatham-house",
        title="What Jo Bloggs learnt at Harbour Trust",
        body="Jo  Bloggs said the HARBOUR TRUST pilot failed; jo bloggs tried again.\nBy Sam Reed.",
        cycles={"applied": ("Harbour Trust changed its intake after Jo Bloggs spoke",)},
        people=("Jo Bloggs",), organisations=("Harbour Trust",), reporters=("Sam Reed",),
        tags=("Harbour Trust", "failure"),
    )
    r = redact(e)
    everything = " ".join([r.title, r.body, *(s.text for s in r.cycles["applied"]), *r.tags, *r.people, *r.organisations,
                           *r.reporters])
    for name in ("Jo", "Bloggs", "Harbour", "Sam Reed"):
        assert name.lower() not in everything.lower(), name
    assert r.title == "What a member learnt at an organisation"
    assert r.body == ("A member said an organisation pilot failed; a member tried again.\nBy a member.")
    assert [s.text for s in r.cycles["applied"]] == ["An organisation changed its intake after a member spoke"]
    assert r.people == ("a member",) and r.organisations == ("an organisation",) and r.reporters == ("a member",)
    assert r.tags == ("An organisation", "failure")


def test_chatham_house_applies_to_the_showcase_reason():
    e = entry("peer", "funder", attribution="chatham-house", people=("Jo Bloggs",), organisations=("Harbour Trust",),
              showcase="Chosen because Jo Bloggs got the Harbour Trust to count stories")
    assert redact(e).showcase == "Chosen because a member got an organisation to count stories"
    assert redact(entry("peer", "plain", attribution="chatham-house", people=("Jo Bloggs",))).showcase is None


def test_named_entries_are_not_redacted():
    e = entry("open", "named", people=("Jo Bloggs",), title="Jo Bloggs spoke")
    assert redact(e) is e


def test_a_public_link_to_an_internal_entry_is_reported_and_its_target_listed_as_hidden():
    body = "Intro.\n\nSee [the secret audit](../2019-05-01-secret-audit.md) and [a public one](public-one.md)."
    m = memory(
        community("open"),
        entry("open", "linker", body=body, body_line=7),
        entry("open", "secret-audit", visibility="internal", source="communities/open/2019-05-01-secret-audit.md"),
        entry("open", "public-one", source="communities/open/2020/public-one.md"),
    )
    reviewed = review(m)
    assert [str(p) for p in reviewed.problems] == [
        "docs/communities/open/2020/2020-01-01-linker.md:9: body: public entry links to internal page "
        "communities/open/2019-05-01-secret-audit.md; the public build shows the link text only; "
        "make the target public, or remove the link [warning]"
    ]
    public = publish(reviewed, "public")
    # The body is left as written: links are judged on the rendered page (see test_targets.py).
    assert next(e for e in public.entries if e.slug == "linker").body == body
    assert {"communities/open/secret-audit/", "communities/open/2019-05-01-secret-audit.md"} <= public.hidden_targets
    assert not {"communities/open/public-one/", "communities/open/linker/"} & public.hidden_targets
    assert publish(reviewed, "internal").hidden_targets == set()


def test_an_internal_community_and_its_pages_and_files_are_hidden_targets():
    m = memory(community("open"), community("closed", visibility="internal"),
               entry("open", "shown"), entry("open", "hidden", visibility="internal"), entry("closed", "inside"),
               attachments=["communities/closed/img/c.png", "communities/open/img/o.png"])
    public = publish(m, "public")
    assert {"communities/closed/", "communities/closed/index.md", "communities/closed/inside/",
            "communities/open/hidden/", "communities/closed/img/c.png"} <= public.hidden_targets
    assert not {"communities/open/", "communities/open/shown/", "communities/open/img/o.png"} & public.hidden_targets


def test_attachments_of_published_communities_are_candidates_the_others_hidden():
    """Which candidates are published is decided on the rendered pages: see the canary suite."""
    m = memory(
        community("open", body="![logo](logo.svg)"),
        community("closed", visibility="internal"),
        attachments=["communities/open/logo.svg", "communities/open/img/unused.png", "communities/closed/img/c.png"],
    )
    public = publish(m, "public")
    assert public.attachments == ["communities/open/logo.svg", "communities/open/img/unused.png"]
    assert public.is_hidden("communities/closed/img/c.png")
    assert len(publish(m, "internal").attachments) == 3


def test_with_a_memo_rewritten_entries_come_back_as_the_same_objects():
    """`mkdocs serve` keys its kept views on entry identity: redaction must not defeat it."""
    body = "Jo Bloggs said so. See [the audit](../2019-05-01-audit.md)."
    chatham = entry("open", "talk", attribution="chatham-house", people=("Jo Bloggs",), body=body)
    audit = entry("open", "audit", visibility="internal", source="communities/open/2019-05-01-audit.md")
    plain = entry("open", "plain")
    m = memory(community("open", body="[audit](2019-05-01-audit.md)"), chatham, audit, plain)
    memo = Memo()
    for audience in ("internal", "public"):
        first, second = publish(m, audience, memo), publish(m, audience, memo)
        assert first.entries[0].body != body and "Jo Bloggs" not in first.entries[0].body
        assert all(a is b for a, b in zip(first.entries, second.entries, strict=True)), audience
        assert first.communities["open"] is second.communities["open"]
    # Without a memo (a one-off build) redaction gives a new object each time; untouched entries pass through.
    once, again = publish(m, "public"), publish(m, "public")
    assert once.entries[0] is not again.entries[0] and once.entries[-1] is plain


def test_the_hidden_token_stays_the_same_object_while_what_is_hidden_does():
    """Kept community pages key on it: a change in what is hidden must draw them again."""
    linker = entry("open", "linker")
    hidden = entry("open", "audit", visibility="internal")
    memo = Memo()
    before = publish(memory(community("open"), linker, hidden), "public", memo)
    again = publish(memory(community("open"), linker, hidden), "public", memo)
    assert again.hidden_token is before.hidden_token
    after = publish(memory(community("open"), linker, replace(hidden, visibility="public")), "public", memo)
    assert after.hidden_token is not before.hidden_token
