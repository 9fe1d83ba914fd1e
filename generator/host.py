"""The static-site host's API, imported in one place: the plugin and its adapter use nothing else of it.

Today the host is MkDocs 1.x. Keeping every import here means a second host
with the same API (see the README's "Hosts" section) is one module to adapt,
not every file.
"""

from __future__ import annotations

from mkdocs.commands.build import build
from mkdocs.config import base, load_config
from mkdocs.config.base import ValidationError
from mkdocs.config import config_options as options
from mkdocs.config.defaults import MkDocsConfig as HostConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

#: the host's name, for messages
NAME = "MkDocs"

__all__ = [
    "NAME", "Abort", "BasePlugin", "ConfigurationError", "File", "Files", "HostConfig", "InclusionLevel",
    "Navigation", "Page", "PluginError", "Section", "ValidationError", "base", "build", "event_priority", "get_plugin_logger",
    "load_config", "options",
]
