"""The documentation tells the truth: its example outline is valid, and the schemas are current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from PIL import Image

from slidegen.read.outline import check_outline
from slidegen.read.schema import schema_json

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def _yaml_blocks(doc: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S)


def test_the_format_guide_example_is_a_valid_outline(tmp_path: Path) -> None:
    example = _yaml_blocks(DOCS / "outline-format.md")[0]
    (tmp_path / "images").mkdir()
    Image.new("RGB", (40, 30), "navy").save(tmp_path / "images" / "map.png")
    (tmp_path / "more.bib").write_text(
        "@book{arrighi2011, author = {Arrighi, Jean Michel}, title = {De algunas"
        " desigualdades}, publisher = {OEA}, year = {2011}}\n",
        encoding="utf-8",
    )
    path = tmp_path / "my-class.yaml"
    path.write_text(example, encoding="utf-8")
    outline, problems = check_outline(path)
    assert outline is not None, [p.format() for p in problems]
    assert [p for p in problems if p.severity == "error"] == []
    kinds = {s.kind for s in outline.slides()}
    assert kinds == {
        "bullets", "numbered", "prose", "definitions", "timeline", "quote", "image",
        "columns", "table",
    }


@pytest.mark.parametrize("kind", ["outline", "translation", "course"])
def test_the_schemas_in_docs_are_current(kind: str) -> None:
    assert (DOCS / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_json(kind), (
        "run 'invoke schema'"
    )


def test_every_source_file_passes_its_schema() -> None:
    outline_schema = json.loads((DOCS / "outline.schema.json").read_text(encoding="utf-8"))
    translation_schema = json.loads((DOCS / "translation.schema.json").read_text("utf-8"))
    files = sorted((ROOT / "source").glob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        first = path.read_text(encoding="utf-8").splitlines()[0]
        is_translation = path.name.count(".") == 2
        schema = translation_schema if is_translation else outline_schema
        jsonschema.validate(data, schema)
        assert "$schema=../docs/" in first, f"{path.name}: first line names its schema"


def test_the_outline_schema_rejects_a_misspelled_key() -> None:
    schema = json.loads((DOCS / "outline.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((ROOT / "source" / "inter-american-cooperation.yaml").read_text("utf-8"))
    data["sections"][0]["slides"][0]["bulets"] = data["sections"][0]["slides"][0].pop("bullets")
    with pytest.raises(jsonschema.ValidationError, match="bulets"):
        jsonschema.validate(data, schema)
