"""The `slidegen` command: a thin layer of argument parsing over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from slidegen.errors import Problem, SlidegenError, UsageError

__all__ = ["main"]


def _main_thread() -> bool:
    """Whether this is the main thread (only it may set signal handlers)."""
    import threading

    return threading.current_thread() is threading.main_thread()


FORMATS = ("pptx", "pdf", "slides", "bib", "site")


def _print_problems(problems: Sequence[Problem], notes: bool = False) -> None:
    """Errors and warnings, one a line; notes (routine events) only when asked for."""
    for problem in problems:
        if notes or problem.severity != "note":
            print(problem.format(), file=sys.stderr)


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    bad = [v for v in chosen if v not in FORMATS]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(bad) or value!r}; choose from {', '.join(FORMATS)}"
        )
    return chosen


def _langs(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _layout_warnings(path: Path, langs: Sequence[str], strict: bool) -> bool:
    """Print what building each edition of a class warns about beyond what reading it does
    (references, layout), notes included (text shrunk a little); False when an edition cannot
    be laid out."""
    from dataclasses import replace

    import slidegen
    from slidegen.i18n.labels import load_labels
    from slidegen.i18n.merge import edition_outline
    from slidegen.read.outline import check_outline

    _, read = check_outline(path)
    ok = True
    for lang in langs:
        try:
            edition = slidegen.edition(path, lang, strict=strict)
            plan = slidegen.make_plan(edition)
        except SlidegenError as exc:
            _print_problems(exc.problems)
            ok = False
            continue
        # what reading the outline and the labels warned of is printed already
        known = {*read, *load_labels(lang, path.parent)[1]}
        layout_warnings = list(plan.warnings)
        if lang != langs[0]:
            from slidegen.i18n.catalog import catalog
            from slidegen.i18n.length import length_feedback

            known |= set(edition_outline(path, lang, strict=strict)[1])
            # as the build says them: per field, how much longer than the source
            layout_warnings = length_feedback(plan.warnings, plan, catalog(path, lang))
        found = [w for w in (*edition.warnings, *layout_warnings) if w not in known]
        _print_problems([replace(w, language=lang) for w in found], notes=True)
    return ok


def cmd_check(args: argparse.Namespace) -> int:
    from slidegen.read.classes import find_classes
    from slidegen.read.outline import check_outline

    failed = False
    labels_checked: set[tuple[Path, str]] = set()
    for path in find_classes(args.paths):
        outline, problems = check_outline(path)
        _print_problems(problems)
        if outline is None:
            failed = True
            continue
        from slidegen.i18n.merge import edition_outline, languages
        from slidegen.read.sources import own_language_problem

        langs = languages(path)
        own = own_language_problem(path, outline.language)
        _print_problems([own] if own else [])
        class_ok = _check_labels(path.parent, langs, labels_checked) and own is None
        for lang in langs[1:]:
            try:
                _, warnings = edition_outline(path, lang, strict=args.strict, outline=outline)
                warnings = [*warnings, *_glossary_warnings(path, lang, outline)]
            except SlidegenError as exc:
                class_ok = False
                _print_problems(exc.problems)
            else:
                _print_problems(warnings)
        if class_ok and args.warnings:
            class_ok = _layout_warnings(path, langs, args.strict)
        if class_ok:
            print(f"{path}: ok ({', '.join(langs)})")
        failed = failed or not class_ok
    return 1 if failed else 0


def _glossary_warnings(path: Path, lang: str, outline: Any) -> list[Problem]:
    """Where a translation misses a glossary term's required translation, or uses a
    forbidden one."""
    from slidegen.i18n.catalog import catalog
    from slidegen.i18n.glossary import check_glossary, load_glossary

    glossary = load_glossary(path.parent, outline.language)
    return check_glossary(glossary, catalog(path, lang, outline)) if glossary.terms else []


def _check_labels(folder: Path, langs: list[str], done: set[tuple[Path, str]]) -> bool:
    """Print the problems of each language's labels once per folder; False if one is wrong."""
    from slidegen.i18n.labels import load_labels

    ok = True
    for lang in langs:
        if (folder, lang) in done:
            continue
        done.add((folder, lang))
        try:
            _print_problems(load_labels(lang, folder)[1])
        except SlidegenError as exc:
            _print_problems(exc.problems)
            ok = False
    return ok


def _build_kwargs(args: argparse.Namespace) -> dict[str, object]:
    return {
        "out": args.out,
        "langs": args.lang,
        "formats": tuple(f for f in args.format if f != "site"),
        "site": "site" in args.format,
        "jobs": args.jobs,
        "strict": args.strict,
        "force": args.force,
        "handout_layout": args.handout,
        "ink_saving": args.ink_saving,
        "paper": args.paper,
        **({"template": args.template} if getattr(args, "template", None) else {}),
    }


def cmd_build(args: argparse.Namespace) -> int:
    from slidegen.build.run import build, repeated_line

    report = build(args.paths, progress=_progress(args), **_build_kwargs(args))  # type: ignore[arg-type]
    if args.verbose:  # everything that stands, notes included
        _print_problems(report.warnings, notes=True)
    elif not args.quiet:
        new, others = report.to_show()
        _print_problems(new)
        if others:
            print(repeated_line(others), file=sys.stderr)
    print(report.summary())
    return 0


def _progress(args: argparse.Namespace) -> Callable[[str], None] | None:
    if getattr(args, "quiet", False):
        return None
    return lambda line: print(line, file=sys.stderr, flush=True)


def cmd_template_check(args: argparse.Namespace) -> int:
    from slidegen.read.template import check_report

    print(check_report(args.file))
    return 0


def cmd_daemon(args: argparse.Namespace) -> int:
    from slidegen.build import daemon

    if args.action == "run":  # what `start` runs in the background
        daemon.serve(args.idle, main)
        return 0
    if args.action == "start":
        info, new = daemon.start(args.idle)
        said = "started" if new else "already running"
        print(f"daemon {said}: pid {info['pid']}, ends after {info['idle_minutes']:g} idle minutes")
        return 0
    if args.action == "stop":
        print("daemon stopped" if daemon.stop() else "no daemon runs for this slidegen")
        return 0
    running = daemon.status()
    if running is None:
        print("no daemon runs for this slidegen")
        return 3
    pandoc = {
        "ready": f"pandoc: {running.get('pandocs', 0)} warmed up, waiting",
        "warming": "pandoc: warming up",
    }.get(running.get("pandoc", ""), "pandoc: none waiting")
    print(
        f"daemon running: pid {running['pid']}, up {running['seconds']} s, "
        f"{running['builds']} builds served, {running['running']} running, "
        f"ends after {running['idle_minutes']:g} idle minutes; {pandoc}"
    )
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from slidegen.build.watch import watch

    watch(args.paths, **_build_kwargs(args))  # type: ignore[arg-type]
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    args.format = ("site",)
    return cmd_build(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from slidegen.build.serve import serve

    kwargs = _build_kwargs(args)
    kwargs.pop("site")
    serve(args.paths, port=args.port, watch=args.watch, **kwargs)  # type: ignore[arg-type]
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from slidegen.read.starter import new_class, new_course

    if args.what == "course":
        made = new_course(Path(args.name), lang=args.lang)
    else:
        made = new_class(args.name, args.source, lang=args.lang)
    for path in made:
        listed = args.what == "class" and path.name == "course.yaml"
        print(f"{'listed it in' if listed else 'created'} {path}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from slidegen.read.schema import schema_json

    text = schema_json(args.kind)
    if args.output:
        from slidegen.atomic import write_atomic

        write_atomic(args.output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0


def cmd_i18n(args: argparse.Namespace) -> int:
    from slidegen.i18n.status import format_status, status, status_json
    from slidegen.read.classes import find_classes

    statuses = [s for path in find_classes(args.paths) for s in status(path)]
    if args.lang:
        statuses = [s for s in statuses if s.language in args.lang]
    print(status_json(statuses) if args.json else format_status(statuses, verbose=not args.brief))
    if args.strict and any(s.missing or s.stale for s in statuses):
        return 1
    return 0


def cmd_i18n_labels(args: argparse.Namespace) -> int:
    from slidegen.i18n.labels_scaffold import scaffold_labels
    from slidegen.read.classes import find_classes

    for folder in dict.fromkeys(path.parent for path in find_classes(args.paths)):
        print(f"created {scaffold_labels(folder, args.lang)}")
    return 0


def cmd_i18n_export(args: argparse.Namespace) -> int:
    from slidegen.i18n.transfer import export_units

    exported = export_units(args.paths, args.lang, args.format)
    if args.out:
        from slidegen.atomic import write_atomic

        write_atomic(args.out, exported.data)
        print(f"wrote {args.out}", file=sys.stderr)
        if exported.tbx is not None:
            write_atomic(args.out.with_suffix(".tbx"), exported.tbx)
            print(f"wrote {args.out.with_suffix('.tbx')} (the glossary)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(exported.data)
    return 0


def cmd_i18n_import(args: argparse.Namespace) -> int:
    from slidegen.i18n.transfer import import_units

    done = import_units(args.file, args.paths)
    for imported in done:
        verb = "created" if imported.created else "changed"
        count = len(imported.changed)
        print(f"{imported.translation}: {verb} {count} text{'' if count == 1 else 's'}")
        for ident in imported.changed:
            print(f"  {ident}")
        if imported.reviewed:
            print(f"  marked reviewed (every text confirmed): {', '.join(imported.reviewed)}")
    if not done:
        print(f"{args.file}: nothing changed")
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    from slidegen.i18n.scaffold import scaffold
    from slidegen.read.classes import find_classes
    from slidegen.read.sources import translation_path

    if args.update:
        from slidegen.i18n.update import update_translation

        for path in find_classes(args.paths):
            if not translation_path(path, args.lang).exists():
                created = scaffold(path, args.lang)
                print(f"created {created}")
                continue
            edited, added = update_translation(path, args.lang)
            print(f"{edited}: added {', '.join(added) if added else 'nothing (up to date)'}")
        return 0
    for path in find_classes(args.paths):
        print(f"created {scaffold(path, args.lang)}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from slidegen.i18n.review import current_fingerprints, mark_reviewed
    from slidegen.read.classes import find_classes
    from slidegen.read.outline import read_outline
    from slidegen.read.sources import translation_path

    def ids_of(path: Path) -> set[str]:
        return set(current_fingerprints(read_outline(path)))

    classes = find_classes(args.paths)
    translated = [p for p in classes if translation_path(p, args.lang).exists()]
    if not translated:
        shown = ", ".join(map(str, args.paths))
        raise UsageError(f"no class in {shown} has a '{args.lang}' translation")
    known = {p: ids_of(p) for p in translated} if args.slide else {}
    if args.slide and len(translated) > 1:  # each id reviewed in the class that has it
        unknown = [s for s in args.slide if not any(s in ids for ids in known.values())]
        if unknown:
            raise UsageError(
                [Problem(f"'{s}' is not a slide or section of any class here") for s in unknown]
            )
    for path in translated:
        slides = [s for s in args.slide or () if len(translated) == 1 or s in known[path]]
        if args.slide and not slides:
            continue
        changed = mark_reviewed(path, args.lang, slides or None)
        done = ", ".join(changed) or "nothing was stale"
        print(f"{translation_path(path, args.lang)}: marked reviewed: {done}")
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    from slidegen.build.run import preview

    print(preview(args.deck, args.output or args.deck.with_suffix(".png")))
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    from slidegen.build.run import clean

    removed = clean(args.out)
    print(f"removed {len(removed)} file{'s' if len(removed) != 1 else ''} from {args.out}")
    return 0


def _paths(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="*", type=Path, default=[Path("source")],
        help="outline files or folders of outlines (default: source/)",
    )


def _build_options(p: argparse.ArgumentParser) -> None:
    _paths(p)
    p.add_argument("--lang", type=_langs, help="languages to build, e.g. en,pt (default: all)")
    p.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    p.add_argument(
        "--format", type=_formats, default=FORMATS,
        help="outputs: pptx, pdf (handout), slides (slides as PDF), bib, site (default: all)",
    )
    p.add_argument("--jobs", "-j", type=int, help="parallel processes (default: one per core)")
    p.add_argument("--strict", action="store_true", help="missing or stale translations are errors")
    p.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    p.add_argument(
        "--handout", "--layout", dest="handout", choices=("notes", "three", "reading"),
        default=None,
        help="handout layout: notes pages, three slides per page with lines, or reading "
        "edition (default: each class's own, its outline's 'handout:'); a layout other than "
        "the class's own is written beside it (-handout-three.pdf, -reading.pdf)",
    )
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="handout paper size")
    p.add_argument(
        "--template", type=Path, help="build on this PowerPoint template (.pptx or .potx)"
    )
    p.add_argument(
        "--ink-saving", action="store_true",
        help="handouts for printing: title and divider slides drawn light, all in greyscale",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress lines and no warnings")
    p.add_argument(
        "--verbose", "-v", action="store_true",
        help="list every warning that stands, those shown before and routine notes too",
    )


class _Version(argparse.Action):
    """--version, looked up only when asked for (importing package metadata is slow)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from slidegen import __version__

        print(f"slidegen {__version__}")
        parser.exit()


#: The translators' tools under `slidegen i18n`; a bare `slidegen i18n [PATH]` is the status.
I18N_TOOLS = ("status", "labels", "export", "import")


def _i18n_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    i18n = sub.add_parser(
        "i18n",
        help="translators' tools: status (the default), labels, export, import",
        description="Translators' tools. 'slidegen i18n [PATH]' alone shows the status.",
    )
    tools = i18n.add_subparsers(dest="tool", metavar="TOOL")

    p = tools.add_parser("status", help="translation status per language (the default)")
    _paths(p)
    p.add_argument("--lang", type=_langs, help="only these languages")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--brief", action="store_true", help="counts only, no list by slide")
    p.add_argument("--strict", action="store_true", help="exit 1 if anything is missing or stale")
    p.set_defaults(func=cmd_i18n)

    p = tools.add_parser(
        "labels", help="create labels.<lang>.yaml: the fixed labels (Agenda, Page x of y...)"
    )
    _paths(p)
    p.add_argument("--lang", required=True, help="language code, e.g. de")
    p.set_defaults(func=cmd_i18n_labels)

    p = tools.add_parser("export", help="write a language's texts as XLIFF or PO for a CAT tool")
    _paths(p)
    p.add_argument("--lang", required=True, help="language code, e.g. de")
    p.add_argument(
        "--format", choices=("xliff", "xliff12", "po"), default="xliff",
        help="xliff (2.1, the default), xliff12 (1.2) or po (gettext)",
    )
    p.add_argument("--out", "-o", type=Path, help="file to write (default: standard output)")
    p.set_defaults(func=cmd_i18n_export)

    p = tools.add_parser("import", help="write a CAT tool's XLIFF or PO file into the YAML")
    p.add_argument("file", type=Path, help="the XLIFF or PO file")
    _paths(p)
    p.set_defaults(func=cmd_i18n_import)


def _with_default_tool(argv: list[str]) -> list[str]:
    """`slidegen i18n [PATH...] [--json]` is `slidegen i18n status ...` (as before the tools)."""
    if argv[:1] == ["i18n"] and (len(argv) == 1 or argv[1] not in (*I18N_TOOLS, "-h", "--help")):
        return ["i18n", "status", *argv[1:]]
    return argv


def parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    ap = argparse.ArgumentParser(
        prog="slidegen",
        description="Turn a YAML class outline into a deck, a handout and a bibliography.",
    )
    ap.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", help="validate outlines and translations")
    _paths(p)
    p.add_argument("--strict", action="store_true", help="missing or stale translations are errors")
    p.add_argument(
        "--warnings", action="store_true",
        help="also lay out every edition and list what it warns about (notes included)",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="build decks, handouts and references")
    _build_options(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("watch", help="rebuild on every save")
    _build_options(p)
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("site", help="make only the learners' site (build/site/)")
    _build_options(p)
    p.set_defaults(func=cmd_site)

    p = sub.add_parser("serve", help="serve the site on 127.0.0.1 (--watch: rebuild on save)")
    _build_options(p)
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free)")
    p.add_argument("--watch", action="store_true", help="rebuild on every save")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("new", help="start a course folder, or a class in one")
    p.add_argument("what", choices=("course", "class"))
    p.add_argument("name", help="the course's folder, or the new class's id")
    p.add_argument("--source", type=Path, default=Path("source"), help="for a class: its folder")
    p.add_argument("--lang", default="en", help="its language (default: en)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "schema", help="print the JSON Schema of outlines, translations or course files"
    )
    p.add_argument("--kind", choices=("outline", "translation", "course"), default="outline")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    p.set_defaults(func=cmd_schema)

    _i18n_parser(sub)

    p = sub.add_parser("translate", help="create a translation file for a new language")
    _paths(p)
    p.add_argument("--lang", required=True, help="language code, e.g. de")
    p.add_argument(
        "--update", action="store_true",
        help="add the source's new slides and keys to existing files (every other byte kept)",
    )
    p.set_defaults(func=cmd_translate)

    p = sub.add_parser("review", help="mark translated slides as reviewed against the source")
    _paths(p)
    p.add_argument("--lang", required=True, help="language code, e.g. pt")
    p.add_argument("--slide", action="append", help="slide id (repeatable; default: all stale)")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("preview", help="a PNG contact sheet of a deck's slides")
    p.add_argument("deck", type=Path, help="a built .pptx file")
    p.add_argument("--output", "-o", type=Path, help="PNG file to write")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("template", help="PowerPoint templates: check what slidegen uses of one")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    t = actions.add_parser(
        "check", help="for each slide kind: the layout and placeholders used, what is missing"
    )
    t.add_argument("file", type=Path, help="a .pptx or .potx")
    t.set_defaults(func=cmd_template_check)
    p = sub.add_parser(
        "daemon",
        help="a warm slidegen that `build` and `site` hand their work to (faster)",
        description=(
            "A warm slidegen in the background: while it runs, `slidegen build` and `slidegen"
            " site` (and `invoke build`) hand it their command line, and it builds with the"
            " renderers already imported and a warmed-up pandoc per core. Nothing a build reads"
            " outlives that build; it serves only you and this exact slidegen, and writes the"
            " same files as the command on its own. SLIDEGEN_DAEMON=off bypasses it."
        ),
    )
    p.add_argument(
        "action", choices=("start", "stop", "status", "run"),
        help="start it (and wait until it is ready), stop it, say how it is, or run it here",
    )
    p.add_argument(
        "--idle", type=float, default=30.0,
        help="minutes without a build before it ends (default: 30)",
    )
    p.set_defaults(func=cmd_daemon)
    p = sub.add_parser("clean", help="remove the build folder")
    p.add_argument("--out", type=Path, default=Path("build"))
    p.set_defaults(func=cmd_clean)
    return ap


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM ends a command like Ctrl-C: workers stopped, temporary files removed."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None, ask_daemon: bool = True) -> int:
    """Run the command line; returns the exit status (0 ok, 1 invalid input, 2 usage). A
    build or site goes to a running daemon for this code if `ask_daemon` (the `slidegen`
    command has asked already)."""
    from slidegen.bytecode import ensure_cached

    ensure_cached()
    words = _with_default_tool(list(sys.argv[1:] if argv is None else argv))
    if ask_daemon:
        from slidegen.build.daemon import forward

        forwarded = forward(words)  # a running daemon for this code builds it, warm
        if forwarded is not None:
            return forwarded
    ap = parser()
    args = ap.parse_args(words)
    if not getattr(args, "func", None):
        ap.print_help(sys.stderr)
        return 2
    import signal

    if _main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        status: int = args.func(args)
    except UsageError as exc:
        _print_problems(exc.problems)
        return 2
    except SlidegenError as exc:
        _print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` or a pager that quit early
        sys.stderr.close()
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())
