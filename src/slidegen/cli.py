"""The `slidegen` command: a thin layer of argument parsing over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from slidegen.errors import Problem, SlidegenError, UsageError

__all__ = ["main"]

FORMATS = ("pptx", "pdf", "slides", "bib", "site")


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
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


def cmd_check(args: argparse.Namespace) -> int:
    from slidegen.read.classes import find_classes
    from slidegen.read.outline import check_outline

    failed = False
    for path in find_classes(args.paths):
        outline, problems = check_outline(path)
        _print_problems(problems)
        if outline is None:
            failed = True
            continue
        from slidegen.i18n.merge import edition_outline, languages

        langs = languages(path)
        class_ok = True
        for lang in langs[1:]:
            try:
                _, warnings = edition_outline(path, lang, strict=args.strict, outline=outline)
            except SlidegenError as exc:
                class_ok = False
                _print_problems(exc.problems)
            else:
                _print_problems(warnings)
        if class_ok:
            print(f"{path}: ok ({', '.join(langs)})")
        failed = failed or not class_ok
    return 1 if failed else 0


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
        "paper": args.paper,
    }


def cmd_build(args: argparse.Namespace) -> int:
    from slidegen.build.run import build

    report = build(args.paths, progress=_progress(args), **_build_kwargs(args))  # type: ignore[arg-type]
    _print_problems(report.warnings)
    print(report.summary())
    return 0


def _progress(args: argparse.Namespace) -> Callable[[str], None] | None:
    if getattr(args, "quiet", False):
        return None
    return lambda line: print(line, file=sys.stderr, flush=True)


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
        args.output.write_text(text, encoding="utf-8")
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


def cmd_translate(args: argparse.Namespace) -> int:
    from slidegen.i18n.scaffold import scaffold
    from slidegen.read.classes import find_classes

    for path in find_classes(args.paths):
        print(f"created {scaffold(path, args.lang)}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from slidegen.i18n.review import mark_reviewed
    from slidegen.read.classes import find_classes

    for path in find_classes(args.paths):
        changed = mark_reviewed(path, args.lang, args.slide or None)
        print(f"{path} [{args.lang}]: marked reviewed: {', '.join(changed) or 'nothing was stale'}")
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    from slidegen.build.run import preview

    print(preview(args.deck, args.output or args.deck.with_suffix(".png")))
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    from slidegen.build.run import clean

    clean(args.out)
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
        "--handout", choices=("notes", "three", "reading"), default="notes",
        help="handout layout: notes pages, three slides per page with lines, or reading edition",
    )
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="handout paper size")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress lines")


class _Version(argparse.Action):
    """--version, looked up only when asked for (importing package metadata is slow)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from slidegen import __version__

        print(f"slidegen {__version__}")
        parser.exit()


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

    p = sub.add_parser("schema", help="print the JSON Schema of outlines or translations")
    p.add_argument("--kind", choices=("outline", "translation"), default="outline")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("i18n", help="translation status per language")
    _paths(p)
    p.add_argument("--lang", type=_langs, help="only these languages")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--brief", action="store_true", help="counts only, no list by slide")
    p.add_argument("--strict", action="store_true", help="exit 1 if anything is missing or stale")
    p.set_defaults(func=cmd_i18n)

    p = sub.add_parser("translate", help="create a translation file for a new language")
    _paths(p)
    p.add_argument("--lang", required=True, help="language code, e.g. de")
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

    p = sub.add_parser("clean", help="remove the build folder")
    p.add_argument("--out", type=Path, default=Path("build"))
    p.set_defaults(func=cmd_clean)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 invalid input, 2 usage)."""
    ap = parser()
    args = ap.parse_args(argv)
    if not getattr(args, "func", None):
        ap.print_help(sys.stderr)
        return 2
    try:
        status: int = args.func(args)
    except UsageError as exc:
        _print_problems(exc.problems)
        return 2
    except SlidegenError as exc:
        _print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` or a pager that quit early
        sys.stderr.close()
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())
