"""The deck's document properties: docProps/app.xml (what PowerPoint shows under Info) and
docProps/core.xml (title, subject, author, language, dates), written from the plan."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from xml.sax.saxutils import escape

from slidegen.markup import runs_text
from slidegen.plan import Plan, TableShape, TextBox

__all__ = ["app_xml", "core_xml", "presentation_format", "app_version"]

_EMU = 12700
#: Slide sizes PowerPoint names, in EMU: (width, height) → (format shown, `sldSz` type).
_FORMATS: dict[tuple[int, int], tuple[str, str | None]] = {
    (12192000, 6858000): ("Widescreen", None),
    (9144000, 5143500): ("On-screen Show (16:9)", "screen16x9"),
    (9144000, 5715000): ("On-screen Show (16:10)", "screen16x10"),
    (9144000, 6858000): ("On-screen Show (4:3)", "screen4x3"),
}
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def presentation_format(width_emu: int, height_emu: int) -> tuple[str, str | None]:
    """The format PowerPoint shows for a slide size and the `sldSz` type it writes (None for
    sizes with no type of their own, as PowerPoint writes its widescreen size)."""
    return _FORMATS.get((width_emu, height_emu), ("Custom", None))


@cache
def _installed() -> str:
    try:
        return version("slidegen")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "0"


def app_version(release: str | None = None) -> str:
    """slidegen's version (installed, or `release`) as the XX.YYYY form of `AppVersion`
    (0.1.0 → 00.0100)."""
    numbers = (release or _installed()).split(".") + ["0", "0"]
    parts = [int(p) if p.isdigit() else 0 for p in numbers[:3]]
    return f"{min(parts[0], 99):02d}.{min(parts[1], 99):02d}{min(parts[2], 99):02d}"


def _vector(kind: str, items: list[str]) -> str:
    return f'<vt:vector size="{len(items)}" baseType="{kind}">{"".join(items)}</vt:vector>'


def _variant(item: str) -> str:
    return f"<vt:variant>{item}</vt:variant>"


def _texts(plan: Plan) -> list[str]:
    out: list[str] = []
    for slide in plan.slides:
        for shape in slide.shapes:
            if isinstance(shape, TextBox):
                out += [runs_text(p.runs) for p in shape.paragraphs]
            elif isinstance(shape, TableShape):
                out += [runs_text(p.runs) for row in shape.cells for c in row for p in c.paragraphs]
    return out


def app_xml(plan: Plan, notes: int, theme_name: str, fonts: list[str]) -> bytes:
    """docProps/app.xml: counts, format, fonts, theme and slide titles, slidegen as the app."""
    fmt, _ = presentation_format(int(plan.width * _EMU), int(plan.height * _EMU))
    texts = _texts(plan)
    words = sum(len(t.split()) for t in texts)
    titles = [s.title for s in plan.slides]
    pairs = [
        ("Fonts Used", len(fonts)),
        ("Theme", 1),
        ("Slide Titles", len(titles)),
    ]
    heading = [
        _variant(item)
        for name, count in pairs
        for item in (f"<vt:lpstr>{name}</vt:lpstr>", f"<vt:i4>{count}</vt:i4>")
    ]
    parts = [f"<vt:lpstr>{escape(t)}</vt:lpstr>" for t in [*fonts, theme_name, *titles]]
    xml = (
        f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'extended-properties" xmlns:vt="{_VT}"><TotalTime>0</TotalTime><Words>{words}</Words>'
        f"<Application>slidegen</Application><PresentationFormat>{fmt}</PresentationFormat>"
        f"<Paragraphs>{len(texts)}</Paragraphs><Slides>{len(plan.slides)}</Slides>"
        f"<Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides><MMClips>0</MMClips>"
        f"<ScaleCrop>false</ScaleCrop><HeadingPairs>{_vector('variant', heading)}"
        f"</HeadingPairs><TitlesOfParts>{_vector('lpstr', parts)}</TitlesOfParts>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        f"<HyperlinksChanged>false</HyperlinksChanged><AppVersion>{app_version()}</AppVersion>"
        "</Properties>"
    )
    return xml.encode("utf-8")


def core_xml(plan: Plan, when: dt.datetime | None) -> bytes:
    """docProps/core.xml: title, subject, creator, language and, when known, the dates."""
    creator = runs_text(plan.info.lecturer)
    fields = [
        ("dc:title", plan.title),
        ("dc:subject", runs_text(plan.info.course)),
        ("dc:creator", creator),
        ("cp:lastModifiedBy", creator),
    ]
    body = "".join(f"<{tag}>{escape(value)}</{tag}>" for tag, value in fields if value)
    body += "<cp:revision>1</cp:revision>"
    if when is not None:
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        body += "".join(
            f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{tag}>'
            for tag in ("created", "modified")
        )
    body += f"<dc:language>{escape(plan.language)}</dc:language>"
    xml = (
        f"{_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{body}</cp:coreProperties>'
    )
    return xml.encode("utf-8")
