"""Hosts: the plugin, `copmem build` and strict mode work on MkDocs and on ProperDocs, whichever is installed.

CI runs the whole suite twice: with MkDocs (and ProperDocs, the `properdocs`
extra, when installed) and in a second environment with MkDocs uninstalled.
These tests check what differs between hosts: which one is chosen, that strict
mode counts every error of an in-process build, that the host's own command
loads the plugin, and that a public build refuses to pass when the plugin did
not run.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import io
import os
import subprocess
import sys

import pytest

from generator import host
from generator.cli import main


def installed(package: str) -> bool:
    """Whether a host's distribution is installed (ProperDocs' import hook does not make MkDocs one)."""
    try:
        importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def chosen_host(choice: str) -> subprocess.CompletedProcess:
    """Which host `generator.host` picks in a fresh process with COPMEM_HOST=choice (unset when empty)."""
    env = {k: v for k, v in os.environ.items() if k != host.HOST_VARIABLE}
    if choice:
        env[host.HOST_VARIABLE] = choice
    return subprocess.run([sys.executable, "-c", "from generator import host; print(host.PACKAGE, host.BasePlugin)"],
                          capture_output=True, text=True, env=env, timeout=60)


def test_at_least_one_host_is_installed_and_this_process_uses_it():
    assert installed("mkdocs") or installed("properdocs")
    expected = os.environ.get(host.HOST_VARIABLE) or ("mkdocs" if installed("mkdocs") else "properdocs")
    assert host.PACKAGE == expected
    # The API really comes from that package, whatever name it was imported by.
    assert host.BasePlugin.__module__ == f"{expected}.plugins"


@pytest.mark.parametrize("choice", ["", "mkdocs", "properdocs"])
def test_copmem_host_picks_the_host_or_says_what_to_install(choice):
    result = chosen_host(choice)
    wanted = choice or ("mkdocs" if installed("mkdocs") else "properdocs")
    if installed(wanted):
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[0] == wanted
        assert f"<class '{wanted}.plugins.BasePlugin'>" in result.stdout
    else:
        assert result.returncode == 1
        assert f"{host.HOST_VARIABLE}={wanted}, and" in result.stderr and "pip install" in result.stderr


def test_an_unknown_copmem_host_is_named():
    result = chosen_host("hugo")
    assert result.returncode == 1
    assert "COPMEM_HOST is 'hugo'; expected one of mkdocs, properdocs" in result.stderr


def test_the_plugin_is_registered_for_both_hosts():
    for group in ("mkdocs.plugins", "properdocs.plugins"):
        found = importlib.metadata.entry_points(group=group, name="cop-memory")
        assert [e.value for e in found] == ["generator.plugin:CopMemoryPlugin"], group


def test_the_host_command_is_the_active_host():
    result = subprocess.run([*host.command(), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # e.g. "python -m properdocs, version 1.6.7 from .../site-packages/properdocs (Python 3.11)"
    assert host.VERSION in result.stdout
    assert result.stdout.rstrip().split(" (")[0].endswith(os.sep + host.PACKAGE), result.stdout


@pytest.fixture
def project(site):
    site.community("gd", title="Gestational diabetes")
    site.community("hidden", visibility="internal")
    site.entry("gd", "2020-01-02-open.md", title="Open", visibility="public")
    site.entry("hidden", "2020-01-03-secret.md", title="Secret story")
    return site


def run_copmem(*args: str) -> tuple[int, str]:
    """`copmem` in this process (so the host chosen here serves it); its exit code and what it printed."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def test_copmem_build_strict_fails_on_a_bad_entry_in_process(project, caplog):
    config = project.write_config()
    assert run_copmem("build", "--strict", "-f", str(config), "-d", str(project.root / "ok"))[0] == 0
    project.write("communities/gd/2020-02-02-broken.md", "---\ntitle: Broken\n---\nno date\n")
    code, err = run_copmem("build", "--strict", "-f", str(config), "-d", str(project.root / "bad"))
    assert code == 1
    assert "copmem: build failed: " in err and "strict" in err
    assert "2020-02-02-broken.md:" in caplog.text


def test_strict_counts_warnings_logged_on_the_legacy_mkdocs_loggers(project):
    """Material and older plugins log on `mkdocs.*` names: under ProperDocs they count only if re-parented."""
    (project.root / "hooks.py").write_text(
        "import logging\n"
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    if page.file.src_uri == 'index.md':\n"
        "        logging.getLogger('mkdocs.plugins.someone_else').warning('a legacy warning')\n"
        "    return markdown\n", encoding="utf-8")
    config = project.write_config(extra_yml="hooks:\n  - hooks.py\n")
    assert run_copmem("build", "-f", str(config), "-d", str(project.root / "lenient"))[0] == 0
    code, err = run_copmem("build", "--strict", "-f", str(config), "-d", str(project.root / "out"))
    assert code == 1
    assert "copmem: build failed: " in err and "strict" in err


def test_a_public_build_in_which_the_plugin_did_not_run_fails(project, monkeypatch):
    from generator.plugin import CopMemoryPlugin

    # Whatever the cause (a host or a plugin that skips it), no summary line means nothing was filtered:
    # here the plugin is configured but does nothing at all.
    monkeypatch.setattr(CopMemoryPlugin, "on_config", lambda self, config: config)
    monkeypatch.setattr(CopMemoryPlugin, "on_files", lambda self, files, *, config: files)
    config = project.write_config()
    code, err = run_copmem("build", "--public", "-f", str(config), "-d", str(project.root / "out"))
    assert code == 1
    assert "copmem: build failed: cop-memory did not run in this build" in err
    assert "do not publish it" in err
    # It is the check that failed the run: the unfiltered site was written, with the internal entry.
    assert (project.root / "out/communities/hidden/2020-01-03-secret/index.html").is_file()


def test_a_public_build_that_ran_passes_the_check(project):
    code, err = run_copmem("build", "--public", "-f", str(project.write_config()), "-d", str(project.root / "out"))
    assert code == 0, err
    assert not (project.root / "out/communities/hidden").exists()


@pytest.mark.parametrize(("plugins", "code", "message"), [
    ("  - search\n  - cop-memory:\n      enabled: false\n", 1, "a public build needs the plugin enabled"),
    ("  - search\n", 2, "the cop-memory plugin is not enabled under plugins:"),
])
def test_copmem_build_public_without_the_plugin_exits_non_zero(project, plugins, code, message):
    config = project.root / "mkdocs.yml"
    config.write_text(f"site_name: T\ndocs_dir: docs\ntheme: {{name: material}}\nplugins:\n{plugins}", encoding="utf-8")
    copmem = os.path.join(os.path.dirname(sys.executable), "copmem")
    env = {k: v for k, v in os.environ.items() if k != "COP_AUDIENCE"}
    result = subprocess.run([copmem, "build", "--public", "-d", "out"], cwd=project.root, capture_output=True,
                            text=True, timeout=120, env=env)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "public site written" not in result.stderr
    assert not (project.root / "out/communities/hidden").exists()


def test_mkdocs_names_are_the_active_host_s_modules():
    import mkdocs.structure.files

    assert (sys.modules["mkdocs"] is sys.modules.get("properdocs")) == (host.PACKAGE == "properdocs")
    assert mkdocs.structure.files.File is host.File
    assert importlib.util.find_spec("mkdocs.plugins") is not None


#: the modules that may use the host: the adapter, the command line, the prepared-tree recorder
ADAPTER = {"host.py", "plugin.py", "plugin_files.py", "prepare.py", "cli.py"}


def test_the_core_imports_no_host():
    """What docs/PORTING.md promises any engine: loader, review, audience, views, site plan, render, export."""
    import ast
    from pathlib import Path

    import generator

    core = sorted(p for p in Path(generator.__file__).parent.glob("*.py") if p.name not in ADAPTER)
    assert {"loader.py", "review.py", "audience.py", "views.py", "site.py", "render.py", "export.py"} <= \
        {p.name for p in core}
    for path in core:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")] + \
                    [f".{alias.name}" for alias in node.names if node.level and not node.module]
            else:
                continue
            for name in names:
                assert not name.startswith(("mkdocs", "properdocs", ".host", ".plugin")), f"{path.name}: {name}"
