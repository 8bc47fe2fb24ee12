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
import textwrap
from pathlib import Path

import pytest

from slidegen.i18n.fingerprint import slide_fingerprint
from slidegen.i18n.merge import read_translation
from slidegen.i18n.scaffold import scaffold_text
from slidegen.read.keys import inline_of, kind_name
from slidegen.read.model import KINDS, Bullets, Slide
from slidegen.read.outline import read_outline
from slidegen.read.schema import schema

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "inter-american-cooperation.yaml"
GOLDEN = ROOT / "tests" / "golden" / "scaffold"


def test_every_kind_is_a_frozen_dataclass_with_one_content_key_of_its_own() -> None:
    names = [kind_name(k) for k in KINDS]
    assert len(set(names)) == len(names), names
    for kind in KINDS:
        assert dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
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
    from slidegen.write.reading_pdf import _content_story

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
        _content_story(None, slide, None, 100.0)  # type: ignore[arg-type]


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
from slidegen.read.outline import read_outline
from slidegen.read.schema import schema

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
        "src/slidegen/write/reading_pdf.py",
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


def test_each_kind_is_read_from_its_key_and_scaffolded(tmp_path: Path) -> None:
    """A class with every kind: each slide's kind comes from its content key; the scaffold
    holds every text to translate of each kind and nothing of its structure."""
    path = tmp_path / "all.yaml"
    path.write_text(
        textwrap.dedent(
            """\
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
        ),
        encoding="utf-8",
    )
    from PIL import Image

    Image.new("RGB", (4, 3), "navy").save(tmp_path / "pic.png")
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
        '      header: ["", ""]',
        '        - ["", ""]',
        '      caption: ""',
    ):
        assert line + "\n" in text, line
    for structure in ("pic.png", "callout", "kind:", "path:"):
        assert structure not in text, structure
