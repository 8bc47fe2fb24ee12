"""Write a recorded structure into a finished PDF with pikepdf: the tags of PDF/UA-1.

The page streams already hold the marked content (see `pdf_tags`); this adds what points
to it: the structure tree (elements with their marked-content references and annotation
references), the parent tree, each annotation's /StructParent and /Contents, /Tabs /S on
every page, /MarkInfo, /Lang, DisplayDocTitle and an XMP packet that declares PDF/UA-1.
Everything written is derived from the file and the recorded tree, so it is the same for
the same input.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from slidegen.write.pdf_tags import Annotation, Element, Marked

__all__ = ["write_structure"]


def _prune(element: Element) -> bool:
    """Drop elements that mark nothing (an empty Sect, a list with no items) and splice in
    the kids of groupings; whether `element` itself still has kids."""
    kids: list[Element | Marked | Annotation] = []
    for kid in element.kids:
        if not isinstance(kid, Element):
            kids.append(kid)
        elif _prune(kid):
            kids.extend(kid.kids if kid.transparent else [kid])
    element.kids = kids
    return bool(kids)


class _Writer:
    """Builds the tree's objects; remembers which element owns each MCID and annotation."""

    def __init__(self, pdf: Pdf) -> None:
        self.pdf = pdf
        self.pages = list(pdf.pages)
        self.page_objs = [page.obj for page in self.pages]
        self.by_mcid: dict[int, dict[int, Dictionary]] = {}
        self.by_annotation: list[tuple[pikepdf.Object, Dictionary]] = []
        self.names: dict[str, Name] = {}

    def _name(self, tag: str) -> Name:
        name = self.names.get(tag)
        if name is None:
            name = self.names[tag] = Name("/" + tag)
        return name

    def element(self, element: Element, parent: Dictionary) -> Dictionary:
        first_page = next(
            (k.page for k in element.kids if isinstance(k, Marked | Annotation)), None
        )
        entries: dict[str, object] = {"/Type": Name.StructElem, "/S": self._name(element.tag)}
        entries["/P"] = parent
        if first_page is not None:
            entries["/Pg"] = self.page_objs[first_page]
        if element.alt is not None:
            entries["/Alt"] = String(element.alt)
        if element.lang is not None:
            entries["/Lang"] = String(element.lang)
        if element.scope is not None:
            entries["/A"] = Dictionary(O=Name.Table, Scope=self._name(element.scope))
        # one dictionary made with its entries, and its kids put in at once: each entry or
        # item added later is a call into qpdf
        node = self.pdf.make_indirect(Dictionary(entries))
        kids: list[object] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(self.element(kid, node))
            elif isinstance(kid, Marked):
                self.by_mcid.setdefault(kid.page, {})[kid.mcid] = node
                if kid.page == first_page:
                    kids.append(kid.mcid)
                else:
                    page = self.page_objs[kid.page]
                    kids.append(Dictionary(Type=Name.MCR, Pg=page, MCID=kid.mcid))
            else:
                page = self.page_objs[kid.page]
                annot = page.get("/Annots", Array())[kid.index]
                annot.Contents = String(kid.contents)
                self.by_annotation.append((annot, node))
                kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=page))
        # one kid is written as itself, not in an array (pdfua 0.1.3 reads a heading's
        # content only so)
        node.K = kids[0] if len(kids) == 1 else Array(kids)
        return node

    def parent_tree(self) -> tuple[Dictionary, int]:
        nums = Array()
        for n, page in enumerate(self.pages):
            page.obj.StructParents = n
            page.obj.Tabs = Name.S
            owners = self.by_mcid.get(n, {})
            if sorted(owners) != list(range(len(owners))):
                raise AssertionError(f"page {n + 1}: MCIDs are not 0..{len(owners) - 1}")
            nums.append(n)
            nums.append(self.pdf.make_indirect(Array([owners[m] for m in sorted(owners)])))
        key = len(self.pages)
        for annot, node in self.by_annotation:
            annot.StructParent = key
            nums.append(key)
            nums.append(node)
            key += 1
        return Dictionary(Nums=nums), key


def _check_annotations(pdf: Pdf, document: Element) -> None:
    """Every annotation of the file was recorded as a Link's (a PDF/UA requirement)."""
    recorded = {(a.page, a.index) for e in document.elements() for a in e.kids
                if isinstance(a, Annotation)}
    for n, page in enumerate(pdf.pages):
        for i in range(len(page.obj.get("/Annots", Array()))):
            if (n, i) not in recorded:
                raise AssertionError(f"page {n + 1}: annotation {i} is not in the structure")


def _xmp_date(pdf_date: str) -> str:
    """A PDF date (D:20000101000000+00'00') as an XMP date."""
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([+-])(\d\d)'?(\d\d)'?|Z)?", pdf_date)
    if m is None:
        return "2000-01-01T00:00:00Z"
    year, month, day, hour, minute, second, sign, tz_h, tz_m = m.groups()
    zone = f"{sign}{tz_h}:{tz_m}" if sign else "Z"
    if zone in ("+00:00", "-00:00"):
        zone = "Z"
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone}"


def _xmp(info: Dictionary, lang: str) -> bytes:
    def text(key: str) -> str:
        value = info.get(key)
        return escape(str(value)) if value is not None else ""

    created = _xmp_date(str(info.get("/CreationDate", "")))
    modified = _xmp_date(str(info.get("/ModDate", info.get("/CreationDate", ""))))
    author = text("/Author")
    creator = (
        f"<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>" if author else ""
    )
    subject = text("/Subject")
    description = (
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>'
        "</dc:description>"
        if subject
        else ""
    )
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text("/Title")}</rdf:li></rdf:Alt></dc:title>
{creator}{description}
<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>{text("/Producer")}</pdf:Producer>
<pdf:Keywords>{text("/Keywords")}</pdf:Keywords>
<xmp:CreatorTool>{text("/Creator")}</xmp:CreatorTool>
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{modified}</xmp:ModifyDate>
<xmp:MetadataDate>{modified}</xmp:MetadataDate>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def write_structure(data: bytes, document: Element) -> bytes:
    """`data` (a PDF drawn on a `TaggedCanvas`) with `document`'s structure written into it."""
    _prune(document)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _check_annotations(pdf, document)
        root = pdf.Root
        tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        writer = _Writer(pdf)
        top = writer.element(document, tree)
        parents, next_key = writer.parent_tree()
        tree.K = top
        tree.ParentTree = pdf.make_indirect(parents)
        tree.ParentTreeNextKey = next_key
        root.StructTreeRoot = tree
        root.MarkInfo = Dictionary(Marked=True)
        lang = str(root.get("/Lang", "")) or "und"
        root.Lang = String(lang)
        root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        metadata = pdf.make_stream(_xmp(pdf.docinfo, lang))
        metadata.Type = Name.Metadata
        metadata.Subtype = Name.XML
        root.Metadata = metadata
        out = io.BytesIO()
        pdf.save(
            out,
            min_version="1.7",
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    return out.getvalue()
