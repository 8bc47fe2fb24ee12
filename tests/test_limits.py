"""Limits in time and size, types and links: every bad input one located error within 2 s and
200 MB (no hang, no traceback), and no false report."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from slidegen.bib import imports
from slidegen.bib.imports import MAX_BIBTEX_BYTES, MAX_CSL_JSON_BYTES, read_bibtex, read_csl_json
from slidegen.build.run import build
from slidegen.errors import BibliographyError
from slidegen.markup import MAX_NESTING, Run, link_problem, parse
from slidegen.read.dates import date_problem

ROOT = Path(__file__).resolve().parents[1]
CLASS = "inter-american-cooperation"
SOURCE = ROOT / "source" / f"{CLASS}.yaml"
TRANSLATION = ROOT / "source" / f"{CLASS}.pt.yaml"
SECONDS = 2.0
MEMORY = 200 * 1024 * 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def slidegen(
    project: Path, *args: str, bounded: bool = True, timeout: float = SECONDS * 5
) -> tuple[subprocess.CompletedProcess[str], float]:
    """`slidegen ARGS` from the project folder; bounded: in 200 MB of address space."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "slidegen", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory if bounded else None,
    )
    return done, time.perf_counter() - start


def refused(done: subprocess.CompletedProcess[str], where: str, what: str) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    assert any(ln.startswith(where) and what in ln for ln in done.stderr.splitlines()), (
        done.stderr
    )


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NOTES = "notes: |\n          Crime is organized"


def _bibliography(project: Path, name: str) -> None:
    _edit(project / "source" / SOURCE.name, "\nsections:", f"\nbibliography: [{name}]\nsections:")


# --- reading: regular files only, inside the folder, size first -----------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_fifo_outline_in_the_source_folder_is_refused_never_read(
    project: Path, command: str
) -> None:
    os.mkfifo(project / "source" / "x.yaml")
    done, seconds = slidegen(project, command, "source", bounded=command == "check")
    refused(done, str(Path("source") / "x.yaml"), "is not a regular file (a named pipe)")
    assert seconds < SECONDS * 3  # a build imports its renderers first


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("name", ["zero.yaml", f"{CLASS}.es.yaml"])
def test_a_link_to_dev_zero_is_refused_at_once(project: Path, name: str) -> None:
    (project / "source" / name).symlink_to("/dev/zero")
    for command in ("check", "build"):
        done, seconds = slidegen(project, command, "source", bounded=command == "check")
        refused(done, str(Path("source") / name), "outside the source folder")
        assert seconds < SECONDS * 3


def test_a_translation_linked_from_outside_the_folder_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "system.yaml"
    elsewhere.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (project / "source" / f"{CLASS}.fr.yaml").symlink_to(elsewhere)
    done, _ = slidegen(project, "check", "source")
    refused(done, str(Path("source") / f"{CLASS}.fr.yaml"), "outside the source folder")
    assert "unknown key" not in done.stderr and "root:x" not in done.stderr


def test_a_link_inside_the_folder_is_fine(project: Path) -> None:
    (project / "source" / f"{CLASS}.pt.yaml").rename(project / "source" / "pt.txt")
    (project / "source" / f"{CLASS}.pt.yaml").symlink_to("pt.txt")
    done, _ = slidegen(project, "check", "source")
    assert done.returncode == 0, done.stderr


def test_a_huge_bibliography_is_refused_from_its_size(project: Path) -> None:
    big = project / "source" / "refs.bib"
    with big.open("wb") as fh:
        fh.truncate(600 * 1024 * 1024)  # 600 MB, sparse: costs no disk
    _bibliography(project, "refs.bib")
    done, seconds = slidegen(project, "check", "source")
    refused(done, str(Path("source") / "refs.bib"), "larger than 1 MB, the limit")
    assert seconds < SECONDS


def test_state_hashing_never_reads_a_huge_or_endless_input(project: Path) -> None:
    build([project / "source"], out=project / "build", formats=("bib",))
    big = project / "source" / "refs.bib"
    with big.open("wb") as fh:
        fh.truncate(600 * 1024 * 1024)
    _bibliography(project, "refs.bib")
    done, seconds = slidegen(project, "build", "source", "--format", "bib", bounded=False)
    refused(done, str(Path("source") / "refs.bib"), "larger than 1 MB")
    assert seconds < 30


# --- BibTeX and CSL-JSON: time, size, nesting, numbers, types --------------------------------


def _bibtex(n: int) -> str:
    return "\n".join(
        f"@book{{key{i},\n  author = {{Herz, Monica and Hoffmann, Andrea}},\n"
        f"  title = {{Organizações internacionais {i}}},\n  publisher = {{Elsevier}},\n"
        f"  year = {{2004}},\n}}\n"
        for i in range(n)
    )


def test_bibtex_import_is_linear_and_located(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(_bibtex(4000), encoding="utf-8")
    assert path.stat().st_size < MAX_BIBTEX_BYTES
    start = time.perf_counter()
    refs = read_bibtex(path)
    seconds = time.perf_counter() - start
    assert len(refs) == 4000 and seconds < 20  # was 62 s: pandoc itself takes most of it
    assert refs[3999].loc is not None and refs[3999].loc.line == 1 + 7 * 3999
    start = time.perf_counter()
    imports._key_lines(path.read_text(), imports._BIB_KEY)
    assert time.perf_counter() - start < 0.5


def test_a_bibliography_is_converted_once_per_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "source" / "refs.bib").write_text(_bibtex(3), encoding="utf-8")
    _bibliography(project, "refs.bib")
    calls: list[int] = []
    convert = imports._convert
    monkeypatch.setattr(imports, "_CONVERTED", {})
    monkeypatch.setattr(imports, "_CHECKED", set())
    monkeypatch.setattr(imports, "_convert", lambda *a: calls.append(1) or convert(*a))
    build([project / "source"], out=project / "build", jobs=1, formats=("bib", "pptx"))
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("content", "where", "what"),
    [
        ("[" * 100_000, ":1:17:", "nested deeper than 16 levels"),
        ('[{"id": "a", "title": "t", "volume": ' + "9" * 5000 + "}]", ":1:", "5000 digits"),
        ('[{"id": "a", "title": "t", "page": NaN}]', ":1:", "NaN"),
        ('[{"id": "a", "title": "t", "author": "just a string"}]', ":1:", "list of names"),
        ('[{"id": "a", "title": ["list", "title"]}]', ":1:", "'title' must be a text"),
        ('[{"id": "a", "title": {"nested": true}}]', ":1:", "'title' must be a text"),
        (
            '[\n{"id": "a", "title": "t", "issued": {"date-parts": [[2024, 13]]}}]',
            ":2:",
            "month 13 does not exist",
        ),
        ('[{"id": "a", "title": "t", "issued": "2024-02-30"}]', ":1:", "has no day 30"),
        ('[{"id": "a", "title": "t", "URL": "javascript:alert(1)"}]', ":1:", "'javascript:'"),
        ('[{"id": "a", "title": "t", "author": [{"family": 3.5j}]}]', ":1:", "invalid JSON"),
    ],
)
def test_bad_csl_json_is_one_located_error_quickly(
    project: Path, content: str, where: str, what: str
) -> None:
    (project / "source" / "refs.json").write_text(content, encoding="utf-8")
    _bibliography(project, "refs.json")
    done, seconds = slidegen(project, "check", "source")
    refused(done, str(Path("source") / "refs.json") + where, what)
    assert seconds < SECONDS


def test_csl_json_of_the_limit_reads_quickly(tmp_path: Path) -> None:
    item = {"id": "k", "type": "book", "title": "T", "author": [{"family": "Herz", "given": "M"}]}
    items = [{**item, "id": f"k{i}"} for i in range(20_000)]
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(items, indent=1))
    assert path.stat().st_size < MAX_CSL_JSON_BYTES
    start = time.perf_counter()
    assert len(read_csl_json(path)) == 20_000
    assert time.perf_counter() - start < 5
    with pytest.raises(BibliographyError, match="larger than 4 MB"):
        path.write_text(json.dumps(items * 2, indent=1))
        read_csl_json(path)


@pytest.mark.parametrize(
    ("date", "problem"),
    [
        ("2024-02-30", "has no day 30"),
        ("2023-02-29", "has no day 29"),
        ("2024-13", "month 13"),
        ("2024-00-10", "month 0"),
        ("24-1-1", "not written"),
        ("2024-02-29", None),
        ("2024", None),
        ("2024-12", None),
    ],
)
def test_dates_must_exist(date: str, problem: str | None) -> None:
    found = date_problem(date)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_an_impossible_outline_date_is_a_located_error(project: Path) -> None:
    _edit(project / "source" / SOURCE.name, "\nsections:", "\ndate: 2024-02-30\nsections:")
    done, _ = slidegen(project, "check", "source")
    refused(done, str(Path("source") / SOURCE.name), "2024-02 has no day 30")


# --- markup: nesting and links ---------------------------------------------------------------


def _note(project: Path, text: str) -> None:
    new = "notes: |\n          " + text + "\n          Crime is organized"
    _edit(project / "source" / SOURCE.name, NOTES, new)


@pytest.mark.parametrize(
    "text",
    [
        " ".join(f"*word{i}*" for i in range(1200)),
        "*x " * 2300 + "y" + " x*" * 2300,  # 14 KB of nested emphasis
        "**" * 3500 + "x" + "**" * 3500,
        "[a " * 4000 + "b" + "](https://x.org)" * 100,
    ],
)
def test_heavy_markup_is_handled_quickly(project: Path, text: str) -> None:
    _note(project, text)
    done, seconds = slidegen(project, "check", "source")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert seconds < SECONDS


def test_markup_nests_at_most_max_nesting_levels() -> None:
    deep = "*a **b " * 10 + "c" + " b** a*" * 10
    runs = [s for s in parse(deep) if isinstance(s, Run)]
    assert "".join(r.text for r in runs).count("*") > 0  # beyond the limit: literal text
    assert any(r.italic for r in runs) and MAX_NESTING == 8


@pytest.mark.parametrize(
    ("href", "ok"),
    [
        ("https://www.oas.org", True),
        ("http://x.org/a", True),
        ("mailto:info@oas.org", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("vbscript:msgbox", False),
        ("file://host/share/payload.exe", False),
        ("file:///etc/passwd", False),
        ("../../etc/passwd", False),
        ("data:text/html,x", False),
        ("https:evil", False),
    ],
)
def test_one_allowlist_of_link_schemes(href: str, ok: bool) -> None:
    assert (link_problem(href) is None) is ok
    spans = parse(f"[x]({href})")
    assert isinstance(spans[0], Run) and (spans[0].href == href) is ok


@pytest.mark.parametrize(
    "href",
    ["javascript:alert\\(1\\)", "vbscript:msgbox", "file://host/share/payload.exe", "../x.png"],
)
def test_a_link_that_is_not_allowed_is_a_located_error(project: Path, href: str) -> None:
    _note(project, f"See [this]({href}).")
    done, _ = slidegen(project, "check", "source")
    refused(done, str(Path("source") / SOURCE.name) + ":29:", "link")


def test_a_link_with_escapes_reaches_the_deck_and_the_handout_intact(project: Path) -> None:
    url = "https://en.wikipedia.org/wiki/Organization_of_American_States_(OAS)"
    escaped = "https://en.wikipedia.org/wiki/Organization_of_American_States\\_\\(OAS\\)"
    bullet = "          - Its illicit markets are expanding and strengthening\n"
    added = bullet + f"          - See [the OAS]({escaped})\n"
    _edit(project / "source" / SOURCE.name, bullet, added)
    build([project / "source"], out=project / "build", langs=["en"], formats=("pptx", "pdf"))
    deck = project / "build" / "en" / f"{CLASS}.pptx"
    with zipfile.ZipFile(deck) as z:
        rels = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".rels"))
    assert f'Target="{url}"' in rels
    from pypdf import PdfReader

    reader = PdfReader(project / "build" / "en" / f"{CLASS}-handout.pdf")
    uris = [
        str(annot.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]
    ]
    assert url in uris and all("\x00" not in u for u in uris)


# --- no false reports ------------------------------------------------------------------------


def test_a_translation_in_the_sources_own_language_is_refused_not_counted(project: Path) -> None:
    shutil.copy(TRANSLATION, project / "source" / f"{CLASS}.en.yaml")
    own = str(Path("source") / f"{CLASS}.en.yaml")
    check, _ = slidegen(project, "check", "source")
    refused(check, own, "the language the outline is written in")
    built, _ = slidegen(project, "build", "source", "--format", "bib", bounded=False, timeout=120)
    refused(built, own, "the language the outline is written in")
    assert "built" not in built.stdout and not (project / "build" / "en").exists()


def test_review_marks_a_folded_source_fingerprint_really_reviewed(project: Path) -> None:
    translation = project / "source" / TRANSLATION.name
    _edit(translation, "    source: 6d49881fa2\n", "    source: >-\n      0000000000\n")
    done, _ = slidegen(project, "review", "--lang", "pt", bounded=False)
    assert done.returncode == 0 and "section:introduction" in done.stdout, done.stderr
    status, _ = slidegen(project, "i18n", "--lang", "pt", "--json", bounded=False)
    (pt,) = json.loads(status.stdout)["languages"]
    assert pt["stale"] == 0
    assert "0000000000" not in translation.read_text(encoding="utf-8")
    check, _ = slidegen(project, "check", "source")
    assert check.returncode == 0 and "stale" not in check.stderr, check.stderr


def test_a_tab_before_a_comment_is_refused_by_check_as_review_would(project: Path) -> None:
    translation = project / "source" / TRANSLATION.name
    _edit(translation, "    source: 6d49881fa2\n", "    source: 0000000000\t# c\n")
    check, _ = slidegen(project, "check", "source")
    refused(check, str(Path("source") / TRANSLATION.name) + ":20:", "a tab character")
    review, _ = slidegen(project, "review", "--lang", "pt", bounded=False)
    refused(review, str(Path("source") / TRANSLATION.name) + ":20:", "a tab character")


def test_quiet_silences_warnings(project: Path) -> None:
    args = ("build", "source", "--format", "pptx", "--force")
    loud, _ = slidegen(project, *args, bounded=False, timeout=120)
    quiet, _ = slidegen(project, *args, "-q", bounded=False, timeout=120)
    assert "warning:" in loud.stderr
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
