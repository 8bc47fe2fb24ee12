"""Warnings for people: located, in their language, once; routine shrinks counted, not shown;
the command line's --quiet and --verbose, and the Invoke tasks' conventions."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slidegen.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "inter-american-cooperation.yaml"
WARNING = re.compile(r"^(\S+\.yaml):(\d+):(\d+): warning: \[(en|pt)\] slide '[\w-]+': .+ \(.+\)$")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed class in English and Portuguese, in a course folder that is the working
    directory."""
    (tmp_path / "source").mkdir()
    shutil.copy(SEED, tmp_path / "source")
    shutil.copy(SEED.with_suffix(".pt.yaml"), tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[list[str], list[str]]:
    assert main(list(args)) == 0
    out, err = capsys.readouterr()
    return out.splitlines(), err.splitlines()


def test_warnings_are_located_named_and_say_what_to_do_once(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, lines = _run(capsys, "build", "source", "--format", "pptx")
    err = [line for line in lines if not line.startswith("built ")]  # less the progress lines
    assert 0 < len(err) <= 6, err  # a handful, not one per slide that lost a point
    for line in err:
        m = WARNING.match(line)
        assert m, line
        assert (m.group(4) == "pt") == m.group(1).endswith(".pt.yaml")
    assert not [line for line in err if "shrunk from 26 to 25" in line]

    # a build with nothing to do does not repeat them: it counts them
    out, again = _run(capsys, "build", "source", "--format", "pptx")
    assert again == [f"{len(err)} warnings (slidegen check --warnings to list them)"]
    assert out == ["nothing to do: 2 files up to date (2 languages)"]

    # --quiet: neither progress nor warnings, the summary only
    out, quiet = _run(capsys, "build", "source", "--format", "pptx", "--quiet", "--force")
    assert quiet == [] and out[-1].startswith("built 2 files")

    # --verbose lists everything that stands, routine shrinks (notes) too
    _, verbose = _run(capsys, "build", "source", "--format", "pptx", "--verbose")
    assert set(err) < set(verbose)
    assert any(": note: [en] " in line and "26 to 25 pt" in line for line in verbose)


def test_the_first_build_counts_routine_shrinks_in_its_summary(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(capsys, "build", "source", "--format", "pptx")
    assert re.fullmatch(
        r"built 2 files, 0 up to date \(2 languages; \d+ slides shrunk by 2 pt or less\)", out[-1]
    )


def test_check_lists_every_editions_warnings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, lines = _run(capsys, "build", "source", "--format", "pptx")
    built = [line for line in lines if ": warning: " in line]
    out, listed = _run(capsys, "check", "source", "--warnings")
    assert out[-1].endswith(": ok (en, pt)")
    assert set(built) <= set(listed)
    assert any(": note: " in line for line in listed)


def test_check_lists_a_languages_missing_labels_once(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A language slidegen ships no labels for: the fallback to English is said once, though
    both reading the labels and laying out the edition meet it."""
    pt = project / "source" / SEED.with_suffix(".pt.yaml").name
    text = pt.read_text(encoding="utf-8").replace("language: pt", "language: nl", 1)
    pt.rename(pt.with_name(SEED.stem + ".nl.yaml")).write_text(text, encoding="utf-8")
    _, listed = _run(capsys, "check", "source", "--warnings")
    assert len([line for line in listed if "no 'nl' text for the labels" in line]) == 1


def test_invoke_tasks_follow_invokes_conventions() -> None:
    """`-h` is help (no option takes it), `--class` as the command line says, one name for the
    handout layout in `build` and `handout`."""
    for task in ("build", "handout"):
        shown = subprocess.run(
            [sys.executable, "-m", "invoke", task, "-h"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "--class=STRING" in shown and "--layout=STRING" in shown, shown
        assert "klass" not in shown and "-h STRING" not in shown
