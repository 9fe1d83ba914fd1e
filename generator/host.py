"""The static-site host's API, imported in one place: the plugin and its adapter use nothing else of it.

Two hosts serve the same MkDocs-1.x API: MkDocs itself, and ProperDocs (its
maintained fork). Everything is imported through the `mkdocs.*` names:

- under the `mkdocs` command they are MkDocs;
- under the `properdocs` command ProperDocs' import hook (`properdocs.replacement`)
  already maps every `mkdocs.*` import to `properdocs.*`, Material's too;
- in our own processes (`copmem`, the tests) this module installs that hook when
  MkDocs is not installed, or when COPMEM_HOST=properdocs asks for ProperDocs.

Never import `properdocs.*` classes directly: with both hosts installed, the
`mkdocs` command would then refuse the plugin (not a subclass of *its* BasePlugin).
See the README's "Hosts" section.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import sys
from collections.abc import Iterator

#: the environment variable that picks the host of our own processes when both are installed
HOST_VARIABLE = "COPMEM_HOST"
#: the hosts, by package name
HOSTS = ("mkdocs", "properdocs")


def _choose_host() -> None:
    """Install ProperDocs' `mkdocs.*` import hook when MkDocs is absent or COPMEM_HOST asks for ProperDocs."""
    if "mkdocs" in sys.modules:
        # Already settled in this process: by the properdocs command's hook, or by an earlier import.
        return
    choice = os.environ.get(HOST_VARIABLE, "").strip().lower()
    if choice and choice not in HOSTS:
        raise ImportError(f"cop-memory: the environment variable {HOST_VARIABLE} is {choice!r}; "
                          f"expected one of {', '.join(HOSTS)} (or unset: MkDocs if installed, else ProperDocs)")
    if importlib.util.find_spec("mkdocs") is not None and choice != "properdocs":
        return
    if choice == "mkdocs":
        raise ImportError(f"cop-memory: {HOST_VARIABLE}=mkdocs, and MkDocs is not installed: pip install mkdocs")
    if importlib.util.find_spec("properdocs") is None:
        if choice:
            raise ImportError(f"cop-memory: {HOST_VARIABLE}=properdocs, and ProperDocs is not installed: "
                              "pip install 'cop-memory[properdocs]'")
        raise ImportError("cop-memory needs MkDocs 1.x or ProperDocs, and neither is installed: "
                          "pip install mkdocs, or pip install 'cop-memory[properdocs]'")
    import properdocs.replacement  # noqa: F401, PLC0415 - its import maps mkdocs.* to properdocs.*


_choose_host()

import mkdocs  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import base, load_config  # noqa: E402
from mkdocs.config.base import ValidationError  # noqa: E402
from mkdocs.config import config_options as options  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig as HostConfig  # noqa: E402
from mkdocs.exceptions import Abort, ConfigurationError, PluginError  # noqa: E402
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402
from mkdocs.structure.nav import Link, Navigation, Section  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.utils.yaml import yaml_load  # noqa: E402

#: the package that really serves the API in this process, "mkdocs" or "properdocs": also its command's name
PACKAGE: str = "properdocs" if mkdocs.__name__ == "properdocs" else "mkdocs"
#: the host's name, for messages
NAME: str = {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}[PACKAGE]
#: the host's version
VERSION: str = getattr(mkdocs, "__version__", "?")


def command() -> list[str]:
    """The host's own command line (`mkdocs` or `properdocs`) run by this Python, e.g. for a build in a fresh process."""
    return [sys.executable, "-m", PACKAGE]


def root_logger() -> logging.Logger:
    """The logger the host's `--strict` counter watches; the `mkdocs.*` loggers (ours, Material's) feed into it.

    ProperDocs counts warnings on its `properdocs` logger only. Its command
    re-parents the legacy `mkdocs` logger under it; a build started from our own
    code must do the same, or strict mode would not count our errors.
    """
    root = logging.getLogger(PACKAGE)
    if PACKAGE == "properdocs":
        legacy = logging.getLogger("mkdocs")
        legacy.parent = root
        legacy.setLevel(logging.NOTSET)
        legacy.propagate = True
    return root


@contextlib.contextmanager
def logged_lines(level: int = logging.INFO) -> Iterator[list[str]]:
    """Within the block, the messages logged at `level` or above on the host's loggers (ours included)."""
    lines: list[str] = []
    handler = _Lines(lines, level)
    logger = root_logger()
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


class _Lines(logging.Handler):
    def __init__(self, lines: list[str], level: int) -> None:
        super().__init__(level)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def read_config_file(path: str) -> dict:
    """A configuration file's settings as written, with the host's YAML tags (`!ENV`) read and INHERIT followed."""
    with open(path, "rb") as file:
        return yaml_load(file)


def color_formatter() -> logging.Formatter:
    """The host command's log formatter (`WARNING -  message`, coloured on a terminal)."""
    # Imported late: the host's __main__ scans the installed themes.
    from mkdocs.__main__ import ColorFormatter  # noqa: PLC0415

    return ColorFormatter()


__all__ = [
    "HOST_VARIABLE", "HOSTS", "NAME", "PACKAGE", "VERSION", "Abort", "BasePlugin", "ConfigurationError", "File",
    "Files", "HostConfig", "InclusionLevel", "Link", "Navigation", "Page", "PluginError", "Section",
    "ValidationError", "base", "build", "color_formatter", "command", "event_priority", "get_plugin_logger",
    "load_config", "logged_lines", "options", "read_config_file", "root_logger",
]
