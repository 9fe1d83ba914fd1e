"""`copmem`'s parallel load: forked processes parse shares of the files, and the result is a one-process load's.

The loader forks only in a process that runs no other thread, as the command
line does; a pytest session may hold threads (the browser tests' server), so
each parallel load runs in a fresh interpreter: this file run as a script,
which records which process parsed what and pickles what it loaded. The
memory is large enough to cross the real threshold, with broken files of
every kind among good ones.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import generator.loader as loader
from generator.cli import main
from generator.loader import Loader, load


def outcome(memory) -> tuple:
    """Everything a load yields, comparable across processes."""
    return (memory.communities, memory.entries, [str(p) for p in memory.problems], memory.failed,
            memory.failed_communities, memory.attachments)


def run_load(docs: Path, tmp_path: Path, *, jobs: int = 2, fail: str = "", thread: bool = False,
             twice: bool = False) -> dict:
    """Load `docs` in a fresh interpreter (see `_script`); what it recorded."""
    result = tmp_path / "result.pickle"
    command = [sys.executable, __file__, str(docs), str(result), str(jobs), fail, str(int(thread)), str(int(twice))]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    return pickle.loads(result.read_bytes())


@pytest.fixture(scope="module")
def big_docs(tmp_path_factory):
    """Three communities (one broken), 624 files: good entries and one of each kind of bad file."""
    docs = tmp_path_factory.mktemp("big")
    for cid, charter in (("alpha", "title: Alpha\ndomain: A\nvisibility: public\n"),
                         ("beta", "title: Beta\ndomain: B\nattribution: chatham-house\n"),
                         ("gamma", "title: Gamma\n")):  # gamma has no domain: its entries are left out
        folder = docs / "communities" / cid
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(f"---\n{charter}---\nCharter.\n", encoding="utf-8")
        for i in range(200):
            year = 2015 + i % 8
            text = (f"---\ntitle: Entry {i} of {cid}\ndate: {year}-0{1 + i % 9}-1{i % 10}\nkind: story\n"
                    f"cycles:\n  applied: [Practice changed {i}]\n  realised: Fewer missed tests\n"
                    f"visibility: {'public' if i % 3 else 'internal'}\ntags: [t{i % 7}]\n---\n"
                    f"Body of entry {i}, with a [link](2015-01-10-e0.md).\n")
            (folder / f"{year}-01-10-e{i}.md").write_text(text, encoding="utf-8")
        bad = {
            "2020-02-02-no-fence.md": "title: x\n",
            "2020-02-03-yaml.md": "---\ntitle: [unclosed\n---\n",
            "2020-02-04-date.md": "---\ntitle: T\ndate: 2020-13-45\n---\n",
            "2020-02-05-cycle.md": "---\ntitle: T\ndate: 2020-01-01\nkind: story\ncycles: [aplied]\n---\n",
            "2020-02-06-html.md": "---\ntitle: T\ndate: 2020-01-01\n---\n<script>x()</script>\n",
            "2020-02-07-e1.md": "---\ntitle: Same slug\ndate: 2020-01-01\nslug: e1\n---\n",
        }
        for name, text in bad.items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / "2020-02-08-latin1.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
        (folder / "photo.png").write_bytes(b"\x89PNG")
    return docs


@pytest.fixture(scope="module")
def serial(big_docs):
    return outcome(load(big_docs, display_dir="docs", jobs=1))


def test_a_parallel_load_yields_exactly_a_one_process_load(big_docs, serial, tmp_path):
    run = run_load(big_docs, tmp_path)
    parsers = run["parsers"]
    assert len(parsers) == 2 and run["pid"] in parsers, parsers
    # each process parsed half of the 3 x 208 files, and nothing a worker returned was parsed again here
    assert sorted(parsers.values()) == [312, 312]
    assert len(run["parsed_here"]) == parsers[run["pid"]] == len(set(run["parsed_here"]))
    assert run["outcome"] == serial
    communities, entries, problems, failed, *_ = serial
    # per good community: 200 entries, one of them sharing its slug with a bad file, and the unsafe-HTML one
    assert (len(communities), len(entries), len(failed)) == (2, 2 * 200, 207 + 2 * 7)
    assert any("2020-02-08-latin1.md:" in p for p in problems)


NEEDED = 3 * 208 - 207  # every file but gamma's entries, which are left out with their community


def needed(source: str) -> bool:
    return "/gamma/" not in source or source.endswith("/index.md")


def test_a_one_process_load_parses_as_it_goes(big_docs, serial, tmp_path):
    run = run_load(big_docs, tmp_path, jobs=1)
    assert run["parsers"] == {} and len(run["parsed_here"]) == len(set(run["parsed_here"])) == NEEDED
    assert run["outcome"] == serial


@pytest.mark.parametrize("fail", ["raise", "die"])
def test_a_worker_that_fails_or_dies_loses_nothing(big_docs, serial, tmp_path, fail):
    run = run_load(big_docs, tmp_path, fail=fail)
    assert len(run["parsers"]) == 2
    # the needed files of the worker's share were parsed here after all
    own_share = run["parsed_here"][:312]
    assert len(run["parsed_here"]) == 312 + NEEDED - len([f for f in own_share if needed(f)])
    assert run["outcome"] == serial


def test_a_process_running_another_thread_does_not_fork(big_docs, serial, tmp_path):
    run = run_load(big_docs, tmp_path, thread=True)
    assert run["parsers"] == {}
    assert run["outcome"] == serial


def test_a_small_memory_is_parsed_in_one_process(tmp_path):
    docs = tmp_path / "docs"
    folder = docs / "communities" / "c"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text("---\ntitle: C\ndomain: D\n---\n", encoding="utf-8")
    for i in range(20):
        (folder / f"2020-01-01-e{i}.md").write_text(f"---\ntitle: E{i}\ndate: 2020-01-01\n---\n", encoding="utf-8")
    run = run_load(docs, tmp_path)
    assert run["parsers"] == {} and len(run["outcome"][1]) == 20


def test_a_serving_loader_parses_nothing_again(big_docs, serial, tmp_path):
    run = run_load(big_docs, tmp_path, twice=True)
    assert sum(run["parsers"].values()) == 3 * 208  # gamma's entries too: parsed ahead, then left out
    assert run["parses"] == [NEEDED, NEEDED]
    assert run["outcome"] == serial


def test_copmem_check_reports_the_same_in_parallel(big_docs):
    def check(cpus: int) -> subprocess.CompletedProcess:
        code = ("import sys, generator.cli as cli; cli.usable_cpus = lambda: %d; "
                "sys.exit(cli.main(['check', sys.argv[1]]))" % cpus)
        return subprocess.run([sys.executable, "-c", code, str(big_docs)], capture_output=True, text=True,
                              timeout=120, cwd=Path(__file__).resolve().parents[1])

    one, two = check(1), check(2)
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr) == (
        1, one.stdout, one.stderr)
    assert "2 communities, 621 entries read, 16 errors" in one.stderr
    assert "gamma/index.md:1: domain: required field is missing" in one.stdout
    assert len(one.stdout.splitlines()) == len(set(one.stdout.splitlines())) == 150


#: set by `_script` in the fresh interpreter; module-level, so a forked worker finds the same
_RUN: dict = {}


def _recording_parse_files(docs, display, work):
    """`_parse_files` that notes which process parsed how many files, and fails in a worker when told to."""
    (_RUN["record"] / f"{os.getpid()}-{len(work)}").touch()
    if os.getpid() != _RUN["parent"] and _RUN["fail"] == "raise":
        raise RuntimeError("a bug in a worker")
    if os.getpid() != _RUN["parent"] and _RUN["fail"] == "die":
        os._exit(3)
    return _RUN["parse_files"](docs, display, work)


def _recording_parse_file(*args):
    _RUN["parsed_here"].append(args[1])  # a worker appends to its own copy
    return _RUN["parse_file"](*args)


def _script(docs: str, result: str, jobs: str, fail: str, thread: str, twice: str) -> None:
    """Load `docs` with `jobs` processes and pickle to `result` what happened (see `run_load`)."""
    record = Path(result).with_suffix(".parsers")
    record.mkdir()
    _RUN.update(parent=os.getpid(), record=record, fail=fail, parsed_here=[],
                parse_files=loader._parse_files, parse_file=loader._parse_file)
    loader._parse_files, loader._parse_file = _recording_parse_files, _recording_parse_file
    stop = threading.Event()
    if thread == "1":
        threading.Thread(target=stop.wait).start()
    kept = Loader(cache=twice == "1", jobs=int(jobs))
    memory = kept.load(docs, display_dir="docs")
    parses = [kept.parses]
    if twice == "1":
        memory = kept.load(docs, display_dir="docs")
        parses.append(kept.parses)
    stop.set()
    parsers = {int(p.name.split("-")[0]): int(p.name.split("-")[1]) for p in record.iterdir()}
    Path(result).write_bytes(pickle.dumps({"pid": _RUN["parent"], "parsers": parsers,
                                           "parsed_here": _RUN["parsed_here"], "parses": parses,
                                           "outcome": outcome(memory)}))


if __name__ == "__main__":
    _script(*sys.argv[1:])
