"""Bibliography: seed references in every style and language, imports, exports and the cache."""

from __future__ import annotations

import html.parser
import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string

from slidegen.bib import engine as bib_engine
from slidegen.bib.export import book_editors, to_bibtex, to_html, to_ris
from slidegen.bib.format import (
    BibRequest,
    Formatted,
    format_bibliographies,
    format_bibliography,
    warm_cache,
)
from slidegen.bib.imports import read_bibtex, read_csl_json
from slidegen.build.run import build
from slidegen.errors import BibliographyError, Location
from slidegen.i18n.merge import edition_outline
from slidegen.markup import CiteItem, Run, runs_text
from slidegen.read.model import Bullets, Item, Name, Outline, Reference, Section, Slide
from slidegen.read.walk import cited_in_order
from slidegen.resolve.edition import resolve

GOLDEN = Path(__file__).parent / "golden" / "bib"
SEED = GOLDEN / "seed-references.json"
UPDATE = os.environ.get("SLIDEGEN_UPDATE_GOLDEN") == "1"
STYLES = ("abnt", "apa", "chicago")
LANGS = ("en", "pt", "es", "fr")
SEED_CLASS = Path(__file__).parents[1] / "source" / "inter-american-cooperation.yaml"


def outline(
    bullets: tuple[str, ...] = ("[@herz2011, p. 12]", "[@arrighi2011; @blackwell2011]"),
    **kw: object,
) -> Outline:
    slide = Slide(
        id="s1",
        title="Slide",
        content=Bullets(bullets=tuple(Item(text=b) for b in bullets)),
        loc=Location("class.yaml", 7, 5),
    )
    fields: dict[str, object] = {
        "id": "c",
        "language": "en",
        "course": "Course",
        "title": "Class",
        "sections": (Section(id="a", title="A", slides=(slide,)),),
        "bibliography": ("seed-references.json",),
        "loc": Location("class.yaml", 1, 1),
    }
    fields.update(kw)
    return Outline(**fields)  # type: ignore[arg-type]


def fmt(o: Outline, lang: str, cache_dir: Path | None = None) -> Formatted:
    return format_bibliography(o, cited_in_order(o), lang, GOLDEN, cache_dir)


def marked(runs: tuple[Run, ...]) -> str:
    """Runs as text with visible formatting: *italic*, **bold**, <link>."""
    out = []
    for r in runs:
        t = r.text
        if r.italic:
            t = f"*{t}*"
        if r.bold:
            t = f"**{t}**"
        if r.href:
            t = f"[{t}]<{r.href}>"
        out.append(t)
    return "".join(out)


def report(f: Formatted) -> str:
    lines = ["# citations"]
    lines += [
        "; ".join(i.key + (f" ({i.locator})" if i.locator else "") for i in k) + " => " + marked(v)
        for k, v in f.citations.items()
    ]
    lines += ["# references", *(marked(e) for e in f.entries)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("style", STYLES)
def test_seed_references_match_golden(style: str, lang: str) -> None:
    got = report(fmt(outline(style=style), lang))
    path = GOLDEN / f"{style}-{lang}.txt"
    if UPDATE or not path.exists():
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_a_build_worker_asks_one_pandoc_for_every_edition(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build worker keeps the pandoc its first call started and asks it again for each
    later edition (a new pandoc each time pays its slow first call): the references are
    those a pandoc of their own gives, in every style and language."""
    from slidegen.bib import engine

    monkeypatch.setattr(engine, "_KEEP", [True])  # as `keep_pandoc()` in a worker
    monkeypatch.setattr(engine, "_OWN", {})
    pids = []
    try:
        for style in STYLES:
            for lang in LANGS:
                got = report(fmt(outline(style=style), lang))
                assert got == (GOLDEN / f"{style}-{lang}.txt").read_text(encoding="utf-8")
                pids.append(engine._OWN[os.getpid()].proc.pid)
        assert len(set(pids)) == 1 and len(pids) == len(STYLES) * len(LANGS)
        assert engine._OWN[os.getpid()].proc.poll() is None  # still there for the next
    finally:
        for spare in engine._OWN.values():
            spare.close()
            spare.proc.wait(timeout=30)
            shutil.rmtree(spare.folder, ignore_errors=True)


def test_a_waiting_pandoc_that_ended_is_replaced_by_a_pandoc_of_the_calls_own(
    tmp_path: Path,
) -> None:
    """A waiting pandoc killed before it is asked, or while it answers, costs the build
    nothing but time: the call starts a pandoc of its own, with the same documents."""
    from slidegen.bib import engine
    from slidegen.bib.format import warm_up_jobs

    jobs = warm_up_jobs(("en", "pt"))
    expected = [doc["blocks"] for doc in engine.citeproc_all(jobs)]  # type: ignore[index]
    for when in ("before", "after"):
        spare = engine.Spare([], tmp_path)
        try:
            assert spare.claim()
            if when == "before":
                spare.proc.kill()
                spare.proc.wait()
            run = engine.CiteprocRun(jobs, tmp_path / "work", spare)
            if when == "after":
                spare.proc.kill()
                spare.proc.wait()
            assert [doc["blocks"] for doc in run.wait()] == expected  # type: ignore[index]
        finally:
            spare.close()
            spare.proc.wait(timeout=30)


def test_abnt_keeps_full_given_names_and_uses_in() -> None:
    entries = [runs_text(e) for e in fmt(outline(), "en").entries]
    assert entries[0].startswith("ARRIGHI, Jean Michel. ")
    assert entries[1].startswith("BLACKWELL, Adam; DUARTE, Paulina. ")
    assert entries[2].startswith("HERZ, Monica. ")
    assert " In: OEA (Ed.). " in entries[0]  # the book's organizer, marked in every language


def test_each_language_uses_its_own_terms() -> None:
    es = [runs_text(e) for e in fmt(outline(), "es").entries]
    assert " En: OEA (Ed.). " in es[0]
    pt = [runs_text(e) for e in fmt(outline(style="apa"), "pt").entries]
    assert " Em OEA, " in pt[0]
    chicago_fr = fmt(outline(style="chicago"), "fr")
    cite = chicago_fr.citations[(CiteItem("arrighi2011"), CiteItem("blackwell2011"))]
    assert runs_text(cite) == "(Arrighi 2011; Blackwell et Duarte 2011)"


WEB_AND_ARTICLE = (
    Reference(
        id="web",
        type="webpage",
        title="A page",
        author=(Name(literal="Transparency International"),),
        issued="2022-06-15",
        url="https://example.org/page",
        accessed="2026-02-10",
    ),
    Reference(
        id="art",
        type="article-journal",
        title="An article",
        author=(Name(family="García", given="María"),),
        container_title="A journal",
        volume="5",
        page="145-172",
        issued="2019",
        doi="10.18847/1.10.7",
    ),
)

ACCESS_WORDS = {
    "en": ("Available at: <", "Accessed: 10"),
    "pt": ("Disponível em: <", "Acesso em: 10"),
    "es": ("Disponible en: <", "Consultado: 10"),
    "fr": ("Disponible sur: <", "Consulté le: 10"),
    "de": ("Verfügbar unter: <", "Zugriff am: 10"),
}


@pytest.mark.parametrize("lang", sorted(ACCESS_WORDS))
def test_abnt_speaks_the_editions_language_and_keeps_dois_and_dates(lang: str) -> None:
    o = outline(bullets=("[@web; @art]",), bibliography=(), references=WEB_AND_ARTICLE)
    art, web = (runs_text(e) for e in fmt(o, lang).entries)
    available, accessed = ACCESS_WORDS[lang]
    assert available in web.replace("\u00a0", " ").replace("\u202f", " ")
    assert accessed in web.replace("\u00a0", " ").replace("\u202f", " ")
    assert "2022" in web  # a web page's date
    assert "DOI: 10.18847/1.10.7" in art
    assert "p. 145-172" in art  # ABNT's hyphen, in every language


@pytest.mark.parametrize("lang", ["en", "es", "pt", "fr"])
def test_apa_page_ranges_take_an_en_dash_in_every_language(lang: str) -> None:
    o = outline(bullets=("[@art]",), bibliography=(), references=WEB_AND_ARTICLE, style="apa")
    [art] = (runs_text(e) for e in fmt(o, lang).entries)
    assert "145\u2013172" in art


def test_titles_are_title_cased_only_for_english_references() -> None:
    entries = [runs_text(e) for e in fmt(outline(style="chicago"), "en").entries]
    assert "“De algunas desigualdades en el derecho interamericano.”" in entries[0]
    assert "(OAS): Global Governance Away from the Media." in entries[2]


def test_style_formatting_survives_as_runs() -> None:
    abnt = fmt(outline(), "en").entries[2]
    assert (
        Run(
            "The Organization of American States (OAS): Global governance away from the media",
            bold=True,
        )
        in abnt
    )
    apa = fmt(outline(style="apa"), "en").entries[2]
    assert any(r.italic and r.text.startswith("The Organization") for r in apa)


def test_citation_with_locator_is_rendered_per_style() -> None:
    key = (CiteItem("herz2011", "p. 12"),)
    assert runs_text(fmt(outline(), "en").citations[key]) == "(Herz, 2011, p. 12)"
    assert runs_text(fmt(outline(style="chicago"), "en").citations[key]) == "(Herz 2011, 12)"


def test_unknown_key_is_an_error_at_its_slide() -> None:
    with pytest.raises(BibliographyError) as err:
        fmt(outline(bullets=("As [@nobody2020] says",)), "en")
    (problem,) = err.value.problems
    assert "nobody2020" in problem.message
    assert problem.loc == Location("class.yaml", 7, 5)
    assert problem.slide == "s1"


def test_unknown_further_reading_key_is_an_error() -> None:
    with pytest.raises(BibliographyError, match="ghost"):
        fmt(outline(further_reading=("ghost",)), "en")


def test_unused_reference_is_a_located_warning_and_left_out() -> None:
    extra = Reference(id="extra", type="book", title="Unused", loc=Location("class.yaml", 40, 5))
    f = fmt(outline(references=(extra,)), "en")
    (warning,) = f.warnings
    assert warning.severity == "warning" and warning.loc == extra.loc and "extra" in warning.message
    assert len(f.entries) == 3


def test_further_reading_lists_uncited_references() -> None:
    f = fmt(outline(bullets=("No citation here",), further_reading=("herz2011",)), "en")
    assert [runs_text(e)[:5] for e in f.entries] == ["HERZ,"]
    f_all = fmt(outline(bullets=("No citation",), further_reading=("*",)), "en")
    assert len(f_all.entries) == 3 and not f_all.citations


def test_no_references_costs_no_pandoc_call(monkeypatch: pytest.MonkeyPatch) -> None:
    forbid_pandoc(monkeypatch)
    assert fmt(outline(bullets=("Plain",), bibliography=()), "en") == Formatted((), {}, ())


def forbid_pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pandoc(*args: object, **kwargs: object) -> None:
        raise AssertionError("pandoc was called")

    monkeypatch.setattr(bib_engine.subprocess, "Popen", no_pandoc)


def test_cache_hit_avoids_pandoc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fmt(outline(), "pt", tmp_path)
    assert len(list(tmp_path.glob("bib-*.json"))) == 1
    forbid_pandoc(monkeypatch)
    assert fmt(outline(), "pt", tmp_path) == first
    with pytest.raises(AssertionError, match="pandoc was called"):  # another language: new key
        fmt(outline(), "es", tmp_path)


def test_rendering_is_deterministic() -> None:
    assert report(fmt(outline(), "fr")) == report(fmt(outline(), "fr"))


def request(o: Outline, lang: str) -> BibRequest:
    return BibRequest(o, tuple(cited_in_order(o)), lang, GOLDEN)


@pytest.fixture
def pandoc_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The real pandoc, counted: one number per process, how many documents it was given."""
    runs: list[int] = []
    popen = subprocess.Popen

    def counted(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        runs.append(len(json.loads(Path(args[-1]).read_text(encoding="utf-8"))))
        return popen(args, **kwargs)

    monkeypatch.setattr(bib_engine.subprocess, "Popen", counted)
    return runs


def test_every_edition_in_one_pandoc_process_matches_golden(
    tmp_path: Path, pandoc_runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    editions = [(style, lang) for style in STYLES for lang in LANGS]
    got = format_bibliographies([request(outline(style=s), lang) for s, lang in editions], tmp_path)
    assert pandoc_runs == [len(editions)]
    for (style, lang), formatted in zip(editions, got, strict=True):
        assert report(formatted) == (GOLDEN / f"{style}-{lang}.txt").read_text(encoding="utf-8")
    forbid_pandoc(monkeypatch)  # each edition alone: cache hits
    for (style, lang), formatted in zip(editions, got, strict=True):
        assert fmt(outline(style=style), lang, tmp_path) == formatted


def test_only_editions_missing_from_the_cache_reach_pandoc(
    tmp_path: Path, pandoc_runs: list[int]
) -> None:
    pt = fmt(outline(), "pt", tmp_path)
    both = format_bibliographies([request(outline(), "pt"), request(outline(), "es")], tmp_path)
    assert pandoc_runs == [1, 1] and both[0] == pt
    assert report(both[1]) == (GOLDEN / "abnt-es.txt").read_text(encoding="utf-8")
    assert format_bibliographies([request(outline(), "es")] * 2, tmp_path) == [both[1]] * 2
    assert pandoc_runs == [1, 1]


def test_an_unknown_key_in_one_edition_fails_the_batch_at_its_slide(
    pandoc_runs: list[int],
) -> None:
    bad = outline(bullets=("As [@nobody2020] says",))
    with pytest.raises(BibliographyError) as err:
        format_bibliographies([request(outline(), "en"), request(bad, "pt")], None)
    assert [(p.slide, p.loc) for p in err.value.problems] == [("s1", Location("class.yaml", 7, 5))]
    assert pandoc_runs == []


def test_warm_cache_readies_every_edition_of_the_seed_class(
    tmp_path: Path, pandoc_runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    editions = [(SEED_CLASS, None), *((SEED_CLASS, lang) for lang in ("pt", "es", "fr"))]
    assert warm_cache([*editions, (broken, None)], tmp_path / "cache") == 4  # broken: skipped
    assert pandoc_runs == [4]
    forbid_pandoc(monkeypatch)
    assert warm_cache(editions, tmp_path / "cache") == 0
    for lang in ("en", "pt", "es", "fr"):
        o, _ = edition_outline(SEED_CLASS, lang)
        edition = resolve(o, SEED_CLASS, lang, cache_dir=tmp_path / "cache")
        assert len(edition.bibliography) == 3


def test_a_cold_build_formats_all_its_editions_in_one_pandoc_process(
    tmp_path: Path, pandoc_runs: list[int]
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for lang in ("", ".pt", ".es"):
        shutil.copy(SEED_CLASS.with_suffix(f"{lang}.yaml"), source)
    report_ = build([source], out=tmp_path / "build", formats=("bib",), jobs=1)
    assert report_.languages == ("en", "es", "pt")
    assert pandoc_runs == [3]


# --- imports ---------------------------------------------------------------------------------


def seed_refs() -> tuple[Reference, ...]:
    return read_csl_json(SEED)


def test_csl_json_import_keeps_fields_and_locates_entries() -> None:
    arrighi, blackwell, herz = seed_refs()
    assert arrighi.author == (Name(family="Arrighi", given="Jean Michel"),)
    assert arrighi.container_author == (Name(literal="OEA"),)
    assert (arrighi.type, arrighi.issued, arrighi.language) == ("chapter", "2011", "es")
    assert herz.loc == Location(str(SEED), 29, 1)


def test_bad_csl_json_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "refs.json"
    bad.write_text('[\n  {"id": "a", "title": "x",}\n]\n', encoding="utf-8")
    with pytest.raises(BibliographyError) as err:
        read_csl_json(bad)
    loc = err.value.problems[0].loc
    assert loc is not None and (loc.path, loc.line) == (str(bad), 2)
    bad.write_text('[{"id": "a", "type": "book"}]', encoding="utf-8")
    with pytest.raises(BibliographyError, match="'a' has no title"):
        read_csl_json(bad)


def test_bad_bibtex_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "refs.bib"
    bad.write_text(
        "@book{a,\n  title = {Fine},\n  year = 2011\n}\n\n@book{b,\n  title = {Open,\n",
        encoding="utf-8",
    )
    with pytest.raises(BibliographyError) as err:
        read_bibtex(bad)
    (problem,) = err.value.problems
    assert problem.loc is not None and problem.loc.path == str(bad) and problem.loc.line >= 6


def test_missing_bibliography_file_is_an_error() -> None:
    with pytest.raises(BibliographyError, match="not found"):
        fmt(outline(bibliography=("nowhere.bib",)), "en")


# --- exports ---------------------------------------------------------------------------------


def test_bibtex_export_parses_back_into_the_same_entries() -> None:
    refs = seed_refs()
    library = parse_string(to_bibtex(refs))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert list(entries) == ["arrighi2011", "blackwell2011", "herz2011"]
    assert entries["arrighi2011"].entry_type == "incollection"
    assert entries["herz2011"]["author"] == "Herz, Monica"
    assert entries["blackwell2011"]["author"] == "Blackwell, Adam and Duarte, Paulina"
    assert entries["herz2011"]["publisher"] == r"Taylor \& Francis"
    assert entries["arrighi2011"]["booktitle"] == "{Desigualdad e inclusión social en las Américas}"
    assert entries["arrighi2011"]["langid"] == "es"
    assert entries["arrighi2011"]["year"] == "2011"
    assert entries["arrighi2011"]["editor"] == "{OEA}"  # the organizer, kept whole
    assert "bookauthor" not in entries["arrighi2011"].fields_dict


def test_bibtex_export_imports_back_into_the_same_references(tmp_path: Path) -> None:
    refs = seed_refs()
    bib = tmp_path / "refs.bib"
    bib.write_text(to_bibtex(refs), encoding="utf-8")
    again = read_bibtex(bib)
    # a chapter's book organizer (the seed's `container-author: [OEA]`) comes back as the
    # book's editor, the one field BibTeX readers (Zotero, biber) know for it
    expected = [
        replace(r, editor=book_editors(r), container_author=())
        if r.type == "chapter"
        else r
        for r in refs
    ]
    assert [replace(r, loc=None) for r in again] == [replace(r, loc=None) for r in expected]
    assert again[0].editor == (Name(literal="OEA"),)


def test_ris_records_carry_every_entry() -> None:
    ris = to_ris(seed_refs())
    records = [r for r in ris.split("ER  - ") if r.strip()]
    assert len(records) == 3
    assert ris.count("\r\n") > 0 and "\n" not in ris.replace("\r\n", "")
    tags = [line.split("  - ", 1) for line in records[1].strip().split("\r\n")]
    assert tags[0] == ["TY", "CHAP"]
    assert ["AU", "Blackwell, Adam"] in tags and ["AU", "Duarte, Paulina"] in tags
    assert ["PY", "2011"] in tags and ["LA", "es"] in tags
    assert ["A2", "OEA"] in tags  # the book's organizer: Zotero reads A2 as the book's editor


class _Checker(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.italic: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag not in ("meta", "link", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "i":
            self.italic.append(data)


def test_html_list_is_a_standalone_page_with_italics() -> None:
    entries = fmt(outline(style="apa"), "es").entries
    page = to_html(entries, "Referencias <&>", "es")
    assert page.startswith("<!DOCTYPE html>\n")
    checker = _Checker()
    checker.feed(page)
    assert checker.stack == [] and checker.lang == "es"
    assert any(t.startswith("The Organization of American States") for t in checker.italic)
    assert "<title>Referencias &lt;&amp;&gt;</title>" in page
    assert page.count("<li>") == 3
