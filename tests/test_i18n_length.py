"""Length feedback: a translated slide that shrank by more than 2 pt, or ran onto another
slide, names the texts that grew against the source, at the longest one's line."""

from __future__ import annotations

from pathlib import Path

from slidegen.build.run import build

DATA = Path(__file__).parent / "data" / "i18n"
TR = Path("source/mini.pt.yaml")




def _bullet(text: str) -> None:
    old = "      - O crime é **organizado**\n"
    content = TR.read_text("utf-8")
    assert content.count(old) == 1
    TR.write_text(content.replace(old, f"      - {text}\n"), "utf-8")


def _warnings() -> list[str]:
    report = build([Path("source")], langs=["pt"], formats=["pptx"], force=True)
    return [w.format() for w in report.warnings if w.slide == "points"]


def test_a_much_longer_translation_is_named_at_its_line(mini_project: Path) -> None:
    words = "o crime é organizado em redes que atravessam fronteiras e mercados ilícitos"
    _bullet(" ".join([words] * 8))
    (warning,) = _warnings()
    line = TR.read_text("utf-8").splitlines().index("      - " + " ".join([words] * 8)) + 1
    assert warning.startswith(f"source/mini.pt.yaml:{line}:9: warning: [pt] slide 'points': ")
    assert "text shrunk from" in warning
    assert "bullets/1 is " in warning and "% longer than the source (" in warning
    assert "(shorten bullets/1: every language has the same room on the slide)" in warning


def test_a_slide_that_continues_says_so(mini_project: Path) -> None:
    words = "o crime é organizado em redes que atravessam fronteiras e mercados ilícitos"
    _bullet(" ".join([words] * 40))
    (warning,) = [w for w in _warnings() if "continues on 2 slides" in w]
    assert "bullets/1 is " in warning


def test_a_routine_shrink_of_a_translation_is_not_reported(mini_project: Path) -> None:
    """Seven times the sentence shrinks the slide by 2 pt (26 to 24): routine, no warning."""
    words = "o crime é organizado em redes que atravessam fronteiras e mercados ilícitos"
    _bullet(" ".join([words] * 7))
    assert _warnings() == []
