"""Property-based tests: any input gives an Outline or slidegen's own error; any text fits or is
reported."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from slidegen.errors import Problem, SlidegenError
from slidegen.plan import Plan, TextBox
from slidegen.read.model import Outline
from slidegen.read.outline import check_outline, read_outline

SEED = Path(__file__).parent.parent / "source" / "inter-american-cooperation.yaml"
#: CI-sized; set SLIDEGEN_HYPOTHESIS_EXAMPLES for a longer hunt.
CI = settings(
    max_examples=int(os.environ.get("SLIDEGEN_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _load(folder: Path, data: bytes) -> Outline | None:
    """Read `data` as an outline the two public ways; anything but SlidegenError escapes."""
    path = folder / "outline.yaml"
    path.write_bytes(data)
    outline, problems = check_outline(path)
    assert all(isinstance(p, Problem) for p in problems)
    if outline is None:
        assert any(p.severity == "error" for p in problems)
        for problem in problems:
            str(problem)  # every problem can be shown
        with pytest.raises(SlidegenError):
            read_outline(path)
    else:
        assert isinstance(read_outline(path), Outline)
    return outline


# --- the loader -----------------------------------------------------------------------------


@CI
@given(st.binary(max_size=2000))
def test_any_bytes_give_an_outline_or_a_slidegen_error(workdir: Path, data: bytes) -> None:
    _load(workdir, data)


@CI
@given(st.text(max_size=2000))
def test_any_text_gives_an_outline_or_a_slidegen_error(workdir: Path, text: str) -> None:
    _load(workdir, text.encode("utf-8", "surrogatepass"))


#: Characters that matter to YAML and to the markup, to splice into a valid outline.
_SYNTAX = st.text(alphabet=":-[]{}&*!|>'\"#%@`,?\t\n\r \\\x00\x85\u2028\ufeff~", max_size=8)


@CI
@given(st.data())
def test_seed_with_random_edits_gives_an_outline_or_a_slidegen_error(
    workdir: Path, data: st.DataObject
) -> None:
    text = SEED.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 12))
        text = text[:at] + data.draw(_SYNTAX) + text[at + cut :]
    _load(workdir, text.encode("utf-8", "surrogatepass"))


_FIELDS = [
    "id", "language", "course", "title", "sections", "slides", "bullets", "numbered", "prose",
    "items", "text", "image", "path", "alt", "table", "header", "rows", "quote", "columns",
    "definitions", "term", "timeline", "date", "kind", "references", "type", "author",
    "theme", "bibliography", "summary", "agenda", "style", "further-reading", "notes",
]  # fmt: skip

_SCALARS = (
    st.text(max_size=30)
    | st.sampled_from(["en", "pt", "bullets", "title", "book", "abnt", "*", "[@x]", ""])
    | st.integers()
    | st.floats(allow_nan=True)
    | st.booleans()
    | st.none()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(_FIELDS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=40,
)


_REQUIRED = {"id", "language", "course", "title", "sections"}


def _outline_like() -> st.SearchStrategy[dict[str, Any]]:
    slide = st.fixed_dictionaries(
        {"id": st.sampled_from(["a", "b", "a b", "title"]), "title": _SCALARS},
        optional={k: _VALUES for k in ("bullets", "prose", "table", "image", "kind", "quote")},
    )
    section = st.fixed_dictionaries(
        {
            "id": st.sampled_from(["s", "t"]),
            "title": _SCALARS,
            "slides": st.lists(slide, max_size=3),
        }
    )
    return st.fixed_dictionaries(
        {
            "id": st.sampled_from(["demo", "../x", "x y"]),
            "language": st.sampled_from(["en", "pt", "xx-", ""]),
            "course": _SCALARS,
            "title": _SCALARS,
            "sections": st.lists(section, max_size=3) | _VALUES,
        },
        optional={k: _VALUES for k in _FIELDS if k not in _REQUIRED},
    )


@CI
@given(_VALUES | _outline_like())
def test_any_yaml_structure_gives_an_outline_or_a_slidegen_error(workdir: Path, value: Any) -> None:
    _load(workdir, yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "surrogatepass"))


# --- the layout stage -----------------------------------------------------------------------

#: Text a translator may type: every script, emoji, markup; no citations (checked elsewhere).
_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="@\\"),
    min_size=1,
    max_size=60,
)
_TEXT = st.lists(
    _WORDS | st.sampled_from(["**bold**", "*it*", "https://example.org/" + "a" * 120, "x" * 300]),
    min_size=1,
    max_size=12,
).map(" ".join)


def _slides() -> st.SearchStrategy[list[dict[str, Any]]]:
    bullets = st.lists(
        _TEXT | st.fixed_dictionaries({"text": _TEXT, "items": st.lists(_TEXT, max_size=3)}),
        min_size=1,
        max_size=7,
    )
    content = st.one_of(
        bullets.map(lambda b: {"bullets": b}),
        bullets.map(lambda b: {"numbered": b}),
        _TEXT.map(lambda t: {"prose": t}),
        _TEXT.map(lambda t: {"quote": {"text": t, "source": "Someone"}}),
        st.lists(st.tuples(_WORDS, _TEXT), min_size=1, max_size=5).map(
            lambda d: {"definitions": [{"term": a, "text": b} for a, b in d]}
        ),
        st.lists(st.tuples(_WORDS, _TEXT), min_size=1, max_size=6).map(
            lambda d: {"timeline": [{"date": a, "text": b} for a, b in d]}
        ),
    )
    return st.lists(st.tuples(_TEXT, content), min_size=1, max_size=3).map(
        lambda items: [
            {"id": f"s{i}", "title": title, **body} for i, (title, body) in enumerate(items)
        ]
    )


def _overflowing_slides(plan: Plan) -> Iterator[str]:
    for slide in plan.slides:
        for shape in slide.shapes:
            if not isinstance(shape, TextBox):
                continue
            inner_w, inner_h = shape.w - 2 * shape.inset, shape.h - 2 * shape.inset
            height = sum(p.size * p.line_spacing * len(p.lines) for p in shape.paragraphs)
            height += sum(p.space_before for p in shape.paragraphs[1:])
            too_wide = any(
                line.width > inner_w - p.indent + 0.5 for p in shape.paragraphs for line in p.lines
            )
            if too_wide or height > inner_h + 0.5:
                yield slide.id.split("#")[0]


@CI
@given(title=_TEXT, slides=_slides())
def test_any_text_fits_its_frame_or_a_warning_names_the_slide(
    workdir: Path, title: str, slides: list[dict[str, Any]]
) -> None:
    from slidegen.layout.slides import layout
    from slidegen.read.theme import load_theme
    from slidegen.resolve.edition import resolve

    outline_data = {
        "id": "demo",
        "language": "en",
        "course": "A course",
        "title": title,
        "sections": [{"id": "one", "title": "One", "slides": slides}],
    }
    path = workdir / "layout.yaml"
    path.write_text(yaml.safe_dump(outline_data, allow_unicode=True), encoding="utf-8")
    outline, problems = check_outline(path)
    assume(outline is not None)  # e.g. text that reads as a YAML null
    assert outline is not None
    try:
        plan = layout(resolve(outline, path), load_theme(None, path.parent))
    except SlidegenError as exc:
        assert all(p.slide or p.loc for p in exc.problems), str(exc)
        return
    warned = {w.slide for w in plan.warnings} | {
        w.message.split("'")[1] for w in plan.warnings if w.message.startswith("slide '")
    }
    for slide_id in _overflowing_slides(plan):
        assert slide_id in warned, (slide_id, [str(w) for w in plan.warnings])
