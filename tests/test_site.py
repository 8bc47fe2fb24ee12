"""The learners' site: a course of two classes built as users build it, checked as files and in
headless Chromium (axe-core at WCAG 2.1 AA, console, links, phone width, screenshots)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from slidegen.build.run import BuildReport, build
from slidegen.errors import OutlineError
from test_seed import normalize, seed_sentences

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "site"
SEED = "inter-american-cooperation"
LANGS = ("en", "pt", "es", "fr")
#: Where `.ci/run` installs the npm packages the browser tests use (or SLIDEGEN_NODE_MODULES).
NODE_MODULES = Path(os.environ.get("SLIDEGEN_NODE_MODULES", ROOT / "tests" / "node_modules"))


def _course(folder: Path) -> Path:
    """A course folder: the seed class (four languages), a class of every kind in a
    subfolder, a course.yaml, a theme file and a glossary beside the classes."""
    source = folder / "source"
    shutil.copytree(DATA, source)
    for path in (ROOT / "source").glob(f"{SEED}*.yaml"):
        shutil.copy(path, source)
    return folder


def _build(folder: Path, **kwargs: object) -> BuildReport:
    """Build as `invoke build` does: from the course folder, with relative paths."""
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        return build([Path("source")], out=Path("build"), site=True, **kwargs)  # type: ignore[arg-type]
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site of the course."""
    folder = _course(tmp_path_factory.mktemp("course"))
    _build(folder)
    return folder / "build" / "site"


class _Page(HTMLParser):
    """The parts of a page the tests look at: links, ids, lang, text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.lang = ""
        self.text: list[str] = []
        self.th_without_scope = 0
        self.img_without_alt = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "link", "script", "img"):
                self.links.append(str(a[key]))
        if tag == "th" and "scope" not in a:
            self.th_without_scope += 1
        if tag == "img" and "alt" not in a:
            self.img_without_alt += 1
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _site_pages(site: Path) -> list[Path]:
    """The site's own pages (the references pages offered as downloads are not)."""
    return [p for p in _pages(site) if "files" not in p.relative_to(site).parts]


# --- the files -------------------------------------------------------------------------------


def test_the_site_has_an_index_and_a_class_page_per_language(site: Path) -> None:
    for lang in LANGS:
        assert (site / lang / "index.html").is_file()
        assert (site / lang / f"{SEED}.html").is_file()
    # a class only in English is on the English pages only
    assert (site / "en" / "every-kind.html").is_file()
    assert not (site / "pt" / "every-kind.html").exists()
    assert (site / "index.html").is_file()
    assert (site / "assets" / "site.css").is_file()


def test_every_link_is_relative_and_resolves(site: Path) -> None:
    for page_path in _site_pages(site):
        page = _parse(page_path)
        assert page.lang, page_path
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                assert "slidegen" not in parts.netloc  # only the class's own web references
                continue
            assert not parts.scheme and not link.startswith("/"), (page_path, link)
            target = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
            assert target.is_file(), (page_path, link)
            assert target.is_relative_to(site.resolve()), (page_path, link)
            if parts.fragment:
                assert parts.fragment in _parse(target).ids, (page_path, link)


def test_every_page_names_its_language(site: Path) -> None:
    tags = {"en": "en-US", "pt": "pt-BR", "es": "es-ES", "fr": "fr-FR"}
    for lang in LANGS:
        for page in (site / lang).glob("*.html"):
            assert _parse(page).lang == tags[lang], page


def test_a_class_page_lists_every_download_with_format_and_size(site: Path) -> None:
    text = (site / "pt" / f"{SEED}.html").read_text(encoding="utf-8")
    downloads = re.findall(
        r'<a href="files/([^"]+)"[^>]*>([^<]+)</a> <span class="format">([^<]+)', text
    )
    names = [d[0] for d in downloads]
    assert names[0] == f"{SEED}-handout.pdf"  # the learner's handout comes first
    assert set(names) >= {f"{SEED}.pptx", f"{SEED}-references.bib", f"{SEED}-references.ris"}
    for name, _label, fmt in downloads:
        size = (site / "pt" / "files" / name).stat().st_size
        number = re.search(r"([\d.,]+) (KB|MB)", fmt)
        assert number, fmt
        assert abs(float(number.group(1).replace(".", "").replace(",", ".")) - size / 1024) < 1
    assert downloads[0][1] == "Material de apoio"


def test_the_handout_is_one_click_from_the_index(site: Path) -> None:
    for lang in LANGS:
        page = _parse(site / lang / "index.html")
        assert f"files/{SEED}-handout.pdf" in page.links
    assert "files/every-kind-handout.pdf" in _parse(site / "en" / "index.html").links
    # a class not translated is listed in every language, with its language named
    pt = (site / "pt" / "index.html").read_text(encoding="utf-8")
    assert 'href="../en/every-kind.html" hreflang="en-US" lang="en-US"' in pt
    assert "Somente em inglês" in pt and "../en/files/every-kind-handout.pdf" in pt
    assert "6 de dezembro de 2026" in pt


def test_the_course_file_orders_and_numbers_the_classes(site: Path) -> None:
    text = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert text.index(f'href="{SEED}.html"') < text.index('href="every-kind.html"')
    assert "Class 2 · Paulina Duarte · December 6, 2026" in text
    assert "Aula 1" in (site / "pt" / "index.html").read_text(encoding="utf-8")


def test_every_sentence_of_the_seed_class_is_in_its_english_page(site: Path) -> None:
    text = normalize(" ".join(_parse(site / "en" / f"{SEED}.html").text))
    missing = [s for s in seed_sentences() if normalize(s) not in text]
    assert not missing


def test_the_html_edition_has_every_kind_of_content(site: Path) -> None:
    path = site / "en" / "every-kind.html"
    html = path.read_text(encoding="utf-8")
    page = _parse(path)
    assert page.th_without_scope == 0 and '<th scope="col">Operations</th>' in html
    assert page.img_without_alt == 0
    assert 'alt="Map of the 35 OAS member states"' in html
    assert "<figcaption>OAS member states</figcaption>" in html
    assert (site / "media" / "every-kind" / "map.png").is_file()
    assert "<dt>OAS</dt>" in html and '<ol class="timeline">' in html
    assert re.search(
        r'<div class="callout" role="note">\n<p>The Inter-American System is the '
        r'oldest multilateral organization.</p>\n<p class="source">— <a href="#references">'
        r"\(Herz, 2011, p\. 3\)</a></p>",
        html,
    )
    assert "<strong>organized</strong> and <em>transnational</em>" in html
    assert '<caption>Source <a href="#references">(Herz, 2011)</a></caption>' in html
    assert 'id="references"' in html


def test_the_search_index_covers_every_class(site: Path) -> None:
    script = (site / "en" / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.slidegenSearch = [")
    assert f'"href":"{SEED}.html#sec-1"' in script and '"href":"every-kind.html#sec-1"' in script


def test_a_theme_and_a_glossary_beside_the_classes_are_not_classes(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    (folder / "source" / "course.yaml").unlink()  # without a course file: found by looking
    report = _build(folder, formats=("bib",))
    built = {p.name for p in report.built}
    assert f"{SEED}-references.bib" in built and "every-kind-references.bib" in built
    assert not any(n.startswith(("ministry", "glossary")) for n in built)


def test_a_rebuild_leaves_the_site_alone_and_an_edit_remakes_it(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    _build(folder, formats=("bib",))
    again = _build(folder, formats=("bib",))
    assert again.site_built == () and again.site_up_to_date
    course = folder / "source" / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace('"2"', '"II"'), encoding="utf-8")
    edited = _build(folder, formats=("bib",))
    assert edited.site_built
    assert "Class II" in (folder / "build" / "site" / "en" / "index.html").read_text()


def test_a_mistake_in_the_course_file_is_located(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    course = folder / "source" / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8").replace("languages:", "langauges:"), encoding="utf-8"
    )
    with pytest.raises(OutlineError) as exc:
        _build(folder, formats=("bib",))
    shown = exc.value.problems[0].format()
    assert shown.startswith(f"{Path('source') / 'course.yaml'}:5:1: error: unknown key 'langauges'")
    assert "languages" in shown


def test_new_course_makes_a_course_that_builds(tmp_path: Path) -> None:
    from slidegen.cli import main

    assert main(["new", "course", str(tmp_path / "course")]) == 0
    folder = tmp_path / "course"
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        assert main(["new", "class", "second-class"]) == 0
        assert main(["build", "-q", "--format", "bib,site"]) == 0
    finally:
        os.chdir(cwd)
    assert (
        (folder / "source" / "first-class.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=outline.schema.json")
    )
    index = (folder / "build" / "site" / "en" / "index.html").read_text()
    assert index.index("first-class.html") < index.index("second-class.html")
    assert "slidegen" in (folder / "tasks.py").read_text()


# --- in a real browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium driven by selenium (Debian's chromium and chromium-driver)."""
    chromium, driver_path = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
    if not (chromium.is_file() and driver_path.is_file()):
        pytest.skip("needs chromium and chromium-driver (not installed)")
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="slidegen-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(driver_path)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _axe() -> str:
    path = NODE_MODULES / "axe-core" / "axe.min.js"
    if not path.is_file():
        pytest.skip("needs axe-core from npm (.ci/run installs it into tests/node_modules)")
    return path.read_text(encoding="utf-8")


#: One page of each kind: the entry page, and per language the index and both class pages.
KINDS = ["index.html"] + [f"{lang}/{p}" for lang in LANGS for p in ("index.html", f"{SEED}.html")]
KINDS += ["en/every-kind.html"]


@pytest.mark.parametrize("page", KINDS)
def test_page_in_chromium(
    page: str, site: Path, browser: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No console errors, no axe-core violation at WCAG 2.1 AA, no horizontal scroll on a
    360 px wide phone; screenshots at desktop and phone widths."""
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    axe = _axe()
    shots = tmp_path_factory.getbasetemp() / "screenshots"
    shots.mkdir(exist_ok=True)
    name = page.replace("/", "-").removesuffix(".html")
    browser.get_log("browser")  # forget what earlier pages logged
    for width, height, tag in ((1280, 900, "desktop"), (360, 740, "phone")):
        browser.set_window_size(width, height)
        browser.get((site / page).as_uri())
        if tag == "phone":
            wide = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert wide <= 0, f"{page} scrolls sideways by {wide} px at 360 px"
        shot = shots / f"{name}-{tag}.png"
        browser.save_screenshot(str(shot))
    print(f"screenshots: {shots}")
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    browser.execute_script(axe)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => done(r.violations.map("
        "v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).join(', '))))"
        ".catch(e => done(['axe failed: ' + e]));"
    )
    assert result == []


def test_search_finds_a_section_of_another_class(site: Path, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    browser.set_window_size(1280, 900)
    browser.get((site / "en" / f"{SEED}.html").as_uri())
    box = browser.find_element(By.ID, "search-q")
    assert box.is_displayed()  # the script shows the form; without it the form stays hidden
    box.send_keys("national SECURITY widened")
    results = browser.find_elements(By.CSS_SELECTOR, ".search-results a")
    assert [r.text for r in results] == ["Introduction"]
    browser.get(results[0].get_attribute("href") or "")
    assert browser.current_url.endswith("/en/every-kind.html#sec-1")


def test_pages_are_valid_html(site: Path) -> None:
    """The Nu HTML checker (npm vnu-jar) finds no error, where Java is installed."""
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    java = shutil.which("java")
    if java is None or not jar.is_file():
        pytest.skip("needs java and vnu-jar from npm")
    pages = [str(p) for p in _site_pages(site)]
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", *pages], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


def test_the_course_file_in_the_docs_is_valid(tmp_path: Path) -> None:
    from slidegen.read.course import read_course

    text = (ROOT / "docs" / "site.md").read_text(encoding="utf-8")
    example = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)[0]
    (tmp_path / "week-2").mkdir()
    for name in ("inter-american-cooperation.yaml", "week-2/drugs.yaml"):
        (tmp_path / name).write_text("id: x\n", encoding="utf-8")
    (tmp_path / "course.yaml").write_text(example, encoding="utf-8")
    course = read_course(tmp_path / "course.yaml")
    assert [c.number for c in course.classes] == [None, "2a"]
    assert course.languages == ("en", "pt", "es", "fr")


def test_the_course_file_gives_its_defaults_to_the_classes(tmp_path: Path) -> None:
    import slidegen
    from slidegen.markup import runs_text

    folder = _course(tmp_path)
    source = folder / "source"
    kinds = source / "week-2" / "every-kind.yaml"
    text = kinds.read_text(encoding="utf-8")
    for key in ("lecturer", "theme", "style"):
        text = re.sub(rf"^{key}:.*\n", "", text, flags=re.M)
    kinds.write_text(text, encoding="utf-8")
    course = source / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8").replace(
            "lecturer: Paulina Duarte",
            "lecturer: A Course Lecturer\ntheme: ministry.yaml\nstyle: apa",
        ),
        encoding="utf-8",
    )
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        edition = slidegen.edition(Path("source/week-2/every-kind.yaml"))
        plan = slidegen.make_plan(edition)
        seed = slidegen.edition(Path(f"source/{SEED}.yaml"))
        seed_plan = slidegen.make_plan(seed)
    finally:
        os.chdir(cwd)
    assert runs_text(plan.info.lecturer) == "A Course Lecturer"
    assert plan.primary == "0B3D2E"  # the course's theme, a file beside course.yaml
    assert edition.outline.style == "apa" and seed.outline.style == "abnt"  # the seed names its own
    assert runs_text(seed_plan.info.lecturer) == "Paulina Duarte"
    # the course file is an input of the classes' outputs: editing it rebuilds them
    first = _build(folder, formats=("pptx",), langs=("en",))
    assert len(first.built) == 2
    assert _build(folder, formats=("pptx",), langs=("en",)).built == ()
    course.write_text(
        course.read_text(encoding="utf-8").replace("A Course Lecturer", "Another"),
        encoding="utf-8",
    )
    assert len(_build(folder, formats=("pptx",), langs=("en",)).built) == 2


def test_the_course_chooses_the_handout_layout_and_a_class_overrides_it(tmp_path: Path) -> None:
    """`handout: three` in course.yaml makes three-up the layout of every class whose outline
    names none; the seed's own `handout: notes` overrides it. Each class's choice is its
    `-handout.pdf`; editing the course's choice changes the handouts that follow it."""
    import slidegen

    folder = _course(tmp_path)
    source = folder / "source"
    course = source / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8").replace("languages:", "handout: three\nlanguages:"),
        encoding="utf-8",
    )
    seed = source / f"{SEED}.yaml"
    text = seed.read_text(encoding="utf-8")
    assert "\nhandout:" not in text
    seed.write_text(text.replace("\nstyle:", "\nhandout: notes\nstyle:", 1), encoding="utf-8")
    _build(folder, formats=("pdf",), langs=("en", "pt"))
    cwd = Path.cwd()
    os.chdir(folder)
    try:

        def layout_of(klass: str, lang: str = "en") -> str:
            """The layout `-handout.pdf` holds: the bytes each layout renders compared."""
            outline = next(source.rglob(f"{klass}.yaml")).relative_to(folder)
            plan = slidegen.make_plan(slidegen.edition(outline, lang))
            built = (Path("build") / lang / f"{klass}-handout.pdf").read_bytes()
            [layout] = [
                name for name in ("handout", "three", "reading")
                if slidegen.render(plan, name) == built  # type: ignore[arg-type]
            ]
            return layout

        assert layout_of("every-kind") == "three"
        assert layout_of(SEED) == "handout" and layout_of(SEED, "pt") == "handout"
        assert not list((folder / "build").rglob("*-handout-three.pdf"))  # no second file
        course.write_text(
            course.read_text(encoding="utf-8").replace("handout: three", "handout: reading"),
            encoding="utf-8",
        )
        seed_pdf = (Path("build") / "en" / f"{SEED}-handout.pdf").read_bytes()
        _build(folder, formats=("pdf",), langs=("en", "pt"))
        assert layout_of("every-kind") == "reading"
        assert (Path("build") / "en" / f"{SEED}-handout.pdf").read_bytes() == seed_pdf
    finally:
        os.chdir(cwd)


def test_a_wrong_handout_layout_in_the_course_file_is_located(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    course = folder / "source" / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8").replace("languages:", "handout: 3up\nlanguages:"),
        encoding="utf-8",
    )
    with pytest.raises(OutlineError) as exc:
        _build(folder, formats=("bib",))
    shown = exc.value.problems[0].format()
    assert shown.startswith(f"{Path('source') / 'course.yaml'}:5:10: error:"), shown
    assert all(name in shown for name in ("notes", "three", "reading")), shown


def test_serve_builds_and_serves_the_site_on_localhost(tmp_path: Path) -> None:
    import sys
    import urllib.request

    folder = _course(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "slidegen", "serve", "--port", "0", "-q", "--format", "bib,site"],
        cwd=folder,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        url = ""
        for line in proc.stderr:
            if line.startswith("serving "):
                url = line.split(" at ")[1].split()[0]
                break
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "pt/index.html", timeout=10) as response:
            page = response.read().decode("utf-8")
        assert '<html lang="pt-BR">' in page and "Aula 1" in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_site_is_the_same_whether_the_build_read_its_editions_or_the_site_did(
    site: Path, tmp_path: Path
) -> None:
    """A full build hands its workers' editions to the site; a later site-only build (in a
    fresh process, which has none) reads every edition itself. The pages are the same."""
    folder = _course(tmp_path)
    _build(folder)
    shutil.rmtree(folder / "build" / "site")
    state = folder / "build" / ".slidegen-state.json"
    recorded = json.loads(state.read_text(encoding="utf-8"))
    outputs = recorded["outputs"]
    for name in [n for n in outputs if n.startswith("site/")]:
        del outputs[name]
    state.write_text(json.dumps(recorded), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "slidegen", "build", "source", "--format", "site", "-q"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    remade = folder / "build" / "site"
    assert sorted(str(p.relative_to(remade)) for p in remade.rglob("*")) == sorted(
        str(p.relative_to(site)) for p in site.rglob("*")
    )
    for page in _pages(site):
        assert (remade / page.relative_to(site)).read_bytes() == page.read_bytes(), page


def test_damaged_compiled_templates_are_compiled_again(site: Path) -> None:
    """The templates' compiled code is kept beside them; a damaged file is not an error."""
    from slidegen.write import html

    folder = Path(html.__file__).parent / "__pycache__" / "templates"
    kept = {p: p.read_bytes() for p in folder.glob("*.jinja")}
    assert kept, "a build keeps the compiled templates"
    try:
        for p in kept:
            p.write_bytes(b"j2\x00\x00damaged")
        html._env.cache_clear()
        for name in html._env().list_templates(extensions=["j2"]):  # not the compiled files
            assert html._env().get_template(name).render is not None
        assert all(p.read_bytes() == data for p, data in kept.items())  # compiled again
    finally:
        html._env.cache_clear()


def test_an_edit_to_one_language_rewrites_only_the_site_files_it_changes(tmp_path: Path) -> None:
    """A Portuguese sentence changed: the Portuguese class page, search index and download
    copies are rewritten; every other site file is left as it was (not even rewritten)."""
    folder = _course(tmp_path)
    _build(folder)
    site = (folder / "build" / "site").resolve()
    stamps = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    translation = folder / "source" / f"{SEED}.pt.yaml"
    text = translation.read_text(encoding="utf-8")
    assert "Seus mercados ilícitos" in text
    translation.write_text(text.replace("Seus mercados ilícitos", "Os seus mercados ilícitos", 1))

    report = _build(folder)

    rewritten = {(folder / p).resolve().relative_to(site).as_posix() for p in report.site_built}
    assert rewritten and all(name.startswith("pt/") for name in rewritten), rewritten
    assert f"pt/{SEED}.html" in rewritten and "pt/search-index.js" in rewritten
    for path, stamp in stamps.items():
        if path.relative_to(site).as_posix() not in rewritten:
            assert path.stat().st_mtime_ns == stamp, path
    assert "Os seus mercados ilícitos" in (site / "pt" / f"{SEED}.html").read_text("utf-8")
    assert _build(folder).site_built == ()
    with translation.open("a", encoding="utf-8") as fh:  # rebuilt, to the same bytes
        fh.write("\n# reviewed\n")
    same = _build(folder)
    assert same.built and same.site_built == () and same.site_up_to_date
