"""translate --update: the source's new slides and keys join an existing translation file, and
every other byte of it stays as it was."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from slidegen.cli import main

DATA = Path(__file__).parent / "data" / "i18n"
TR = Path("source/mini.pt.yaml")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture
def grown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Portuguese translation of a source that has since gained a slide and two keys."""
    (tmp_path / "source").mkdir()
    for name in ("mini.yaml", "mini.pt.yaml"):
        shutil.copy(DATA / name, tmp_path / "source" / name)
    monkeypatch.chdir(tmp_path)
    src = Path("source/mini.yaml")
    dates = "        title: Dates\n"
    _edit(src, dates, dates + "        subtitle: When it happened\n")
    _edit(
        src,
        "    slides:\n      - id: saying\n",
        "    slides:\n      - id: fresh\n        title: A new slide\n        bullets:\n"
        "          - First new point\n      - id: saying\n",
    )
    _edit(src, "        handout: Read the report.\n", "        handout: Read the report.\n"
          "        notes: Count them.\n")
    return tmp_path


def test_update_only_inserts_lines(grown: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = TR.read_text("utf-8")
    assert main(["translate", "--lang", "pt", "--update"]) == 0
    assert capsys.readouterr().out == (
        "source/mini.pt.yaml: added slide fresh, dates: subtitle, numbers: notes\n"
    )
    after = TR.read_text("utf-8")
    ops = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines()).get_opcodes()
    assert {op for op, *_ in ops} == {"equal", "insert"}  # every old line kept, in order
    assert "    # When it happened\n    subtitle: \"\"\n" in after
    assert "  fresh:\n" in after and "      # First new point\n      - \"\"\n" in after
    assert after.index("  fresh:") < after.index("  saying:")  # in the source's order
    assert "    # Count them.\n    notes: \"\"\n" in after
    assert main(["translate", "--lang", "pt", "--update"]) == 0
    assert "added nothing (up to date)" in capsys.readouterr().out
    assert TR.read_text("utf-8") == after


def test_the_added_slide_translates_like_a_scaffold(
    grown: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["translate", "--lang", "pt", "--update"]) == 0
    text = TR.read_text("utf-8")
    start = text.index("  fresh:")
    block = text[start:].replace('title: ""', 'title: "Um slide novo"', 1)
    block = block.replace('- ""', '- "Primeiro ponto novo"', 1)
    TR.write_text(text[:start] + block, "utf-8")
    capsys.readouterr()
    assert main(["i18n", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"id": "fresh",\n          "state": "translated"' in out
