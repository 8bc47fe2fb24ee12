"""Open a PowerPoint file or template (.pptx, .potx) with python-pptx, which refuses .potx.

A template's main part has its own content type (python-pptx issue #1070); the package is
otherwise a presentation, so the content type is rewritten in memory and nothing else changes.
Both the template reader and the deck writer open templates through here.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from pptx import Presentation

__all__ = ["open_presentation", "open_template", "TEMPLATE_MAIN", "PRESENTATION_MAIN"]

TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_MAIN = (
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)


def open_presentation(path: Path) -> Any:
    """The python-pptx Presentation of `path`, a .pptx or .potx (OSError, zipfile.BadZipFile,
    KeyError or ValueError when it is no such file)."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        types = src.read("[Content_Types].xml")
        if TEMPLATE_MAIN in types:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    blob = src.read(info.filename)
                    if info.filename == "[Content_Types].xml":
                        blob = blob.replace(TEMPLATE_MAIN, PRESENTATION_MAIN)
                    dst.writestr(info, blob)
            data = out.getvalue()
    return Presentation(io.BytesIO(data))


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: The extension holding PowerPoint's slide sections (it lists slides by id).
_SECTIONS = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"


def open_template(path: Path) -> Any:
    """The template at `path` with its example slides removed cleanly: their ids, their
    relationships (so that their parts, notes and pictures are not written), and the slide
    sections and custom shows that list them. Masters, layouts, theme and media stay."""
    prs = open_presentation(path)
    pres = prs.part
    listed = pres._element.find(f"{_P}sldIdLst")
    for sld_id in list(listed if listed is not None else ()):
        pres.rels.pop(sld_id.get(f"{_R}id"))
        listed.remove(sld_id)
    for shows in pres._element.findall(f"{_P}custShowLst"):
        pres._element.remove(shows)
    ext_list = pres._element.find(f"{_P}extLst")
    if ext_list is not None:
        for ext in list(ext_list):
            if ext.get("uri") == _SECTIONS:
                ext_list.remove(ext)
        if not len(ext_list):
            pres._element.remove(ext_list)
    return prs
