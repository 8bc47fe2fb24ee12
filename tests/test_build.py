"""Build orchestration: incremental, parallel, atomic outputs, watch, preview and clean."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from slidegen.atomic import commit, discard, stage, write_atomic
from slidegen.build.run import BuildReport, build, clean, preview
from slidegen.build.targets import STATE_NAME
from slidegen.errors import OutlineError, OutputError, TranslationError, UsageError
from slidegen.read.sources import is_translation_file

ROOT = Path(__file__).resolve().parents[1]
CLASS = "inter-american-cooperation"
SOURCE = ROOT / "source" / f"{CLASS}.yaml"
TRANSLATION = ROOT / "source" / f"{CLASS}.pt.yaml"


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).parts[0].startswith(".")
    }


def _build(project: Path, **kwargs: object) -> BuildReport:
    return build([project / "source"], out=project / "build", **kwargs)  # type: ignore[arg-type]


def test_first_build_writes_the_fixed_layout_and_a_rebuild_does_nothing(project: Path) -> None:
    lines: list[str] = []
    first = _build(project, progress=lines.append)
    names = sorted(_outputs(project / "build"))
    expected = [
        f"{lang}/{CLASS}{suffix}"
        for lang in ("en", "pt")
        for suffix in (
            "-handout.pdf",
            "-references.bib",
            "-references.html",
            "-references.json",
            "-references.ris",
            "-slides.pdf",
            ".pptx",
        )
    ]
    assert names == expected
    assert len(first.built) == 14 and first.up_to_date == ()
    # routine shrinks (2 pt or less) are counted in the summary, not listed as warnings
    minor = len(first.notes)
    assert minor and all(n.severity == "note" and "shrunk" in n.message for n in first.notes)
    assert first.summary() == (
        f"built 14 files, 0 up to date (2 languages; {minor} slides shrunk by 2 pt or less)"
    )
    assert len(lines) == 2 and all(line.startswith("built ") for line in lines)

    second = _build(project)
    assert second.built == ()
    assert len(second.up_to_date) == 14
    assert second.summary() == "nothing to do: 14 files up to date (2 languages)"
    assert second.warnings == first.warnings  # warnings are repeated, not lost


def test_an_up_to_date_build_imports_neither_pptx_nor_reportlab(project: Path) -> None:
    _build(project, formats=("bib",))
    code = (
        "import sys; from pathlib import Path; from slidegen.build.run import build; "
        "r = build([Path('source')], out=Path('build'), formats=('bib',)); "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pptx', 'reportlab')); "
        "print(len(r.built), heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "0 []"


def test_touching_one_translation_rebuilds_only_that_language(project: Path) -> None:
    _build(project)
    before = _outputs(project / "build")
    translation = project / "source" / TRANSLATION.name
    translation.write_text(translation.read_text(encoding="utf-8") + "\n# reviewed\n", "utf-8")

    report = _build(project)

    assert {p.parent.name for p in report.built} == {"pt"}
    assert len(report.built) == 7 and len(report.up_to_date) == 7
    after = _outputs(project / "build")
    assert {k: v for k, v in after.items() if k.startswith("en/")} == {
        k: v for k, v in before.items() if k.startswith("en/")
    }


def _mtimes(out: Path, lang: str) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted((out / lang).iterdir())}


def test_an_english_edit_leaves_alone_the_languages_whose_edition_it_does_not_change(
    project: Path,
) -> None:
    """A reworded English sentence: the Portuguese edition keeps its translation of the slide
    (marked stale), so its files are not even rewritten — and the stale slide is said once.
    A bullet added in English changes the Portuguese edition (that list falls back to the
    source): it is rebuilt."""
    out = project / "build"
    _build(project)
    before, stamps = _outputs(out), _mtimes(out, "pt")
    source = project / "source" / SOURCE.name
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("Crime is organized and transnational, and", "Crime is organized and")
    )

    report = _build(project)

    assert {p.parent.name for p in report.built} == {"en"}
    assert len(report.built) == 7 and len(report.up_to_date) == 7
    after = _outputs(out)
    assert {k: v for k, v in after.items() if k.startswith("pt/")} == {
        k: v for k, v in before.items() if k.startswith("pt/")
    }
    assert _mtimes(out, "pt") == stamps
    stale = [w for w in report.fresh if w.language == "pt" and w.slide == "organized-crime"]
    assert len(stale) == 1 and "changed in the source" in stale[0].message
    again = _build(project)
    assert again.built == () and again.fresh == ()
    assert stale[0] in again.warnings  # still standing, counted

    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace(
            "          - Its illicit markets are expanding and strengthening\n",
            "          - Its illicit markets are expanding and strengthening\n"
            "          - Its profits are laundered across borders\n",
            1,
        )
    )
    grown = _build(project)
    assert {p.parent.name for p in grown.built} == {"en", "pt"} and len(grown.built) == 14


def test_a_deleted_or_edited_output_is_rebuilt(project: Path) -> None:
    _build(project, formats=("bib",))
    html = project / "build" / "en" / f"{CLASS}-references.html"
    good = html.read_bytes()
    html.write_text("edited by hand")
    (project / "build" / "pt" / f"{CLASS}-references.ris").unlink()

    report = _build(project, formats=("bib",))

    assert sorted(p.name for p in report.built) == sorted(
        [f"{CLASS}-references.{ext}" for ext in ("html", "bib", "ris", "json")] * 2
    )
    assert html.read_bytes() == good


def test_a_broken_outline_fails_with_a_located_error_and_keeps_every_output(
    project: Path,
) -> None:
    _build(project)
    before = _outputs(project / "build")
    state_before = (project / "build" / STATE_NAME).read_bytes()
    outline = project / "source" / SOURCE.name
    text = outline.read_text(encoding="utf-8")
    outline.write_text(text.replace("title: Introduction", "titel: Introduction", 1), "utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "slidegen", "build", "--out", "build", "source"],
        cwd=project,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{SOURCE.name}:" in done.stderr and "titel" in done.stderr
    assert _outputs(project / "build") == before
    assert (project / "build" / STATE_NAME).read_bytes() == state_before
    leftovers = [p for p in (project / "build").rglob("*.tmp")]
    assert leftovers == []


def test_the_library_raises_every_problem_of_every_file(project: Path) -> None:
    outline = project / "source" / SOURCE.name
    text = outline.read_text(encoding="utf-8")
    broken = text.replace("title: Introduction", "titel: Introduction", 1)
    broken = broken.replace("lecturer:", "lectuer:", 1)
    outline.write_text(broken, "utf-8")

    with pytest.raises(OutlineError) as info:
        _build(project, formats=("bib",))

    messages = [p.format() for p in info.value.problems]
    assert any("titel" in m for m in messages) and any("lectuer" in m for m in messages)
    assert all(p.loc is not None and p.loc.line > 0 for p in info.value.problems)
    assert not (project / "build" / "en").exists()


def test_strict_fails_on_an_untranslated_text_even_when_outputs_are_current(
    project: Path,
) -> None:
    translation = project / "source" / TRANSLATION.name
    text = translation.read_text(encoding="utf-8")
    untranslated = text.replace("    title: Introdução\n    bullets:", "    bullets:", 1)
    assert untranslated != text
    translation.write_text(untranslated, "utf-8")
    report = _build(project, formats=("bib",))
    assert any(w.loc and w.loc.path.endswith(TRANSLATION.name) for w in report.warnings)

    with pytest.raises(TranslationError):
        _build(project, formats=("bib",), strict=True)

    translation.write_text(text, "utf-8")
    assert len(_build(project, formats=("bib",), strict=True).built) == 8
    assert _build(project, formats=("bib",), strict=True).built == ()


def test_parallel_and_serial_builds_write_identical_bytes(project: Path) -> None:
    serial = build([project / "source"], out=project / "serial", jobs=1)
    parallel = build([project / "source"], out=project / "parallel", jobs=2)
    assert len(serial.built) == len(parallel.built) == 14
    assert _outputs(project / "serial") == _outputs(project / "parallel")


def test_an_output_that_cannot_be_replaced_is_named(project: Path) -> None:
    deck = project / "build" / "en" / f"{CLASS}.pptx"
    deck.mkdir(parents=True)  # something in the way of the deck

    with pytest.raises(OutputError) as info:
        _build(project, formats=("pptx", "bib"))

    assert str(deck) in str(info.value)
    assert _outputs(project / "build") == {}  # nothing else was put in place either
    assert list((project / "build").rglob("*.tmp")) == []


def test_nothing_is_written_outside_the_output_folder(project: Path) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    _build(project, formats=("bib",))
    after = sorted(p.relative_to(project) for p in project.rglob("*"))
    assert [p for p in after if p not in before and p.parts[0] != "build"] == []


def test_a_language_no_class_has_is_a_usage_error(project: Path) -> None:
    with pytest.raises(UsageError, match="'de'"):
        _build(project, langs=["de"], formats=("bib",))
    report = _build(project, langs=["pt"], formats=("bib",))
    assert {p.parent.name for p in report.built} == {"pt"}


def test_two_classes_with_one_id_are_an_error(project: Path) -> None:
    shutil.copy(SOURCE, project / "source" / "copy.yaml")
    with pytest.raises(OutlineError, match="both have the class id"):
        _build(project, formats=("bib",))
    assert _outputs(project / "build") == {}


def test_unknown_format_is_a_usage_error(project: Path) -> None:
    with pytest.raises(UsageError, match="docx"):
        _build(project, formats=("docx",))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.yaml", False), ("a.pt.yaml", True), ("a.pt-BR.yaml", True), ("a.b.c.yaml", False),
        ("a.PT.yaml", False), ("my-class.fr.yaml", True), ("a.fr.yml", False),
    ],
)
def test_translation_file_names(name: str, expected: bool) -> None:
    assert is_translation_file(Path(name)) is expected


def test_atomic_writes_leave_the_old_file_until_commit(tmp_path: Path) -> None:
    dest = tmp_path / "deck.pptx"
    dest.write_bytes(b"old")
    pending = stage(dest, b"new")
    assert dest.read_bytes() == b"old"
    discard([pending])
    assert dest.read_bytes() == b"old" and list(tmp_path.iterdir()) == [dest]
    commit([stage(dest, b"new")])
    assert dest.read_bytes() == b"new" and list(tmp_path.iterdir()) == [dest]
    write_atomic(dest, b"newer")
    assert dest.read_bytes() == b"newer"


def test_clean_removes_a_build_folder_but_not_another_folder(project: Path) -> None:
    _build(project, formats=("bib",))
    clean(project / "build")
    assert not (project / "build").exists()
    clean(project / "build")  # already clean: fine
    with pytest.raises(OutputError, match="does not look like"):
        clean(project / "source")
    assert (project / "source" / SOURCE.name).exists()


def test_watch_rebuilds_on_save_and_reports_errors(project: Path) -> None:
    from slidegen.build.watch import watch

    lines: list[str] = []
    stop = threading.Event()
    kwargs = {"out": project / "build", "formats": ("bib",), "jobs": 1}
    thread = threading.Thread(
        target=watch,
        args=([project / "source"],),
        kwargs={**kwargs, "echo": lines.append, "stop_event": stop},
    )
    thread.start()
    try:
        _wait_for(lambda: any(line.startswith("watching") for line in lines))
        outline = project / "source" / SOURCE.name
        good = outline.read_text(encoding="utf-8")
        outline.write_text(good.replace("lecturer:", "lectuer:", 1), "utf-8")
        _wait_for(lambda: any("build failed" in line for line in lines))
        assert any(f"{SOURCE.name}:" in line and "lectuer" in line for line in lines)
        outline.write_text(good, "utf-8")
        _wait_for(lambda: sum(line.startswith("built ") for line in lines) >= 3)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_watch_rewrites_the_deck_first_then_the_rest_and_says_so_once(project: Path) -> None:
    from slidegen.build.watch import watch

    lines: list[str] = []
    stop = threading.Event()
    out = project / "build"
    thread = threading.Thread(
        target=watch,
        args=([project / "source"],),
        kwargs={"out": out, "jobs": 1, "echo": lines.append, "stop_event": stop},
    )
    thread.start()
    try:
        _wait_for(lambda: any(line.startswith("watching") for line in lines))
        started = len(lines)
        translation = project / "source" / TRANSLATION.name
        text = translation.read_text(encoding="utf-8")
        assert "Seus mercados ilícitos" in text
        translation.write_text(text.replace("Seus mercados ilícitos", "Os seus mercados ilícitos"))
        _wait_for(lambda: any(line.startswith("built 6 files") for line in lines[started:]))
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    after = [line for line in lines[started:] if line.startswith("built ")]
    assert after == [
        f"built pt/{CLASS}: pptx" + after[0].split("pptx", 1)[1],
        f"built pt/{CLASS}: pdf slides bib" + after[1].split("bib", 1)[1],
        after[2],
    ], after
    assert after[2].startswith("built 6 files, 8 up to date"), after  # the deck among them
    deck = (out / "pt" / f"{CLASS}.pptx").stat().st_mtime_ns
    assert deck < (out / "pt" / f"{CLASS}-handout.pdf").stat().st_mtime_ns
    assert deck < (out / "pt" / f"{CLASS}-slides.pdf").stat().st_mtime_ns
    assert "Os seus mercados" in _pptx_text(out / "pt" / f"{CLASS}.pptx")


def _pptx_text(deck: Path) -> str:
    from pptx import Presentation

    return " ".join(
        shape.text_frame.text
        for slide in Presentation(str(deck)).slides
        for shape in slide.shapes
        if shape.has_text_frame
    )


def _wait_for(condition: object, timeout: float = 60.0) -> None:
    assert callable(condition)
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_preview_makes_a_contact_sheet_of_every_slide(project: Path) -> None:
    from PIL import Image

    _build(project, langs=["en"], formats=("pptx",))
    deck = project / "build" / "en" / f"{CLASS}.pptx"
    sheet = preview(deck, project / "sheet.png")
    with Image.open(sheet) as img:
        width, height = img.size
    assert img.format == "PNG"
    assert width > 4 * 400 and height > 2 * 200  # a grid of four columns, several rows


def test_preview_of_a_missing_deck_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="no such deck"):
        preview(tmp_path / "missing.pptx", tmp_path / "sheet.png")


def test_handout_layouts_have_files_of_their_own(project: Path) -> None:
    """A plain build after `--layout three` does not overwrite the three-up handout with the
    notes one: each layout other than the class's own is written beside it."""
    en = project / "build" / "en"
    _build(project, formats=("pdf",), langs=("en",))
    notes = (en / f"{CLASS}-handout.pdf").read_bytes()
    _build(project, formats=("pdf",), langs=("en",), handout_layout="three")
    _build(project, formats=("pdf",), langs=("en",), handout_layout="reading")
    again = _build(project, formats=("pdf",), langs=("en",))
    assert again.built == ()  # nothing to redo: no layout replaced another
    assert (en / f"{CLASS}-handout.pdf").read_bytes() == notes
    three = (en / f"{CLASS}-handout-three.pdf").read_bytes()
    reading = (en / f"{CLASS}-reading.pdf").read_bytes()
    assert len({notes, three, reading}) == 3


def test_a_class_chooses_its_handout_layout(project: Path) -> None:
    source = project / "source" / f"{CLASS}.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\nstyle: abnt\n", "\nstyle: abnt\nhandout: three\n"), "utf-8")
    _build(project, formats=("pdf",), langs=("en",))
    en = project / "build" / "en"
    chosen = (en / f"{CLASS}-handout.pdf").read_bytes()
    _build(project, formats=("pdf",), langs=("en",), handout_layout="three")
    assert not (en / f"{CLASS}-handout-three.pdf").exists()  # three is the class's own
    _build(project, formats=("pdf",), langs=("en",), handout_layout="notes")
    assert (en / f"{CLASS}-handout-notes.pdf").read_bytes() != chosen
    assert (en / f"{CLASS}-handout.pdf").read_bytes() == chosen


def test_the_command_prints_everything_before_it_ends(project: Path) -> None:
    """The command ends without the interpreter's teardown: what it printed into a pipe
    (stdout and stderr) still arrives whole, and the exit status is the build's."""
    done = subprocess.run(
        [sys.executable, "-m", "slidegen", "build", "--out", "build", "--verbose", "source"],
        cwd=project,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert any(line.startswith("built ") and "up to date" in line for line in lines)
    assert any(line.startswith("built en/") for line in lines)


def test_a_build_parses_each_outline_and_translation_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent reads every edition for the references; the jobs reuse what it parsed
    (workers inherit it), and the next build, after an edit, parses the edited file again."""
    from slidegen.i18n import merge
    from slidegen.read import outline

    parsed: list[str] = []
    check, read = outline._check_outline_file, merge.read_translation

    def counted_check(path: Path, display: str | None) -> object:
        parsed.append(Path(path).name)
        return check(path, display)

    def counted_read(path: Path, lang: str) -> object:
        parsed.append(Path(path).name)
        return read(path, lang)

    monkeypatch.setattr(outline, "_check_outline_file", counted_check)
    monkeypatch.setattr(merge, "read_translation", counted_read)
    _build(project, jobs=1)
    assert sorted(parsed) == sorted([SOURCE.name, TRANSLATION.name])
    parsed.clear()
    translation = project / "source" / TRANSLATION.name
    translation.write_text(translation.read_text(encoding="utf-8") + "\n# reviewed\n", "utf-8")
    report = _build(project, jobs=1)
    assert {p.parent.name for p in report.built} == {"pt"}
    assert sorted(parsed) == sorted([SOURCE.name, TRANSLATION.name])


def test_the_command_keeps_its_bytecode_even_where_python_would_not(tmp_path: Path) -> None:
    """Under PYTHONDONTWRITEBYTECODE an editable install would compile every module on every
    run; slidegen compiles what is missing or changed, once, and leaves the rest alone."""
    package = tmp_path / "slidegen"
    shutil.copytree(
        Path(__file__).resolve().parents[1] / "src" / "slidegen",
        package,
        ignore=shutil.ignore_patterns("__pycache__", "*.ttf"),
    )
    code = "import slidegen.bytecode as b; b.ensure_cached()"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(tmp_path)}

    def run() -> dict[Path, int]:
        subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path)
        return {p: p.stat().st_mtime_ns for p in package.rglob("*.pyc")}

    first = run()
    sources = [p for p in package.rglob("*.py")]
    assert len(first) == len(sources)  # every module compiled
    assert run() == first  # nothing compiled again
    markup = package / "markup.py"
    markup.write_text(markup.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    again = run()
    changed = {p.name for p in again if again[p] != first[p]}
    assert changed == {f"markup.{sys.implementation.cache_tag}.pyc"}


def _course(folder: Path, classes: int) -> Path:
    """`classes` classes (the seed under new ids, each with its Portuguese translation and
    references of its own: the seed's works of 2011 dated 1990, 1991, ...)."""
    src = folder / "source"
    src.mkdir(parents=True)
    for i in range(classes):
        for path in (SOURCE, TRANSLATION):
            text = path.read_text(encoding="utf-8").replace(CLASS, f"class-{i}")
            text = text.replace('issued: "2011"', f'issued: "{1990 + i}"')
            (src / path.name.replace(CLASS, f"class-{i}")).write_text(text, encoding="utf-8")
    return folder


def test_many_classes_build_a_class_per_worker_task_with_every_error_reported(
    tmp_path: Path,
) -> None:
    """With many classes a worker builds a class's editions together (reading its outline
    once): the files are those of a build in one process, and a broken class among them is
    reported with every other one, nothing put in place."""
    many, serial = _course(tmp_path / "many", 5), _course(tmp_path / "serial", 5)
    _build(many, jobs=2, formats=("pptx", "bib"))
    _build(serial, jobs=1, formats=("pptx", "bib"))
    assert _outputs(many / "build") == _outputs(serial / "build")
    # the workers formatted the later classes' references with the pandoc each kept, whose
    # folders went with them
    assert list((many / "build" / ".slidegen-cache").glob(".slidegen-bib-*")) == []
    assert len(list((many / "build" / ".slidegen-cache").glob("bib-*.json"))) == 10
    for i in (1, 3):
        outline = many / "source" / f"class-{i}.yaml"
        outline.write_text(
            outline.read_text(encoding="utf-8").replace("sections:", "sections: [", 1),
            encoding="utf-8",
        )
    before = _outputs(many / "build")
    with pytest.raises(OutlineError) as caught:
        _build(many, jobs=2, force=True, formats=("pptx", "bib"))
    named = {p.loc.path for p in caught.value.problems if p.loc}
    assert {Path(f).name for f in named} >= {"class-1.yaml", "class-3.yaml"}
    assert _outputs(many / "build") == before


def test_the_code_fingerprint_is_read_again_only_when_a_package_file_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """slidegen's fingerprint (a hash of its 12 MB package, part of every target's key) is
    kept beside its bytecode with the files' sizes and times; an edit makes it anew."""
    import json

    import slidegen.bytecode
    from slidegen.build.targets import code_fingerprint

    package = tmp_path / "slidegen"
    (package / "__pycache__").mkdir(parents=True)
    (package / "fonts").mkdir()
    (package / "layout.py").write_text("WIDTH = 1\n", encoding="utf-8")
    (package / "fonts" / "Face.ttf").write_bytes(b"\0" * 100)
    monkeypatch.setattr(slidegen.bytecode, "PACKAGE_DIR", package)
    first = code_fingerprint()
    kept = package / "__pycache__" / "slidegen-fingerprint.json"
    assert json.loads(kept.read_text(encoding="utf-8"))["code"] == first
    assert code_fingerprint() == first
    (package / "layout.py").write_text("WIDTH = 22\n", encoding="utf-8")  # an edit
    second = code_fingerprint()
    assert second != first
    (package / "fonts" / "Face.ttf").unlink()  # a file removed
    assert code_fingerprint() not in (first, second)


def test_a_class_with_pictures_gives_the_same_bytes_in_any_folder(tmp_path: Path) -> None:
    """The same class built in two folders (two checkouts, two machines) gives the same
    files: a picture's name in the PDFs comes from its pixels, not from its path."""
    classes = ROOT / "tests" / "data" / "classes"
    built = []
    for where in ("one", "somewhere/else"):
        src = tmp_path / where / "source"
        src.mkdir(parents=True)
        shutil.copy(classes / "trafficking-routes.yaml", src)
        shutil.copytree(classes / "images", src / "images")
        build([src], out=src.parent / "build", formats=("pdf", "slides"), jobs=1)
        built.append(_outputs(src.parent / "build"))
    assert sorted(built[0]) == sorted(built[1])
    assert any(name.endswith("-slides.pdf") for name in built[0])
    assert [n for n in built[0] if built[0][n] != built[1][n]] == []
