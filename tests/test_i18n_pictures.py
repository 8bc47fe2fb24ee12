"""Pictures per language: a translation may give a picture of its own (a chart with words)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from slidegen.cli import main

PROJECT = Path(__file__).parent / "data" / "project"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(PROJECT / "source", tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    assert main(["translate", "source/port-controls.yaml", "--lang", "es"]) == 0
    return tmp_path


def _give_picture(path: str) -> None:
    tr = Path("source/port-controls.es.yaml")
    text = tr.read_text("utf-8")
    old = "  trade-volume:\n"
    start = text.index(old)
    at = text.index("    image:\n", start) + len("    image:\n")
    tr.write_text(text[:at] + f"      path: {path}\n" + text[at:], "utf-8")


def _media(deck: Path) -> list[bytes]:
    with zipfile.ZipFile(deck) as z:
        return [z.read(n) for n in sorted(z.namelist()) if n.startswith("ppt/media/")]


def test_a_translation_replaces_a_picture(project: Path) -> None:
    shutil.copy("source/img/ports-ranked.png", "source/img/seizures-es.png")
    with Path("source/img/seizures-es.png").open("ab") as f:
        f.write(b"\0")  # another file than any of the source's (PNG readers ignore the tail)
    _give_picture("img/seizures-es.png")
    assert main(["build", "source/port-controls.yaml", "--format", "pptx", "--quiet"]) == 0
    spanish = _media(Path("build/es/port-controls.pptx"))
    english = _media(Path("build/en/port-controls.pptx"))
    own = Path("source/img/seizures-es.png").read_bytes()
    assert own in spanish and own not in english
    assert Path("source/img/seizures-by-year.png").read_bytes() in english
    assert Path("source/img/seizures-by-year.png").read_bytes() not in spanish


def test_a_missing_picture_of_a_translation_is_an_error_at_its_place(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _give_picture("img/nowhere.png")
    assert main(["check", "source/port-controls.yaml"]) == 1
    err = capsys.readouterr().err
    assert "source/port-controls.es.yaml:" in err and "nowhere.png" in err
