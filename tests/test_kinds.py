"""One table of slide kinds: every kind is a frozen dataclass of one union, every stage that
draws a kind matches on it exhaustively, and everything else about a kind is derived."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slidegen.i18n.fingerprint import slide_fingerprint
from slidegen.i18n.merge import edition_outline, needs_translation, read_translation
from slidegen.i18n.scaffold import scaffold_text
from slidegen.read.keys import inline_of, kind_name
from slidegen.read.model import KINDS, Bullets, ImageContent, QuoteContent, Slide
from slidegen.read.outline import check_outline, read_outline
from slidegen.read.schema import schema
from slidegen.read.walk import texts

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "inter-american-cooperation.yaml"
GOLDEN = ROOT / "tests" / "golden" / "scaffold"


def test_every_kind_is_a_frozen_dataclass_with_one_content_key_of_its_own() -> None:
    names = [kind_name(k) for k in KINDS]
    assert len(set(names)) == len(names), names
    for kind in KINDS:
        assert dataclasses.is_dataclass(kind) and vars(kind)["__dataclass_params__"].frozen
        assert len(dataclasses.fields(kind)) <= 1, f"{kind.__name__}: one field, its YAML key"
    slide = schema()["$defs"]["Slide"]
    assert slide["properties"]["kind"]["anyOf"][0]["enum"] == names
    inline = inline_of(Slide)
    assert inline is not None
    for key in inline.content_keys:
        assert key in slide["properties"], key
    translated = schema("translation")["$defs"]["SlideText"]["properties"]
    assert [k for k in translated if k in inline.content_keys] == list(inline.content_keys)


def test_a_content_no_stage_knows_is_an_error_not_a_timeline(tmp_path: Path) -> None:
    from slidegen.layout.kinds import _drafts
    from slidegen.layout.reading import _Reader

    @dataclasses.dataclass(frozen=True)
    class Poll:
        poll: str

    slide = dataclasses.replace(
        Slide(id="p", title="P", content=Bullets(bullets=())),
        content=Poll("Which?"),  # type: ignore[arg-type]
    )
    with pytest.raises(AssertionError):
        _drafts(None, slide, "s")  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        _Reader(None).content(slide)  # type: ignore[arg-type]


# --- adding a kind: the dataclass, its layout, its reading edition; nothing else by hand ------

POLL = '''

@dataclass(frozen=True, kw_only=True)
class Poll:
    """A question put to the audience."""

    poll: str = required("The question, with its choices.")


#: A slide's content'''

OUTLINE = """\
id: c
language: en
course: A course
title: A class
sections:
  - id: one
    title: One
    slides:
      - id: ask
        title: A question
        poll: Which organization was founded in 1948?
        notes: Wait for the answers.
"""

TRANSLATION = """\
translation-of: c
language: pt
slides:
  ask:
    title: Uma pergunta
    poll: Qual organização foi fundada em 1948?
"""

CHECK = """\
import json, sys
from pathlib import Path
from slidegen.i18n.merge import edition_outline
from slidegen.i18n.scaffold import scaffold_text
from slidegen.read.outline import check_outline, read_outline
from slidegen.read.schema import schema
from slidegen.read.walk import texts

source = Path(sys.argv[1])
outline = read_outline(source)
merged, problems = edition_outline(source, "pt")
[slide] = merged.slides()
props = schema()["$defs"]["Slide"]["properties"]
print(json.dumps({
    "kind": outline.slides()[0].kind,
    "translated": slide.content.poll,
    "problems": [p.format() for p in problems],
    "scaffold": scaffold_text(outline, "fr", source.name),
    "schema": props["poll"]["description"],
    "tr_schema": "poll" in schema("translation")["$defs"]["SlideText"]["properties"],
}))
"""


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_a_new_kind_needs_only_its_dataclass_its_layout_and_its_reading_story(
    tmp_path: Path,
) -> None:
    """A copy of the package with one more kind in the union: it is read, translated,
    scaffolded and in the schemas with no other code; mypy rejects exactly the two stages
    that must draw it (and the benchmark's pandoc Markdown, which draws it too)."""
    package = tmp_path / "src" / "slidegen"
    shutil.copytree(
        ROOT / "src" / "slidegen", package, ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "benchmarks").mkdir()
    shutil.copy(ROOT / "benchmarks" / "pandoc_markdown.py", tmp_path / "benchmarks")
    model = package / "read" / "model.py"
    text = model.read_text(encoding="utf-8")
    assert "\n\n\n#: A slide's content" in text and "    | TableContent\n)" in text
    text = text.replace("\n\n\n#: A slide's content", POLL, 1)
    model.write_text(text.replace("    | TableContent\n)", "    | TableContent\n    | Poll\n)"))
    (tmp_path / "c.yaml").write_text(OUTLINE, encoding="utf-8")
    (tmp_path / "c.pt.yaml").write_text(TRANSLATION, encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"}

    ran = subprocess.run(
        [sys.executable, "-c", CHECK, "c.yaml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(ran.stdout)
    assert found["kind"] == "poll"
    assert found["translated"] == "Qual organização foi fundada em 1948?"
    assert any("slide 'ask': not translated: notes (" in p for p in found["problems"])
    assert not any("poll" in p for p in found["problems"]), found["problems"]
    assert '    # Which organization was founded in 1948?\n    poll: ""\n' in found["scaffold"]
    assert found["schema"] == "The question, with its choices."
    assert found["tr_schema"] is True

    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--no-error-summary",
            "src/slidegen",
            "benchmarks/pandoc_markdown.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    errors = sorted(line.split(":")[0] for line in checked.stdout.splitlines() if line)
    assert errors == [
        "benchmarks/pandoc_markdown.py",
        "src/slidegen/layout/kinds.py",
        "src/slidegen/layout/reading.py",
    ], checked.stdout
    assert checked.stdout.count('incompatible type "Poll"; expected "Never"') == 3


# --- the seed is unchanged ---------------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="the seed class is not there")
def test_every_fingerprint_recorded_in_the_seed_translations_is_current() -> None:
    """The hashing is byte-compatible: no translation of the seed went stale."""
    current = {s.id: slide_fingerprint(s) for s in read_outline(SEED).slides()}
    langs = sorted(p.name.split(".")[1] for p in SEED.parent.glob(SEED.stem + ".*.yaml"))
    assert langs == ["es", "fr", "pt"]
    for lang in langs:
        tr, _ = read_translation(SEED.with_name(f"{SEED.stem}.{lang}.yaml"), lang)
        recorded = {ident: t.source for ident, t in (tr.slides or {}).items()}
        assert recorded == current, lang


@pytest.mark.skipif(not SEED.exists(), reason="the seed class is not there")
def test_the_seed_scaffold_matches_golden() -> None:
    """The scaffold walks the kinds' fields; it writes what it wrote by hand, line for line."""
    text = scaffold_text(read_outline(SEED), "de", SEED.name)
    golden = GOLDEN / f"{SEED.stem}.de.yaml"
    if os.environ.get("SLIDEGEN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


ALL_KINDS = """\
id: all
language: en
course: C
title: T
sections:
  - id: s
    title: S
    slides:
      - {id: t, title: Title, kind: title, subtitle: Sub}
      - {id: d, title: Divider, kind: section}
      - {id: b, title: B, bullets: [one, {text: two, items: [two a]}]}
      - {id: n, title: N, numbered: [first]}
      - {id: p, title: P, prose: Some words.}
      - {id: g, title: G, definitions: [{term: OAS, text: An organization}]}
      - {id: e, title: E, timeline: [{date: "1948", text: Charter}]}
      - {id: q, title: Q, quote: {text: Said, source: Someone, callout: true}}
      - {id: i, title: I, image: {path: pic.png, alt: A picture}}
      - id: c
        title: C
        columns: [{heading: Left, bullets: [l1]}, {prose: Right text}]
      - {id: tb, title: TB, table: {header: [A, B], rows: [[a1, b1]], caption: Cap}}
"""


def _all_kinds(folder: Path) -> Path:
    """A class with one slide of every kind (and its picture)."""
    from PIL import Image

    Image.new("RGB", (4, 3), "navy").save(folder / "pic.png")
    path = folder / "all.yaml"
    path.write_text(ALL_KINDS, encoding="utf-8")
    return path


def test_each_kind_is_read_from_its_key_and_scaffolded(tmp_path: Path) -> None:
    """A class with every kind: each slide's kind comes from its content key; the scaffold
    holds every text to translate of each kind and nothing of its structure."""
    path = _all_kinds(tmp_path)
    outline = read_outline(path)
    assert [s.kind for s in outline.slides()] == [kind_name(k) for k in KINDS]
    text = scaffold_text(outline, "pt", path.name)
    for line in (
        '    subtitle: ""',
        '      - ""',
        '      - text: ""',
        '        - ""',
        '    prose: ""',
        '      - term: ""',
        '        text: ""',
        '      - date: "1948"',
        '      text: ""',
        '      source: ""',
        '      alt: ""',
        '      - heading: ""',
        '      - prose: ""',
        '      header:',  # a table's cells in block style, each under its source text
        '        - # row 1',
        '          - ""',
        '      caption: ""',
    ):
        assert line + "\n" in text, line
    for structure in ("pic.png", "callout", "kind:", "path:"):
        assert structure not in text, structure


@pytest.mark.parametrize("which", ["all-kinds", "seed"])
def test_a_filled_in_scaffold_translates_every_text_of_every_kind(
    tmp_path: Path, which: str
) -> None:
    """The scaffold, the translation classes, the merge and the text walk are all derived from
    the kinds' fields, and agree: fill each empty value of a scaffold in, and the edition has
    exactly those texts, in the walk's order, with the source's structure."""
    if which == "seed":
        for path in SEED.parent.glob(SEED.stem + ".yaml"):
            shutil.copy(path, tmp_path / path.name)
        source = tmp_path / SEED.name
    else:
        source = _all_kinds(tmp_path)
    outline = read_outline(source)
    text = scaffold_text(outline, "xx", source.name)
    tokens: list[str] = []  # the slides' values, in the order written
    lines: list[str] = []
    slides = False
    for line in text.splitlines(keepends=True):
        slides = slides or line == "slides:\n"
        while not line.lstrip().startswith("#") and '""' in line:
            token = f"t{len(lines)}.{len(tokens)}"
            if slides:
                tokens.append(token)
            line = line.replace('""', f'"{token}"', 1)
        lines.append(line)
    (tmp_path / f"{source.stem}.xx.yaml").write_text("".join(lines), encoding="utf-8")

    merged, problems = edition_outline(source, "xx")
    assert problems == []
    expected = iter(tokens)
    before = [t for slide in outline.slides() for t in texts(slide)]
    after = [t for slide in merged.slides() for t in texts(slide)]
    for src, out in zip(before, after, strict=True):
        assert out == (next(expected) if needs_translation(src) else src), (src, out)
    assert next(expected, None) is None, "every value filled in is used"
    for a, b in zip(outline.slides(), merged.slides(), strict=True):
        assert (a.id, a.kind) == (b.id, b.kind)
        if isinstance(a.content, ImageContent) and isinstance(b.content, ImageContent):
            assert a.content.image.path == b.content.image.path
        if isinstance(a.content, QuoteContent) and isinstance(b.content, QuoteContent):
            assert a.content.quote.callout == b.content.quote.callout


MIXUPS = """\
id: demo
language: en
course: A course
title: A class
sections:
  - id: one
    title: One
    slides:
      - id: bad id
        title: First
        bullets: [a point]
        columns: [{prose: a}, {prose: b}, {prose: c}]
      - id: t
        title: T
        kind: quote
      - id: u
        title: U
        kind: title
        table: {header: [a, b], rows: [[x]]}
      - id: v
        title: V
        kind: prose
        bullets: [x]
"""


def test_kinds_mixed_up_are_each_told_where(tmp_path: Path) -> None:
    """Several content keys, a kind without its content, content on a title slide, a kind
    that says another: each is located, and every content given is still checked."""
    path = tmp_path / "mixups.yaml"
    path.write_text(MIXUPS, encoding="utf-8")
    outline, problems = check_outline(path, "mixups.yaml")
    assert outline is None
    assert [p.format() for p in problems] == [
        "mixups.yaml:9:13: error: slide id 'bad id' is not a valid id (use letters, digits, '-'"
        " and '_' only (at most 80), starting with a letter or digit)",
        "mixups.yaml:12:18: error: slide 'bad id' has several content keys: bullets, columns (a"
        " slide shows one kind of content; move the rest to another slide)",
        "mixups.yaml:12:18: error: 'columns' must hold exactly 2 columns, found 3",
        "mixups.yaml:13:9: error: slide 't' of kind 'quote' has no 'quote:' content (add"
        " 'quote:' with the slide's content)",
        "mixups.yaml:19:16: error: a title slide shows only a title and subtitle, but 'table' is"
        " given (remove 'kind' to show the content)",
        "mixups.yaml:19:40: error: table row 1 has 1 cells; the header has 2 (give every row as"
        ' many cells as the header (use "" for an empty cell))',
        "mixups.yaml:22:15: error: slide 'v' says kind 'prose' but gives 'bullets' (remove 'kind'"
        " or write the content under 'prose:')",
    ]
