"""The glossary: required translations and forbidden variants checked at their line, carried
by the exports (XLIFF 2's glossary module, a TBX beside XLIFF 1.2 and PO), read from TBX too."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from lxml import etree

from slidegen.cli import main
from slidegen.errors import OutlineError
from slidegen.i18n.glossary import load_glossary

DATA = Path(__file__).parent / "data" / "i18n"
X2 = {"x": "urn:oasis:names:tc:xliff:document:2.0", "gls": "urn:oasis:names:tc:xliff:glossary:2.0"}
GLOSSARY = """\
# Official names: what each language must call them.
terms:
  - term: OAS
    translations: {pt: OEA, es: OEA}
    forbidden: {pt: [OAS]}
  - term: United Nations
    translations:
      pt: Organização das Nações Unidas
    note: the full name, never the short one
  - term: Inter-American System
    translations: {pt: Sistema Interamericano}
    forbidden:
      pt: [Sistema Americano]
"""




@pytest.fixture
def project(mini_project: Path) -> Path:
    """The small class with its Portuguese translation and a glossary."""
    (mini_project / "source" / "glossary.yaml").write_text(GLOSSARY, "utf-8")
    return mini_project


def _line(path: Path, text: str) -> int:
    return next(i for i, ln in enumerate(path.read_text("utf-8").splitlines(), 1) if text in ln)


def test_check_warns_where_a_term_lacks_its_translation_or_uses_a_forbidden_one(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tr = Path("source/mini.pt.yaml")
    text = tr.read_text("utf-8").replace("O Sistema Interamericano.", "O Sistema Americano.")
    tr.write_text(text.replace("A OEA foi criada", "A OAS foi criada"), "utf-8")
    assert main(["check", "source"]) == 0  # warnings; glossary.yaml is not taken for a class
    err = capsys.readouterr().err.splitlines()
    un = _line(tr, "Nações Unidas")
    assert (
        f"source/mini.pt.yaml:{un}:13: warning: slide 'sides': columns/1/bullets/1: "
        "'United Nations' is translated without 'Organização das Nações Unidas' "
        "(glossary.yaml says 'Organização das Nações Unidas': the full name, never the short one)"
    ) in err
    system = [e for e in err if "'Inter-American System'" in e]
    assert len(system) == 2 and f":{_line(tr, 'Sistema Americano')}:" in system[0]
    assert any("'Sistema Americano', a forbidden variant" in e for e in system)
    oas = [e for e in err if "'OAS' is translated" in e]
    at = f"source/mini.pt.yaml:{_line(tr, 'OAS foi')}:12"
    assert [e.split(": warning")[0] for e in oas] == [at, at]  # without OEA, and as OAS
    assert not any("definitions" in e for e in err)  # "OEA" there is right


def test_a_forbidden_variant_inside_the_required_name_is_no_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("source/glossary.yaml").write_text(
        "terms:\n  - term: Inter-American System\n    translations: {pt: Sistema Interamericano}\n"
        "    forbidden: {pt: [Interamericano]}\n",
        "utf-8",
    )
    assert main(["check", "source"]) == 0
    assert "glossary" not in capsys.readouterr().err


def test_exports_carry_the_glossary(project: Path) -> None:
    assert main(["i18n", "export", "--lang", "pt", "-o", "pt.xlf"]) == 0
    tree = etree.parse("pt.xlf")
    (entry,) = tree.xpath(
        "//x:unit[@name='mini/sides/columns/1/bullets/1']/gls:glossary/gls:glossEntry",
        namespaces=X2,
    )
    assert entry.findtext("gls:term", namespaces=X2) == "United Nations"
    assert entry.findtext("gls:translation", namespaces=X2) == "Organização das Nações Unidas"
    assert not tree.xpath("//x:unit[@name='mini/points/title']/gls:glossary", namespaces=X2)
    assert main(["i18n", "import", "pt.xlf"]) == 0  # the module does not disturb a round trip
    assert main(["i18n", "export", "--lang", "pt", "--format", "po", "-o", "pt.po"]) == 0
    assert polib.pofile("pt.po")  # the PO itself, and the glossary beside it
    tbx = etree.parse("pt.tbx")
    terms = [t.text for t in tbx.iter("term")]
    assert terms[:3] == ["OAS", "OEA", "OAS"]


def test_a_tbx_glossary_is_read_like_the_yaml_one(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["i18n", "export", "--lang", "pt", "--format", "xliff12", "-o", "pt12.xlf"]) == 0
    Path("source/glossary.yaml").unlink()
    shutil.copy("pt12.tbx", "source/glossary.tbx")
    glossary = load_glossary(Path("source"), "en")
    assert [t.term for t in glossary.terms] == ["OAS", "United Nations", "Inter-American System"]
    assert glossary.terms[0].required("pt") == ("OEA",) and glossary.terms[0].banned("pt") == (
        "OAS",
    )
    assert main(["check", "source"]) == 0
    assert "'United Nations' is translated without" in capsys.readouterr().err


def test_a_broken_glossary_is_located(project: Path) -> None:
    Path("source/glossary.yaml").write_text(
        "terms:\n  - term: OAS\n    translation: {pt: OEA}\n", "utf-8"
    )
    with pytest.raises(OutlineError) as err:
        load_glossary(Path("source"))
    messages = [str(p) for p in err.value.problems]
    assert "source/glossary.yaml:3:5: error: 'translation' is not a key of a term" in messages[0]
    assert "did you mean 'translations'?" in messages[0]
