"""`copmem`: check, write, print and build a shared memory from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

from . import cache_folder, frontmatter
from .audience import publish
from .loader import load
from .framework import PROMPT_PLACEHOLDER
from .model import KINDS, RESERVED_SLUGS, Memory
from .problem import UNPRINTABLE, Problem, one_line
from .review import review
from .slugs import SLUG_FIELD, file_slug, slugify

DEFAULT_DIR = "content"
#: a new entry's file name keeps its title's first words: a slug is a URL, not a sentence
NEW_SLUG_LENGTH = 60

STORY_QUESTIONS = (
    ("immediate", "What happened, and what was your experience of it?",
     "Think of a gathering you attended recently. What specific insights did you gain?"),
    ("potential", "What has it produced?",
     "How did this influence your practice? What did it enable that would not have happened otherwise?"),
    ("applied", "What difference has it made to your practice?",
     "What difference did it make to your performance? "
     "How did it contribute to your personal or professional development?"),
    ("realised", "What difference has it made to what matters?",
     "How did this contribute to the goal of your organisation, qualitatively or quantitatively?"),
    ("transformative", "Has it changed what counts as success?",
     "Has this changed your or some other stakeholder's understanding of what matters?"),
)


def main(argv: list[str] | None = None) -> int:
    """Run `copmem` with `argv` (default: the process arguments); return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"copmem: {one_line(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


class UsageError(Exception):
    """A mistake in how the command was called, reported without a traceback."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copmem", description="A community of practice's shared memory and value showcase."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate every community and entry")
    check.add_argument("dir", nargs="?", default=DEFAULT_DIR, help="the docs folder (default: content)")
    check.set_defaults(run=cmd_check)

    new = sub.add_parser("new", help="write a new entry from a template and print its path")
    new.add_argument("kind", nargs="?", choices=(*KINDS, "community"), help="story, event, note or community")
    new.add_argument("--community", "-c", help="the community's id (its folder name)")
    new.add_argument("--title", "-t", help="the entry's title")
    new.add_argument("--dir", default=DEFAULT_DIR, help="the docs folder (default: content)")
    new.add_argument("--date", type=_iso_date, help="the date (default: today), YYYY-MM-DD")
    new.add_argument("--slug", help="the entry's URL slug, [a-z0-9-]+ (default: from the title)")
    new.set_defaults(run=cmd_new)
    new.add_argument("--id", dest="community_id", help="for a new community: its id, the folder name ([a-z0-9-]+)")
    new.add_argument("--domain", help="for a new community: its shared domain, in one line")

    matrix = sub.add_parser("matrix", help="print the Value Creation Matrix")
    matrix.add_argument("--community", "-c", help="only this community")
    matrix.add_argument("--format", "-f", choices=("md", "csv", "json"), default="md")
    matrix.add_argument("--public", action="store_true", help="only what the public build shows")
    matrix.add_argument("--dir", default=DEFAULT_DIR, help="the docs folder (default: content)")
    matrix.set_defaults(run=cmd_matrix)

    build = sub.add_parser("build", help="build the site for an audience")
    build.add_argument("--public", action="store_true", help="build the public site")
    build.add_argument("-d", "--site-dir", help="where to write the site (default: mkdocs.yml's site_dir)")
    build.add_argument("-f", "--config-file", default="mkdocs.yml", help="the MkDocs configuration")
    build.add_argument("--strict", action="store_true", help="fail on any warning or error")
    build.set_defaults(run=cmd_build)

    report = sub.add_parser("report", help="print the report for a period: entries, cycles, measures, aims, highlights")
    report.add_argument("--period", "-p", help="YYYY or YYYY-qN, e.g. 2025 or 2025-q3 (default: the last full quarter)")
    report.add_argument("--community", "-c", help="only this community")
    report.add_argument("--public", action="store_true", help="only what the public build shows")
    report.add_argument("--format", "-f", choices=("md", "html", "json"), default="md")
    report.add_argument("--dir", default=DEFAULT_DIR, help="the docs folder (default: content)")
    report.set_defaults(run=cmd_report)

    prepare = sub.add_parser("prepare", help="write one audience's site as a prepared docs tree for any engine")
    prepare.add_argument("--public", action="store_true", help="prepare the public site")
    prepare.add_argument("-d", "--dir", required=True, help="the folder to write (new, empty, or prepared before)")
    prepare.add_argument("-f", "--config-file", default="mkdocs.yml", help="the MkDocs configuration")
    prepare.add_argument("--strict", action="store_true", help="fail on any warning or error")
    prepare.set_defaults(run=cmd_prepare)
    return parser


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, found {text!r}") from None


def _load(folder: str) -> Memory:
    if not Path(folder).is_dir():
        raise UsageError(f"{folder}: no such folder; give the docs folder, e.g. `copmem check content`")
    return review(load(folder, display_dir=folder.rstrip("/") or ".", store=parse_store()))


def parse_store() -> Path | None:
    """Where the commands keep parses between runs (the user's cache, as builds do), or nowhere with
    COPMEM_NO_CACHE=1."""
    if os.environ.get("COPMEM_NO_CACHE", "").strip() not in ("", "0"):
        return None
    return cache_folder.user_cache("parse")


def cmd_check(args: argparse.Namespace) -> int:
    """Print every problem as `path:line: field: message`; exit 1 if any is an error."""
    folder = Path(args.dir)
    if folder.is_dir() and not (folder / "communities").is_dir():
        print(f"copmem check: {one_line(args.dir)} has no communities/ folder; nothing to check "
              f"(give the docs folder, e.g. copmem check {DEFAULT_DIR})", file=sys.stderr)
        return 2
    memory = _load(args.dir)
    problems = sorted(memory.problems, key=lambda p: (p.path, p.line, p.field, p.message))
    for problem in problems:
        print(problem_line(problem))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    read = len(memory.entries) + len(memory.failed)
    print(
        f"copmem check: {plural(len(memory.communities), 'community', 'communities')}, "
        f"{plural(read, 'entry', 'entries')} read, {plural(errors, 'error')}, {plural(warnings, 'warning')}",
        file=sys.stderr,
    )
    return 1 if errors else 0


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 entry`, `2 entries`, `0 entries`."""
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


#: what would break a problem's line, or could forge another, in a terminal or a log: C0 and C1
#: control characters (newline, carriage return, tab, escape...), and Unicode's line and paragraph
#: separators; and lone surrogates, which stand for bytes of a file name that are not UTF-8
def problem_line(problem: Problem) -> str:
    """A problem as exactly one line (see Problem.__str__: every part is made printable there)."""
    return str(problem)


def cmd_new(args: argparse.Namespace) -> int:
    """Write a new entry file from a template and print its path."""
    if args.kind == "community":
        return cmd_new_community(args)
    interactive = sys.stdin.isatty()
    docs = Path(args.dir)
    communities_dir = docs / "communities"
    known = sorted(p.name for p in communities_dir.iterdir() if (p / "index.md").is_file()) \
        if communities_dir.is_dir() else []
    kind = args.kind or _ask("Kind (story, event, note)", interactive, choices=KINDS, default="story")
    community = args.community or _ask(f"Community ({', '.join(known)})", interactive, choices=known)
    title = args.title or _ask("Title", interactive)
    if kind is None or community is None or not title:
        missing = [name for name, value in (("KIND", kind), ("--community", community), ("--title", title))
                   if not value]
        raise UsageError(f"missing {', '.join(missing)}; e.g. copmem new story --community ID --title 'What changed'")
    if community not in known:
        hint = f"known communities: {', '.join(known)}" if known else f"no community folders under {communities_dir}"
        raise UsageError(f"unknown community {community!r} ({hint})")
    unprintable = UNPRINTABLE.search(title)
    if unprintable:
        raise UsageError(f"the title {title!r} holds a control character ({one_line(unprintable.group())}); "
                         "write the title on one line, in plain text")
    date = args.date or dt.date.today()
    folder = communities_dir / community
    if args.slug is not None:
        slug = args.slug
        if not SLUG_FIELD.fullmatch(slug):
            raise UsageError(f"the slug {slug!r} must be lower-case letters, digits and hyphens; "
                             f"e.g. --slug {slugify(slug, NEW_SLUG_LENGTH) or 'what-changed'}")
    else:
        slug = slugify(title, NEW_SLUG_LENGTH)
        if not slug:
            raise UsageError(f"the title {title!r} gives an empty file name; use letters or digits, or give --slug")
    path = folder / f"{date.isoformat()}-{slug}.md"
    if path.exists():
        raise UsageError(f"{path} already exists; choose another title or --date")
    taken = existing_slugs(folder)
    if slug in RESERVED_SLUGS or slug in taken:
        why = ("is reserved for the community's own page" if slug in RESERVED_SLUGS
               else f"is taken by {taken[slug]}")
        free = next(f"{slug}-{n}" for n in range(2, len(taken) + 3)
                    if f"{slug}-{n}" not in taken and f"{slug}-{n}" not in RESERVED_SLUGS)
        raise UsageError(f"the slug {slug!r} {why}; try another --title, or use slug {free!r} (--slug {free})")
    path.write_text(entry_template(kind, title, date), encoding="utf-8")
    print(path)
    return 0


def existing_slugs(folder: Path) -> dict[str, str]:
    """The URL slugs of a community's entries, each with the path of its file (as shown to the user).

    An entry's slug is its `slug:` field, else its file name without the date
    in front and without `.md`; it must be unique in the community, whatever
    sub-folder the file is in. Read as the loader reads the folder: every `.md`
    file but the charter, no dot-names, no symlinked folders.
    """
    slugs: dict[str, str] = {}
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if not name.endswith(".md") or name.startswith(".") or (name == "index.md" and Path(root) == folder):
                continue
            path = Path(root) / name
            shown = str(path)
            slug = file_slug(name)
            try:
                raw = path.read_bytes()
            except OSError:
                raw = b""
            if b"slug" in raw:
                matter, _ = frontmatter.parse_bytes(raw, shown)
                value = matter.data.get("slug") if matter is not None else None
                if isinstance(value, str) and SLUG_FIELD.fullmatch(value):
                    slug = value
            slugs.setdefault(slug, shown)
    return slugs


def _ask(prompt: str, interactive: bool, choices=None, default: str | None = None) -> str | None:
    """Ask on the terminal; never prompts when stdin is not a terminal."""
    if not interactive:
        return None
    suffix = f" [{default}]" if default else ""
    while True:
        answer = input(f"{prompt}{suffix}: ").strip() or default
        if answer and (not choices or answer in choices):
            return answer
        if choices:
            print(f"  please answer one of: {', '.join(choices)}", file=sys.stderr)


def entry_template(kind: str, title: str, date: dt.date) -> str:
    """The text of a new entry: valid front matter and, for a story, the five guiding questions."""
    head = ["---", f"title: {_yaml_string(title)}", f"date: {date.isoformat()}", f"kind: {kind}"]
    if kind == "story":
        head += [
            "# Name each cycle the story reaches, with a one-line indicator, e.g.",
            "#   applied: Trust changed its policy within a week",
            "cycles:",
            "  immediate: []",
        ]
    elif kind == "event":
        head += ["cycles: [immediate]", "attendees: 0"]
    head += ["visibility: internal", "tags: []", "reporters: []", "---", ""]
    if kind == "story":
        body = []
        for cycle, _, question in STORY_QUESTIONS:
            body += [f"## {question}", "", f"*{cycle.capitalize()} value.* {PROMPT_PLACEHOLDER}", "",
                     *_evidence_questions(cycle), ""]
    elif kind == "event":
        body = ["What happened, who came, and what people took away.", ""]
    else:
        body = ["Your note here.", ""]
    return "\n".join(head + body)


def _evidence_questions(cycle: str) -> list[str]:
    """The framework's questions for a cycle, as an HTML comment: a guide while writing, never published."""
    from .framework import CYCLE_QUESTIONS

    return ["<!-- Questions that find evidence of this cycle:",
            *(f"     - {question}" for question in CYCLE_QUESTIONS[cycle]), "-->"]


_COMMUNITY_ID = re.compile(r"[a-z0-9-]+")


def cmd_new_community(args: argparse.Namespace) -> int:
    """Write a new community's charter, with a blank matrix and an aims prompt per cycle, and print its path."""
    cid, title, domain = args.community_id, args.title, args.domain
    missing = [name for name, value in (("--id", cid), ("--title", title), ("--domain", domain)) if not value]
    if missing:
        raise UsageError(f"missing {', '.join(missing)}; e.g. copmem new community --id falls-prevention "
                         "--title 'Falls prevention' --domain 'Fewer falls at home and in care homes'")
    if not _COMMUNITY_ID.fullmatch(cid):
        raise UsageError(f"the id {cid!r} must be lower-case letters, digits and hyphens (it is the folder name "
                         f"and part of every address); e.g. --id {slugify(cid) or 'my-community'}")
    for name, value in (("title", title), ("domain", domain)):
        # A newline would end the YAML line and write another field.
        found = UNPRINTABLE.search(value)
        if found:
            raise UsageError(f"the {name} holds a control character ({one_line(found.group())}); write it on one "
                             "line, in plain text")
        if not value.strip():
            raise UsageError(f"the {name} is empty")
    docs = Path(args.dir)
    if not docs.is_dir():
        raise UsageError(f"{docs}: no such folder; give the docs folder with --dir, e.g. --dir content")
    folder = docs / "communities" / cid
    charter = folder / "index.md"
    if charter.exists() or (folder.exists() and not folder.is_dir()):
        raise UsageError(f"{charter} already exists: the community {cid!r} is there; choose another --id")
    folder.mkdir(parents=True, exist_ok=True)
    charter.write_text(community_template(title.strip(), domain.strip()), encoding="utf-8")
    print(charter)
    return 0


def community_template(title: str, domain: str) -> str:
    """A new community's charter: valid front matter, a blank matrix, and an aims prompt per cycle.

    The prompts are YAML comments under `aims:`, so the charter passes
    `copmem check` with no aims at all and nothing invented is published; the
    community writes its aims over them, in its own words.
    """
    from .framework import CYCLE_INFO, CYCLES

    head = ["---", f"title: {_yaml_string(title)}", f"domain: {_yaml_string(domain)}",
            "# started: YYYY-MM-DD      (when it first met)", "conveners: []", "visibility: internal",
            "attribution: named",
            "# What value would the community like to be able to show in a year or two? Write an aim under",
            "# each cycle you hope to reach, in your own words, before the evidence exists (remove the #).",
            "# The matrix shows your aims above its rows, and marks an aimed cycle with no story yet.",
            "aims:"]
    for cycle in CYCLES:
        info = CYCLE_INFO[cycle]
        head += [f"  # {cycle}: ...    ({info.question} e.g. {info.prompt})"]
    head += ["---", "", "What the community is about: who meets, around which problem, and why it matters.",
             "", "## How to join", "", "Who can come, and how: the next meeting, or whom to write to.", ""]
    return "\n".join(head)


def _yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cmd_matrix(args: argparse.Namespace) -> int:
    """Print the Value Creation Matrix, from the same assembly the site exports."""
    from .export import matrix_csv, matrix_data, matrix_json, matrix_markdown, network_sources
    from .views import network_matrix

    memory = _load(args.dir)
    audience = "public" if args.public else "internal"
    publication = publish(memory, audience)
    communities = publication.communities
    entries = publication.entries
    if args.community:
        if args.community not in communities:
            raise UsageError(
                f"unknown community {args.community!r} for the {audience} audience "
                f"(known: {', '.join(communities) or 'none'})"
            )
        communities = {args.community: communities[args.community]}
        entries = [e for e in entries if e.community == args.community]
    network = network_matrix(communities, entries)
    data = matrix_data(network, audience)
    if args.format == "csv":
        text = matrix_csv(data, network_sources(network))
    else:
        text = {"json": matrix_json, "md": matrix_markdown}[args.format](data)
    sys.stdout.write(text)
    return 0


def _today() -> dt.date:
    """Today's date (a function, so a test can fix it)."""
    return dt.date.today()


def cmd_report(args: argparse.Namespace) -> int:
    """Print the report for a period (default: the last full quarter) as Markdown, HTML or JSON."""
    from .periods import Period, last_full_quarter
    from .reports import ReportIndex, report_json, report_markdown

    if args.period is None:
        period = last_full_quarter(_today())
    else:
        try:
            period = Period.parse(args.period)
        except ValueError as error:
            raise UsageError(f"--period: {error}") from None
    memory = _load(args.dir)
    audience = "public" if args.public else "internal"
    publication = publish(memory, audience)
    if args.community is not None and args.community not in publication.communities:
        raise UsageError(f"unknown community {args.community!r} for the {audience} audience "
                         f"(known: {', '.join(sorted(publication.communities)) or 'none'})")
    errors = sum(p.is_error for p in memory.problems)
    if errors:
        print(f"copmem report: {errors} error{'s' * (errors != 1)} in the content left entries out; "
              f"run `copmem check {args.dir}`", file=sys.stderr)
    report = ReportIndex(publication.communities, publication.entries, audience).report(period, args.community)
    if args.format == "html":
        from .render import Renderer

        text = Renderer().report_document(report)
    else:
        text = report_json(report) if args.format == "json" else report_markdown(report)
    sys.stdout.write(text)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site for the chosen audience, with the plugin lifecycle `mkdocs build` runs."""
    from . import host

    audience = "public" if args.public else "internal"
    if not Path(args.config_file).is_file():
        raise UsageError(f"{args.config_file}: no such file; run from the site's folder or pass -f")
    # The project's mkdocs.yml reads the audience from COP_AUDIENCE; set it for
    # that, and set the plugin option directly for sites that do not.
    os.environ["COP_AUDIENCE"] = audience
    _enable_mkdocs_logging()
    overrides = {"strict": True} if args.strict else {}
    if args.site_dir:
        overrides["site_dir"] = args.site_dir
    try:
        cfg = host.load_config(args.config_file, **overrides)
        plugin = cfg.plugins.get("cop-memory")
        if plugin is None:
            raise UsageError(f"{args.config_file}: the cop-memory plugin is not enabled under plugins:")
        plugin.config.audience = audience
        # As `mkdocs build` does: plugins that keep state across builds start and stop with it.
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            with host.logged_lines() as logged:
                host.build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (host.ConfigurationError, host.Abort) as error:
        print(f"copmem: build failed: {error}", file=sys.stderr)
        return 1
    if audience == "public" and not plugin_ran(logged, audience):
        # Whatever kept the plugin from running (disabled, replaced, a host that skips it),
        # the site it wrote holds internal content: never report it as a public site.
        print(f"copmem: build failed: cop-memory did not run in this build (no 'cop-memory: {audience} build:' "
              f"line was logged), so nothing kept internal content out of {cfg.site_dir}; do not publish it",
              file=sys.stderr)
        return 1
    print(f"copmem: {audience} site written to {cfg.site_dir}", file=sys.stderr)
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    """Write one audience's site as a prepared docs tree (finished pages, files, explicit nav, mkdocs.yml)."""
    from . import host
    from .prepare import PrepareError, record, write_tree

    audience = "public" if args.public else "internal"
    if not Path(args.config_file).is_file():
        raise UsageError(f"{args.config_file}: no such file; run from the site's folder or pass -f")
    os.environ["COP_AUDIENCE"] = audience
    _enable_mkdocs_logging()
    try:
        prepared = record(args.config_file, audience, strict=args.strict)
        write_tree(prepared, Path(args.dir), audience=audience, config_file=args.config_file)
    except (host.ConfigurationError, host.Abort, PrepareError) as error:
        print(f"copmem: prepare failed: {error}", file=sys.stderr)
        return 1
    print(f"copmem: {audience} site prepared in {args.dir}: {len(prepared.pages)} pages, "
          f"{len(prepared.files)} other files; build it with any engine, e.g. "
          f"`mkdocs build -f {Path(args.dir) / 'mkdocs.yml'}`", file=sys.stderr)
    return 0


def _enable_mkdocs_logging() -> None:
    """Show the host's log (warnings, and the plugin's summary line) as `mkdocs build` would."""
    import logging

    from . import host

    # The host's root logger: under ProperDocs this also makes --strict count the mkdocs.* loggers.
    logger = host.root_logger()
    if not any(getattr(h, "_copmem", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(host.color_formatter())
        handler._copmem = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def plugin_ran(logged: list[str], audience: str) -> bool:
    """Whether the plugin's summary line for `audience` is among a build's logged lines: it filtered that build."""
    return any(line.startswith(f"cop-memory: {audience} build: ") for line in logged)


if __name__ == "__main__":
    sys.exit(main())
