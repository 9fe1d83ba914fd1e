"""One measurement in a fresh interpreter, printed as JSON: run by bench/run.py, not by hand.

Usage: python _measure.py build CONFIG SITE_DIR
       python _measure.py check DOCS_DIR
       python _measure.py serve CONFIG SITE_DIR ENTRY_FILE
       python _measure.py markdown DOCS_DIR
Times exclude interpreter start-up and imports; peak memory is this process's ru_maxrss.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import resource
import sys
import time


def peak_mb() -> float:
    """This process's peak resident memory, in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quiet_logging() -> None:
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def measure_build(config_file: str, site_dir: str) -> dict:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    quiet_logging()
    config = load_config(config_file, site_dir=site_dir)
    config.plugins.on_startup(command="build", dirty=False)
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    build(config)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu_before, "peak_mb": peak_mb()}


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the card worker), user and system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_markdown(docs_dir: str) -> dict:
    """Python-Markdown alone converting every page's body, with MkDocs' default extensions: the floor.

    Reading the files and cutting the front matter are timed too, as any build must do both;
    writing the HTML is not.
    """
    from pathlib import Path

    import markdown

    converter = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "attr_list"])
    start = time.perf_counter()
    for path in sorted(Path(docs_dir).rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            text = text[end + 5:] if end != -1 else text
        converter.reset().convert(text)
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb()}


def measure_check(docs_dir: str) -> dict:
    from generator.cli import main

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", docs_dir])
    return {"seconds": time.perf_counter() - start, "exit": code, "peak_mb": peak_mb()}


def measure_serve(config_file: str, site_dir: str, entry_file: str) -> dict:
    """A first build, one entry edited, then the rebuild `mkdocs serve --dirty` does, with the same plugin.

    cop-memory's part of the rebuild is the time inside its event handlers and
    inside the methods of its own files that MkDocs calls between them (drawing
    and writing the feeds and exports, telling MkDocs whether a page must be
    drawn again; `_OWN_FILE_METHODS`), less
    the full (generation 2) garbage collections that happen to start there, plus
    its share of every full collection of the rebuild: what a full collection
    costs with its caches alive minus what it costs without them. A full
    collection mostly frees the previous build's pages and navigation, and where
    it starts depends only on allocation counts, so charging or sparing the
    plugin the whole pause would measure luck rather than the plugin.
    """
    import gc

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    quiet_logging()
    first = load_config(config_file, site_dir=site_dir)
    first.plugins.on_startup(command="serve", dirty=True)
    build(first, dirty=False)
    plugin = first.plugins["cop-memory"]

    with open(entry_file, encoding="utf-8") as handle:
        text = handle.read()
    with open(entry_file, "w", encoding="utf-8") as handle:
        handle.write(text.replace("\n\n", "\n\nEdited during the benchmark. ", 1))
    later = time.time() + 2
    os.utime(entry_file, (later, later))

    own = [0.0]
    inside = [False]
    depth = [0]
    full_collections: list[tuple[float, bool]] = []
    started = [0.0]

    def on_gc(phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            full_collections.append((time.perf_counter() - started[0], inside[0]))

    def timer(original):
        # wraps() keeps the event priority MkDocs reads from a handler. Only the outermost call
        # counts: a file's method may call another timed one (a feed's copy_file, its parent's).
        @functools.wraps(original)
        def timed(*args, **kwargs):
            depth[0] += 1
            start = time.perf_counter()
            inside[0] = True
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    inside[0] = False
                    own[0] += time.perf_counter() - start
        return timed

    for name in dir(plugin):
        if name.startswith("on_") and callable(getattr(plugin, name)):
            setattr(plugin, name, timer(getattr(plugin, name)))
    from generator import plugin_files

    for class_name, method_name in _OWN_FILE_METHODS:
        cls = getattr(plugin_files, class_name)
        method = cls.__dict__[method_name]
        setattr(cls, method_name, property(timer(method.fget)) if isinstance(method, property) else timer(method))
    if hasattr(plugin_files.SiteRenderer, "page_is_current"):
        # _PreparedFile.is_modified asks MkDocs' File first (is the page older than its source?),
        # as the baseline's own files do: only the plugin's further question is its part.
        plugin_files.SiteRenderer.page_is_current = timer(plugin_files.SiteRenderer.page_is_current)
    second = load_config(config_file, site_dir=site_dir)
    assert second.plugins["cop-memory"] is plugin, "MkDocs did not keep the plugin across rebuilds"
    gc.callbacks.append(on_gc)
    start = time.perf_counter()
    build(second, dirty=True)
    total = time.perf_counter() - start
    gc.callbacks.remove(on_gc)

    with_caches = _full_collection_seconds()
    plugin.loader.forget()
    plugin.memo.forget()
    plugin.plan = plugin.publication = plugin.excerpts = None
    without_caches = _full_collection_seconds()
    share = max(0.0, with_caches - without_caches)
    paused_inside = sum(seconds for seconds, was_inside in full_collections if was_inside)
    return {
        "seconds": total,
        "plugin_seconds": own[0] - paused_inside + share * len(full_collections),
        "handler_seconds": own[0],
        "full_collections": len(full_collections),
        "full_collection_seconds": sum(seconds for seconds, _ in full_collections),
        "full_collection_seconds_in_handlers": paused_inside,
        "cache_share_per_full_collection": share,
        "peak_mb": peak_mb(),
    }


#: cop-memory's files' methods that MkDocs calls outside the plugin's event handlers (class, method)
_OWN_FILE_METHODS = (("_GeneratedFile", "copy_file"), ("_GeneratedFile", "is_modified"),
                     ("_FeedFile", "copy_file"), ("_PreparedFile", "content_string"))


def _full_collection_seconds() -> float:
    """The time of a full garbage collection when there is nothing left to free (best of 5)."""
    import gc

    gc.collect()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        gc.collect()
        times.append(time.perf_counter() - start)
    return min(times)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    result = {"build": measure_build, "check": measure_check, "serve": measure_serve,
              "markdown": measure_markdown}[mode](*args)
    print(json.dumps(result))
