"""The outline loader: the seed reads cleanly, and each broken outline gets one located error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slidegen.cli import main
from slidegen.errors import OutlineError
from slidegen.read.model import Outline
from slidegen.read.outline import read_outline

ROOT = Path(__file__).parent.parent
SEED = ROOT / "source" / "inter-american-cooperation.yaml"
BROKEN = Path(__file__).parent / "data" / "broken"

#: Each broken outline and the one line `slidegen check` must print for it (file:line:col: ...).
EXPECTED = {
    "alias.yaml": "11:19: error: YAML aliases (*name) are not allowed in outlines",
    "bad-id.yaml": "9:13: error: slide id 'first slide' is not a valid id",
    "bad-kind.yaml": "11:15: error: key 'kind' must be one of: title, section, bullets,",
    "billion-laughs.yaml": "2:8: error: YAML aliases (*name) are not allowed",
    "deep-nesting.yaml": "1:44: error: nesting deeper than 40 levels",
    "duplicate-key.yaml": "11:9: error: duplicate key 'title' (first given at line 10)",
    "duplicate-slide-id.yaml": "12:9: error: duplicate id 'first' (first used at line 9)",
    "empty.yaml": "1:1: error: file is empty",
    "image-no-alt.yaml": "12:11: error: missing required key 'alt' in image",
    "image-outside.yaml": "12:17: error: image path '../../../../etc/passwd' leads outside",
    "missing-required.yaml": "9:9: error: missing required key 'id' in slide",
    "not-utf8.yaml": "2:11: error: byte 0xe9 is not valid UTF-8",
    "not-yaml.yaml": "12:1: error: found unexpected end of stream (while scanning a quoted",
    "python-tag.yaml": "10:16: error: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
    "reserved-id.yaml": "9:9: error: slide id 'agenda' is reserved for a generated slide",
    "tab-indent.yaml": "10:1: error: a tab character is used for indentation (indent with spaces)",
    "table-row-width.yaml": "15:15: error: table row 2 has 1 cells; the header has 2",
    "top-level-list.yaml": "1:1: error: the file holds a list; expected a mapping",
    "top-level-scalar.yaml": "1:1: error: the file holds a single value; expected a mapping",
    "two-contents.yaml": "12:16: error: slide 'first' has several content keys: bullets, prose",
    "unknown-citation.yaml": "12:27: error: citation of unknown reference '@herz2012' "
    "(did you mean 'herz2011'?)",
    "unknown-key.yaml": "11:9: error: unknown key 'bulets' in slide (did you mean 'bullets'?)",
    "wrong-type-list.yaml": "11:18: error: key 'bullets' must be a list, found 'a single point'",
    "wrong-type.yaml": "10:16: error: key 'title' must be text, found a list",
}


def test_seed_outline_reads_into_the_model() -> None:
    outline = read_outline(SEED)
    assert isinstance(outline, Outline)
    assert outline.institution == "Ministério da Justiça e Segurança Pública"
    assert outline.lecturer == "Paulina Duarte"
    assert len(outline.references) == 3
    kinds = {s.kind for s in outline.slides()}
    assert {"bullets", "numbered", "definitions", "timeline", "quote", "columns", "table"} <= kinds


def test_model_is_immutable() -> None:
    outline = read_outline(SEED)
    with pytest.raises(AttributeError):
        outline.title = "x"  # type: ignore[misc]


def test_corpus_covers_every_file() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_outline_gives_one_located_error(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["check", str(BROKEN / name)])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ": error: " in ln]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{BROKEN / name}:{EXPECTED[name]}"), err


def test_several_problems_are_reported_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    source = BROKEN.parent / "several-problems.yaml"
    assert main(["check", str(source)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [ln.split(": error: ")[0].rsplit(":", 2)[1:] for ln in err] == [
        ["9", "9"], ["10", "9"], ["14", "9"],
    ]
    assert "did you mean 'title'?" in err[1] and "did you mean 'numbered'?" in err[2]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_outline(path) == read_outline(SEED)


def test_errors_are_raised_as_outline_error() -> None:
    with pytest.raises(OutlineError) as info:
        read_outline(BROKEN / "unknown-key.yaml")
    assert info.value.problems[0].loc is not None
    assert info.value.problems[0].loc.line == 11


def test_command_line_exit_codes(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "slidegen", *args], capture_output=True, text=True, cwd=ROOT
        )

    ok = run("check", str(SEED))
    assert ok.returncode == 0, ok.stderr
    bad = run("check", str(BROKEN / "wrong-type.yaml"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    usage = run("build", "--format", "docx")
    assert usage.returncode == 2
    missing = run("check", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("slidegen ")


def test_outline_folder_ignores_translations(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "c.yaml")
    (tmp_path / "c.pt.yaml").write_text("language: pt\n", encoding="utf-8")
    from slidegen.read.classes import find_classes

    assert find_classes([tmp_path]) == [tmp_path / "c.yaml"]
