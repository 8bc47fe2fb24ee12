"""Hostile and broken input: one clear located error, within 2 s and 200 MB, never a traceback."""

from __future__ import annotations

import io
import os
import resource
import shutil
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from slidegen.errors import Problem, SlidegenError
from slidegen.plan import Plan, TableShape, TextBox
from slidegen.read.images import MAX_PIXELS
from slidegen.read.yaml_nodes import MAX_BYTES, MAX_NODES

ROOT = Path(__file__).parent.parent
HOSTILE = Path(__file__).parent / "data" / "hostile"
OUTLINES = HOSTILE / "outline"
TRANSLATIONS = HOSTILE / "translation"
ACCEPTED = HOSTILE / "accepted"
SEED = ROOT / "source" / "inter-american-cooperation.yaml"

#: Bounds of behaviour (not speed targets): every bad input is refused within these.
SECONDS = 2.0
MEMORY = 200 * 1024 * 1024

HEAD = """id: demo
language: en
course: A course
title: A class
sections:
  - id: one
    title: One
    slides:
      - id: first
        title: First
"""


@dataclass(frozen=True)
class Run:
    """What `slidegen` did in a child process."""

    status: int
    stderr: str
    stdout: str
    seconds: float

    @property
    def errors(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ": error: " in ln]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def slidegen(*args: str | Path, cwd: Path | None = None) -> Run:
    """Run the command in a child limited to `MEMORY` of address space and `SECONDS` (+ slack
    for a loaded test machine: the time is asserted separately)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "slidegen", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=SECONDS * 5,
        preexec_fn=_limit_memory,
        cwd=cwd,
    )
    return Run(proc.returncode, proc.stderr, proc.stdout, time.perf_counter() - start)


def assert_one_error(run: Run, where: str, expected: str) -> None:
    """Exit 1, no traceback, one error line: at `where` (file:line:col), saying `expected`."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.status == 1, run.stderr
    assert len(run.errors) == 1, run.stderr
    assert where in run.errors[0] and expected in run.errors[0], run.errors[0]
    assert run.seconds < SECONDS, f"took {run.seconds:.2f} s"


# --- outlines: the static corpus ------------------------------------------------------------

#: Each hostile outline, and (line:col, the start of its one error message).
EXPECTED: dict[str, tuple[str, str]] = {
    "alias-merge.yaml": ("14:16", "YAML aliases (*name) are not allowed"),
    "bibliography-outside.yaml": ("5:15", "bibliography path '../../../etc/passwd' leads outside"),
    "billion-laughs.yaml": ("2:10", "YAML aliases (*name) are not allowed"),
    "binary-tag.yaml": ("11:16", "YAML tag 'tag:yaml.org,2002:binary' is not allowed"),
    "class-id-traversal.yaml": ("1:5", "class id '../../../etc/cron.d/evil' is not a valid id"),
    "complex-key.yaml": ("11:11", "a key must be a plain word"),
    "control-char.yaml": ("11:20", "control character U+001B is not allowed"),
    "deep-block-nesting.yaml": ("46:47", "nesting deeper than 40 levels"),
    "duplicate-key.yaml": ("12:9", "duplicate key 'prose' (first given at line 11)"),
    "duplicate-reference-id.yaml": ("17:5", "duplicate reference id 'herz'"),
    "duplicate-section-id.yaml": ("12:5", "duplicate id 'one' (first used at line 6)"),
    "duplicate-slide-id.yaml": ("12:9", "duplicate id 'first' (first used at line 9)"),
    "empty.yaml": ("1:1", "file is empty"),
    "image-absolute.yaml": ("12:17", "image path '/etc/passwd' is absolute"),
    "image-missing.yaml": ("12:17", "image file 'images/not-there.png' not found"),
    "image-traversal.yaml": ("12:17", "image path '../../etc/passwd' leads outside"),
    "image-url.yaml": ("12:17", "image path 'https://example.org/map.png' is a web address"),
    "image-windows-absolute.yaml": ("12:17", "image path 'C:\\Windows\\win.ini' is absolute"),
    "language-traversal.yaml": ("2:11", "'../../tmp' is not a language code"),
    "local-tag.yaml": ("11:16", "YAML tag '!include' is not allowed"),
    "merge-key.yaml": ("11:9", "YAML tag 'tag:yaml.org,2002:merge' is not allowed"),
    "multi-document.yaml": ("12:1", "the file holds more than one YAML document"),
    "not-utf8-latin1.yaml": ("11:19", "byte 0xe9 is not valid UTF-8"),
    "not-utf8-utf16.yaml": ("1:1", "byte 0xff is not valid UTF-8"),
    "not-yaml-json-broken.yaml": ("3:1", "expected ',' or '}', but got '<stream end>'"),
    "not-yaml-markdown.yaml": ("4:2", "a '*' at the start of a value starts a YAML alias"),
    "nul-byte.yaml": ("11:20", "control character U+0000 is not allowed"),
    "only-comments.yaml": ("1:1", "file is empty"),
    "python-name.yaml": ("11:16", "YAML tag 'tag:yaml.org,2002:python/name:os.system'"),
    "python-object-apply.yaml": ("11:16", "YAML tag 'tag:yaml.org,2002:python/object/apply"),
    "python-tag-directive.yaml": ("13:16", "YAML tag 'tag:yaml.org,2002:python/object/apply"),
    "slide-id-traversal.yaml": ("9:13", "slide id '../../evil' is not a valid id"),
    "tabs.yaml": ("10:1", "a tab character is used for indentation"),
    "theme-outside.yaml": ("5:8", "theme path '../../../etc/theme.yaml' leads outside"),
    "top-level-list.yaml": ("1:1", "the file holds a list; expected a mapping"),
    "top-level-null.yaml": ("1:1", "the file holds a single value; expected a mapping"),
    "top-level-scalar.yaml": ("1:1", "the file holds a single value; expected a mapping"),
    "unknown-key.yaml": ("12:9", "unknown key 'speaker-notes' in slide"),
    "unknown-top-key.yaml": ("5:1", "unknown key 'author' in outline"),
    "unterminated-quote.yaml": ("12:1", "found unexpected end of stream"),
    "whitespace-only.yaml": ("1:1", "file is empty"),
    "wrong-type-bool.yaml": ("5:9", "key 'agenda' must be true or false"),
    "wrong-type-mapping-title.yaml": ("11:11", "key 'title' must be text, found a mapping"),
    "wrong-type-sections.yaml": ("5:11", "key 'sections' must be a list, found 'Introduction'"),
}


def test_corpus_lists_every_outline() -> None:
    assert sorted(p.name for p in OUTLINES.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_outline_gives_one_located_error(name: str) -> None:
    where, message = EXPECTED[name]
    assert_one_error(slidegen("check", OUTLINES / name), f"{name}:{where}: error: ", message)


@pytest.mark.parametrize(
    "name", sorted(p.name for p in ACCEPTED.glob("*.yaml") if p.name.count(".") == 1)
)
def test_bom_crlf_and_unicode_are_accepted(name: str) -> None:
    run = slidegen("check", ACCEPTED / name)
    assert run.status == 0, run.stderr
    assert "ok (en" in run.stdout


# --- outlines made in the test: too big for the repository ------------------------------------


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "huge.yaml", (HEAD + "        prose: x\n").encode())
    with path.open("ab") as fh:  # 64 MB of valid YAML comments: too big, whatever it holds
        fh.write(b"# padding\n" * (64 * 1024 * 1024 // 10))
    assert_one_error(
        slidegen("check", path), "huge.yaml: error: ", f"larger than {MAX_BYTES // 1024} KB"
    )


def test_file_just_under_the_limit_of_values_is_refused_quickly(tmp_path: Path) -> None:
    lines = b"".join(b"k%d: v\n" % i for i in range(MAX_NODES))  # two values a line
    assert len(lines) < MAX_BYTES
    run = slidegen("check", _write(tmp_path, "many.yaml", lines))
    assert_one_error(run, "many.yaml:", f"more than {MAX_NODES} values in one file")


def test_hundred_thousand_nested_brackets(tmp_path: Path) -> None:
    path = _write(tmp_path, "brackets.yaml", b"id: " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    assert_one_error(slidegen("check", path), "brackets.yaml:1:", "nesting deeper than 40 levels")


def test_hundred_thousand_unclosed_braces(tmp_path: Path) -> None:
    path = _write(tmp_path, "braces.yaml", b"{a: " * 100_000)
    assert_one_error(slidegen("check", path), "braces.yaml:1:", "nesting deeper than 40 levels")


def test_wide_billion_laughs(tmp_path: Path) -> None:
    levels = ["a0: &a0 " + "[" + ", ".join(["lol"] * 50) + "]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 50) + "]" for i in range(1, 12)]
    path = _write(tmp_path, "laughs.yaml", "\n".join(levels).encode())
    assert_one_error(
        slidegen("check", path), "laughs.yaml:2:", "YAML aliases (*name) are not allowed"
    )


def test_a_folder_named_like_an_outline(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    run = slidegen("check", tmp_path)  # the folder holds one "outline": a folder
    assert_one_error(run, "dir.yaml: error: ", "is a folder, not a file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    run = slidegen("check", tmp_path / "pipe.yaml")
    # Like a path that does not exist, a path that is no file is a usage error (exit 2).
    assert run.status == 2 and "Traceback" not in run.stderr, run.stderr
    assert len(run.errors) == 1 and "pipe.yaml: error: is not a regular file" in run.errors[0]
    assert run.seconds < SECONDS


# --- translations ---------------------------------------------------------------------------

TRANSLATION_EXPECTED: dict[str, tuple[str, str]] = {
    "billion-laughs.yaml": ("2:8", "YAML aliases (*name) are not allowed"),
    "deep-nesting.yaml": ("22:47", "nesting deeper than 40 levels"),
    "duplicate-key.yaml": ("15:5", "duplicate key 'prose' (first given at line 14)"),
    "duplicate-slide-id.yaml": ("22:3", "duplicate key 'first' (first given at line 11)"),
    "empty.yaml": ("1:1", "file is empty"),
    "not-utf8.yaml": ("14:15", "byte 0xe9 is not valid UTF-8"),
    "not-yaml.yaml": ("22:1", "found unexpected end of stream"),
    "nul-byte.yaml": ("14:17", "control character U+0000 is not allowed"),
    "python-tag.yaml": ("14:12", "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    "tabs.yaml": ("18:1", "a tab character is used for indentation"),
    "top-level-list.yaml": ("1:1", "the file holds a list; expected a mapping"),
    "top-level-scalar.yaml": ("1:1", "the file holds a single value; expected a mapping"),
    "unknown-citation.yaml": ("14:12", "citation of unknown reference '@herz2011'"),
    "unknown-key.yaml": ("15:5", "unknown key 'prosa'"),
    "wrong-language.yaml": ("2:11", "'language: es' does not match the file name ('pt')"),
    "wrong-type-slides.yaml": ("4:3", "key 'slides' must be a mapping of ids to texts"),
    "wrong-type.yaml": ("13:12", "key 'title' must be text, found a list"),
}


def _class_with_translation(tmp_path: Path, translation: Path) -> Path:
    source = tmp_path / "demo.yaml"
    shutil.copy(ACCEPTED / "demo.yaml", source)
    shutil.copy(translation, tmp_path / "demo.pt.yaml")
    return source


def test_translation_corpus_lists_every_file() -> None:
    assert sorted(p.name for p in TRANSLATIONS.glob("*.yaml")) == sorted(TRANSLATION_EXPECTED)


def test_valid_translation_checks_clean(tmp_path: Path) -> None:
    run = slidegen("check", _class_with_translation(tmp_path, ACCEPTED / "demo.pt.yaml"))
    assert run.status == 0 and run.stderr == "", run.stderr
    assert "ok (en, pt)" in run.stdout


@pytest.mark.parametrize("name", sorted(TRANSLATION_EXPECTED))
def test_hostile_translation_gives_one_located_error(name: str, tmp_path: Path) -> None:
    source = _class_with_translation(tmp_path, TRANSLATIONS / name)
    where, message = TRANSLATION_EXPECTED[name]
    assert_one_error(slidegen("check", source), f"demo.pt.yaml:{where}: error: ", message)


@pytest.mark.parametrize("name", sorted(TRANSLATION_EXPECTED))
def test_hostile_translation_raises_slidegen_error_from_the_library(
    name: str, tmp_path: Path
) -> None:
    from slidegen.i18n.merge import edition_outline

    source = _class_with_translation(tmp_path, TRANSLATIONS / name)
    with pytest.raises(SlidegenError) as info:
        edition_outline(source, "pt")
    assert all(
        p.loc is not None and p.loc.path.endswith("demo.pt.yaml") for p in info.value.problems
    )


# --- images ---------------------------------------------------------------------------------


def _image_outline(folder: Path, image_path: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = HEAD + f"        image:\n          path: '{image_path}'\n          alt: A picture\n"
    path = folder / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _png(width: int = 120, height: int = 80) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A small, valid PNG whose header claims enormous dimensions (CRC fixed)."""
    data = bytearray(_png(8, 8))
    ihdr = bytearray(data[12:29])  # b"IHDR" + 13 bytes
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)) & 0xFFFFFFFF)
    return bytes(data)


def _image_file(kind: str) -> bytes:
    buf = io.BytesIO()
    picture = Image.new("RGB", (64, 48), (10, 120, 200))
    if kind in ("tiff", "webp", "ico"):
        picture.save(buf, kind.upper())
        return buf.getvalue()
    if kind == "svg":
        return b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    if kind == "random":
        return bytes((i * 7919 + 13) % 256 for i in range(4096))
    if kind == "empty":
        return b""
    if kind == "truncated-png":
        whole = _png(300, 200)
        return whole[: len(whole) // 2]
    if kind == "truncated-jpeg":
        Image.effect_noise((300, 200), 60).convert("RGB").save(buf, "JPEG")
        return buf.getvalue()[: len(buf.getvalue()) // 2]
    if kind == "enormous":
        return _png_claiming(60_000, 60_000)
    if kind == "over-limit":
        return _png_claiming(MAX_PIXELS // 1000 + 1, 1000)
    raise AssertionError(kind)


IMAGE_EXPECTED = {
    "tiff": "image 'images/picture.png' is in TIFF format",
    "webp": "image 'images/picture.png' is in WEBP format",
    "ico": "image 'images/picture.png' is in ICO format",
    "svg": "'images/picture.png' is not an image slidegen can read",
    "random": "'images/picture.png' is not an image slidegen can read",
    "empty": "'images/picture.png' is not an image slidegen can read",
    "truncated-png": "image 'images/picture.png' is damaged or incomplete",
    "truncated-jpeg": "image 'images/picture.png' is damaged or incomplete",
    "enormous": "image 'images/picture.png' has enormous dimensions",
    "over-limit": f"image 'images/picture.png' is {MAX_PIXELS // 1000 + 1} × 1000 pixels",
}


@pytest.mark.parametrize("kind", sorted(IMAGE_EXPECTED))
def test_bad_image_gives_one_located_error(kind: str, tmp_path: Path) -> None:
    outline = _image_outline(tmp_path / "class", "images/picture.png")
    (tmp_path / "class" / "images").mkdir()
    (tmp_path / "class" / "images" / "picture.png").write_bytes(_image_file(kind))
    assert_one_error(slidegen("check", outline), "demo.yaml:12:17: error: ", IMAGE_EXPECTED[kind])


def test_good_image_is_accepted(tmp_path: Path) -> None:
    outline = _image_outline(tmp_path / "class", "images/picture.png")
    (tmp_path / "class" / "images").mkdir()
    (tmp_path / "class" / "images" / "picture.png").write_bytes(_png())
    run = slidegen("check", outline)
    assert run.status == 0, run.stderr


def test_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(_png())
    outline = _image_outline(tmp_path / "class", "images/link.png")
    (tmp_path / "class" / "images").mkdir()
    (tmp_path / "class" / "images" / "link.png").symlink_to(tmp_path / "secret.png")
    assert_one_error(
        slidegen("check", outline), "demo.yaml:12:17: error: ", "'images/link.png' leads outside"
    )


def test_symlink_loop_is_refused(tmp_path: Path) -> None:
    outline = _image_outline(tmp_path / "class", "loop.png")
    (tmp_path / "class" / "loop.png").symlink_to(tmp_path / "class" / "loop.png")
    run = slidegen("check", outline)
    assert_one_error(run, "demo.yaml:12:17: error: ", "image path 'loop.png'")


def test_folder_as_image_is_refused(tmp_path: Path) -> None:
    outline = _image_outline(tmp_path / "class", "images")
    (tmp_path / "class" / "images").mkdir()
    assert_one_error(slidegen("check", outline), "12:17: error: ", "'images' is not a file")


# --- text that is hard to lay out -----------------------------------------------------------

HARD_TEXTS = {
    "long-word": "Pneumono" + "ultramicroscopicsilicovolcanoconiosis" * 8,
    "long-url": "See https://www.oas.org/" + "/".join(f"segment{i}" for i in range(40)) + "?q=1",
    "emoji": "Cooperation 🤝 across the hemisphere 🌎 with 🎓 training",
    "cjk": "米州機構は1948年にボゴタで設立された地域機関である。" * 3,
    "arabic": "منظمة الدول الأمريكية هي منظمة إقليمية تأسست عام 1948",
    "hebrew": "ארגון המדינות האמריקאיות הוא ארגון אזורי",
    "mixed-scripts": "OAS · ОАГ · 米州機構 · منظمة · ΟΑΚ · 🌎 · ∑∞≠",
    "combining": "Cooperac\u0327a\u0303o e\u0301 importante " * 4,
    "zero-width": "Coope\u200bration\u200d across\u2060 the\ufeff hemisphere",
}


def _hard_outline(folder: Path, text: str, table: bool = False) -> Path:
    """An outline with `text` in a title, bullets, notes and prose (or only in a table)."""
    folder.mkdir(parents=True, exist_ok=True)
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    if table:
        body = HEAD + (
            f'        table:\n          header: ["{quoted}", "B"]\n'
            f'          rows: [["{quoted}", "x"]]\n'
        )
    else:
        body = HEAD.replace("title: First", f'title: "{quoted}"') + (
            f'        bullets:\n          - "{quoted}"\n          - "{quoted}"\n'
            f'        notes: "{quoted}"\n'
            f'      - id: prose\n        title: Prose\n        prose: "{quoted} {quoted}"\n'
        )
    path = folder / "demo.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _overflows(plan: Plan) -> Iterator[tuple[str, str]]:
    """(slide id, what) for every text drawn outside its frame."""
    for slide in plan.slides:
        for shape in slide.shapes:
            if isinstance(shape, TextBox):
                inner_w, inner_h = shape.w - 2 * shape.inset, shape.h - 2 * shape.inset
                height = sum(p.size * p.line_spacing * len(p.lines) for p in shape.paragraphs)
                height += sum(p.space_before for p in shape.paragraphs[1:])
                if height > inner_h + 0.5:
                    yield slide.id, f"{shape.name}: {height:.1f} pt of text in {inner_h:.1f} pt"
                for p in shape.paragraphs:
                    for line in p.lines:
                        if line.width > inner_w - p.indent + 0.5:
                            yield slide.id, f"{shape.name}: a line {line.width:.1f} pt wide"
            elif isinstance(shape, TableShape):
                for row, height in zip(shape.cells, shape.row_heights, strict=True):
                    for cell, width in zip(row, shape.col_widths, strict=True):
                        for p in cell.paragraphs:
                            for line in p.lines:
                                if line.width > width - 2 * shape.cell_inset + 0.5:
                                    yield slide.id, f"table cell line {line.width:.1f} pt wide"
                        used = sum(p.size * p.line_spacing * len(p.lines) for p in cell.paragraphs)
                        if used > height + 0.5:
                            yield slide.id, f"table cell {used:.1f} pt tall in {height:.1f}"


def _named(slide_id: str, warnings: tuple[Problem, ...]) -> bool:
    base = slide_id.split("#")[0]
    return any(w.slide == base or f"'{base}'" in w.message for w in warnings)


def build_plan(source: Path) -> tuple[Plan, bytes]:
    """The library pipeline: read, resolve, lay out, write the deck."""
    from slidegen.layout.slides import layout
    from slidegen.read.outline import read_outline
    from slidegen.read.theme import load_theme
    from slidegen.resolve.edition import resolve
    from slidegen.write.deck import deck_bytes

    outline = read_outline(source)
    edition = resolve(outline, source)
    plan = layout(edition, load_theme(outline.theme, source.parent))
    return plan, deck_bytes(plan)


def assert_fits_or_reported(plan: Plan) -> None:
    for slide_id, what in _overflows(plan):
        assert _named(slide_id, plan.warnings), f"slide {slide_id}: {what}, and no warning names it"


def _fits_or_refused_naming_the_slide(source: Path) -> None:
    try:
        plan, deck = build_plan(source)
    except SlidegenError as exc:  # a clear refusal is acceptable when it names the slide
        assert all(p.slide == "first" or p.loc for p in exc.problems), str(exc)
        return
    assert deck.startswith(b"PK")
    assert_fits_or_reported(plan)


@pytest.mark.parametrize("name", sorted(HARD_TEXTS))
def test_hard_text_fits_or_is_reported(name: str, tmp_path: Path) -> None:
    _fits_or_refused_naming_the_slide(_hard_outline(tmp_path, HARD_TEXTS[name]))


@pytest.mark.parametrize("name", sorted(HARD_TEXTS))
def test_hard_text_in_a_table_fits_or_is_refused_naming_the_slide(
    name: str, tmp_path: Path
) -> None:
    _fits_or_refused_naming_the_slide(_hard_outline(tmp_path, HARD_TEXTS[name], table=True))


MISSING_GLYPHS = ["emoji", "cjk"]
RIGHT_TO_LEFT = ["arabic", "hebrew", "mixed-scripts"]


@pytest.mark.parametrize("name", RIGHT_TO_LEFT)
def test_right_to_left_text_is_refused_at_its_place(name: str, tmp_path: Path) -> None:
    # The layout has no bidirectional reordering: such text would print in the wrong order.
    run = slidegen("check", _hard_outline(tmp_path, HARD_TEXTS[name]))
    assert run.status == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.errors, run.stderr
    assert all("right-to-left text is not supported yet" in e for e in run.errors), run.errors
    assert "demo.yaml:10:16: error: " in run.errors[0], run.errors[0]


@pytest.mark.parametrize("name", MISSING_GLYPHS)
def test_characters_missing_from_the_font_are_reported(name: str, tmp_path: Path) -> None:
    from slidegen.fonts import missing_glyphs

    assert missing_glyphs(HARD_TEXTS[name])  # Liberation Sans has no emoji, CJK or Arabic
    plan, _ = build_plan(_hard_outline(tmp_path, HARD_TEXTS[name]))
    glyph_warnings = [w for w in plan.warnings if "glyph" in w.message]
    assert {w.slide for w in glyph_warnings} == {"first", "prose"}, [str(w) for w in plan.warnings]


@pytest.mark.parametrize("name", MISSING_GLYPHS)
def test_characters_missing_from_the_font_in_a_table_are_reported(
    name: str, tmp_path: Path
) -> None:
    plan, _ = build_plan(_hard_outline(tmp_path, HARD_TEXTS[name], table=True))
    assert [w for w in plan.warnings if "glyph" in w.message and w.slide == "first"]


# --- security: no network, nothing written outside the output folder ----------------------------

_GUARD = r"""
import socket, sys
from pathlib import Path
LOG = Path(sys.argv[1])
def refuse(*args, **kwargs):
    with LOG.open("a") as fh:
        fh.write(f"network access: {args!r}\n")
    raise OSError("network access is not allowed during a build")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from slidegen.build.run import build
report = build([Path(sys.argv[2])], out=Path(sys.argv[3]), jobs=2)
print(report.summary())
"""


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.rglob("*"))
    }


def _copy_seed(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in SEED.parent.glob("inter-american-cooperation*.yaml"):
        shutil.copy(path, folder / path.name)
    return folder / SEED.name


def test_build_makes_no_network_access_and_writes_only_its_output(tmp_path: Path) -> None:
    source = _copy_seed(tmp_path / "source")
    home, cwd, out = tmp_path / "home", tmp_path / "cwd", tmp_path / "out"
    home.mkdir()
    cwd.mkdir()
    log = tmp_path / "network.log"
    before = _snapshot(tmp_path)
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(out)}
    proc = subprocess.run(
        [sys.executable, "-c", _GUARD, str(log), str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert not log.exists(), log.read_text()
    after = _snapshot(tmp_path)
    changed = {k for k in after if before.get(k) != after[k]} | (before.keys() - after.keys())
    outside = sorted(k for k in changed if not k.startswith("out"))
    assert outside == [], outside
    built = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for lang in ("en", "pt", "es", "fr"):
        assert f"{lang}/inter-american-cooperation.pptx" in built
    assert not [p for p in built if p.endswith(".tmp")], built


def test_build_works_without_any_network(tmp_path: Path) -> None:
    if (
        shutil.which("unshare") is None
        or subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode
    ):
        pytest.skip("cannot make a network namespace here")
    source = _copy_seed(tmp_path / "source")
    proc = subprocess.run(
        [
            "unshare",
            "-rn",
            sys.executable,
            "-m",
            "slidegen",
            "build",
            str(source),
            "--out",
            str(tmp_path / "out"),
            "--lang",
            "en",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "en" / "inter-american-cooperation-handout.pdf").is_file()


@pytest.mark.parametrize("name", ["class-id-traversal.yaml", "language-traversal.yaml"])
def test_ids_that_would_escape_the_output_folder_are_refused(name: str, tmp_path: Path) -> None:
    source = tmp_path / "source" / "demo.yaml"
    source.parent.mkdir()
    shutil.copy(OUTLINES / name, source)
    out = tmp_path / "out"
    run = slidegen("build", source, "--out", out, "--format", "pptx", "--quiet")
    assert run.status == 1 and "Traceback" not in run.stderr, run.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != source]
    assert all(out in p.parents for p in written), written


def test_valid_ids_make_file_names_inside_the_output_folder() -> None:
    from slidegen.read.outline import ID_PATTERN, LANG_PATTERN

    for bad in ("..", "../x", "a/b", "a\\b", ".hidden", "x" * 81, "con:", "a b", "é"):
        assert not ID_PATTERN.match(bad), bad
    for bad in ("..", "../en", "en/..", "EN", "e", "en_US"):
        assert not LANG_PATTERN.match(bad), bad


# --- nothing lost ---------------------------------------------------------------------------


def _build(source: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "slidegen",
            "build",
            str(source),
            "--out",
            str(out),
            "--quiet",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_failed_build_keeps_earlier_outputs(tmp_path: Path) -> None:
    source = _copy_seed(tmp_path / "source")
    out = tmp_path / "out"
    first = _build(source, out, "--lang", "en,pt")
    assert first.returncode == 0, first.stderr
    before = _snapshot(out)
    assert any(k.endswith(".pptx") for k in before)

    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: Introduction", "title: [Introduction", 1), "utf-8")
    broken = _build(source, out, "--lang", "en,pt", "--force")
    assert broken.returncode == 1 and "Traceback" not in broken.stderr, broken.stderr
    assert _snapshot(out) == before

    source.write_text(text, encoding="utf-8")
    pt = source.with_name("inter-american-cooperation.pt.yaml")
    pt.write_text(pt.read_text(encoding="utf-8") + "\tbroken: tab\n", encoding="utf-8")
    one_bad_language = _build(source, out, "--lang", "en,pt", "--force")
    assert one_bad_language.returncode == 1, one_bad_language.stderr
    assert "Traceback" not in one_bad_language.stderr
    assert _snapshot(out) == before  # the good English edition did not half-replace anything
