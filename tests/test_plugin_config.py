"""The plugin's options: every default, every option, every bad value (in the style of mkdocs-rss-plugin's tests)."""

from __future__ import annotations

import pytest

from generator import host
from generator.plugin import CopMemoryPlugin


@pytest.fixture(autouse=True)
def no_audience_variable(monkeypatch):
    monkeypatch.delenv("COP_AUDIENCE", raising=False)


def configure(**options) -> tuple[CopMemoryPlugin, list, list]:
    """A plugin object with `options` loaded as MkDocs loads them, and the errors and warnings."""
    plugin = CopMemoryPlugin()
    errors, warnings = plugin.load_config(options)
    return plugin, errors, warnings


def error_text(errors) -> str:
    return " ".join(f"{name}: {error}" for name, error in errors)


def test_defaults():
    plugin, errors, warnings = configure()
    assert (errors, warnings) == ([], [])
    assert (plugin.config.enabled, plugin.config.audience, plugin.config.timeline_limit) == (True, "internal", 300)


@pytest.mark.parametrize(("options", "attribute", "value"), [
    ({"audience": "public"}, "audience", "public"),
    ({"audience": "internal"}, "audience", "internal"),
    ({"timeline_limit": 1}, "timeline_limit", 1),
    ({"timeline_limit": 5000}, "timeline_limit", 5000),
    ({"enabled": False}, "enabled", False),
])
def test_each_option(options, attribute, value):
    plugin, errors, _ = configure(**options)
    assert errors == []
    assert getattr(plugin.config, attribute) == value


def test_the_audience_variable_decides_when_the_option_is_not_set(monkeypatch):
    monkeypatch.setenv("COP_AUDIENCE", "public")
    assert configure()[0].config.audience == "public"
    # The site's own setting wins over the environment.
    assert configure(audience="internal")[0].config.audience == "internal"


def test_a_bad_audience_variable_is_an_error_naming_it(monkeypatch):
    monkeypatch.setenv("COP_AUDIENCE", "everyone")
    _, errors, _ = configure()
    assert "COP_AUDIENCE" in error_text(errors) and "'everyone'" in error_text(errors)


@pytest.mark.parametrize(("options", "name"), [
    ({"audience": "everyone"}, "audience"),
    ({"audience": True}, "audience"),
    ({"timeline_limit": 0}, "timeline_limit"),
    ({"timeline_limit": -3}, "timeline_limit"),
    ({"timeline_limit": True}, "timeline_limit"),
    ({"timeline_limit": "ten"}, "timeline_limit"),
    ({"enabled": "yes"}, "enabled"),
])
def test_bad_values_are_errors_naming_the_option(options, name):
    _, errors, _ = configure(**options)
    assert [option for option, _ in errors] == [name]


def test_an_unknown_option_is_a_warning():
    _, errors, warnings = configure(audiance="public")
    assert errors == [] and [name for name, _ in warnings] == ["audiance"]


def test_a_public_build_with_the_plugin_disabled_is_refused(site, caplog):
    site.community("open")
    with pytest.raises(host.Abort):
        site.build("public", extra_plugin_options="      enabled: false\n")
    assert "a public build needs the plugin enabled" in caplog.text


def test_a_disabled_plugin_leaves_an_internal_site_as_plain_mkdocs(site):
    site.community("open")
    out = site.build("internal", extra_plugin_options="      enabled: false\n", summary=False)
    assert not (out.site / "matrix.json").exists()
    assert not [m for m in out.messages(0) if m.startswith("cop-memory:")]


def test_the_plugin_listed_twice_is_refused(site, caplog):
    site.community("open")
    with pytest.raises(host.Abort):
        site.build("internal", extra_yml="  - cop-memory:\n      audience: public\n")
    assert "the plugin is listed more than once" in caplog.text


def test_a_dirty_public_build_is_refused(site):
    site.community("open")
    config = site.config("public")
    with pytest.raises(host.PluginError, match="cannot be --dirty"):
        config.plugins.on_startup(command="build", dirty=True)
    # A dirty internal build (mkdocs serve --dirty) is fine.
    site.config("internal").plugins.on_startup(command="serve", dirty=True)
