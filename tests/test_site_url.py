"""A public build never points at the preview server: a local site_url warns, and fails --strict."""

from __future__ import annotations

import pytest

from generator.host import Abort
from generator.urls import is_local


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "http://localhost/", "http://LOCALHOST:8000/x/",
                                 "http://[::1]:8000/", "http://0.0.0.0:8000/", "http://127.1.2.3/",
                                 "http://preview.localhost/"])
def test_local_addresses(url):
    assert is_local(url)


@pytest.mark.parametrize("url", [None, "", "https://org.example/network/", "http://10.0.0.5/", "http://[::2]/",
                                 "https://localhost.example.org/", "not a url"])
def test_addresses_that_are_not_this_machine(url):
    assert not is_local(url)


LOCAL = "site_url: http://127.0.0.1:8000/\n"


def _local(site, strict=False, audience="public"):
    site.community("gd")
    site.entry("gd", "2020-01-01-a.md", title="A", visibility="public")
    config = site.write_config(audience)
    config.write_text(config.read_text(encoding="utf-8").replace("site_url: https://cop.example.org/\n", LOCAL),
                      encoding="utf-8")
    from generator import host

    return host.load_config(str(config), site_dir=str(site.root / "out"), strict=strict)


def test_a_public_build_for_a_local_address_warns(site, caplog):
    from generator import host

    with caplog.at_level("WARNING", logger="mkdocs"):
        host.build(_local(site))
    assert any("an address on this machine" in r.getMessage() and "COP_SITE_URL" in r.getMessage()
               for r in caplog.records)


def test_a_strict_public_build_for_a_local_address_fails(site):
    from generator import host

    with pytest.raises(Abort):
        host.build(_local(site, strict=True))


def test_an_internal_build_for_a_local_address_is_quiet(site, caplog):
    from generator import host

    with caplog.at_level("WARNING", logger="mkdocs"):
        host.build(_local(site, strict=True, audience="internal"))
    assert not any("an address on this machine" in r.getMessage() for r in caplog.records)
