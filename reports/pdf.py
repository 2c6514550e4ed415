"""The PDF layout engine of keytrace's reports (reportlab).

A report is a :class:`ReportDocument`: a cover (title, the case and claim identifiers, the generation
time), then :class:`Section` s made of paragraphs, key/value lists, tables and charts, then appendices.
Tables repeat their header row on every page they run over; every page carries "page N of M", the
generation time and the report's identifiers. The drawings a :class:`Chart` holds are made by
:mod:`reports.charts`.

Only rendering lives here; :mod:`reports.bundle` gathers the facts and builds the document.

Its length (about 470 lines) is the table layout (column fitting, wrapping and fallback fonts), which has
to measure text with the fonts registered here; the drawings are reports/charts.py.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
FRAME_W = PAGE_W - 2 * MARGIN
LANDSCAPE_FRAME_W = PAGE_H - 2 * MARGIN
BOTTOM = 16 * mm

FONT_DIR = Path(__file__).resolve().parent / "fonts"


def _register_fonts() -> tuple[str, str]:
    """DejaVu Sans (shipped in reports/fonts, embedded as a subset) so that names in Cyrillic, Greek or
    with any accent print as written; Helvetica only if the font files are missing."""
    try:
        pdfmetrics.registerFont(TTFont("KT-Sans", str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("KT-Sans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    except (OSError, TTFError):
        return "Helvetica", "Helvetica-Bold"
    registerFontFamily("KT-Sans", normal="KT-Sans", bold="KT-Sans-Bold", italic="KT-Sans", boldItalic="KT-Sans-Bold")
    return "KT-Sans", "KT-Sans-Bold"


FONT, FONT_BOLD = _register_fonts()
_COVERED: frozenset[int] = frozenset(
    pdfmetrics.getFont(FONT).face.charToGlyph) if FONT != "Helvetica" else frozenset(range(32, 256))


def _register_cid(name: str) -> str | None:
    try:
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    except (KeyError, ValueError):
        return None
    return name


FALLBACK_FONT = _register_cid("STSong-Light")        # Chinese, Japanese kana and kanji
HANGUL_FONT = _register_cid("HYSMyeongJo-Medium")    # Korean

_styles = getSampleStyleSheet()
STYLE_TITLE = ParagraphStyle("kt-title", parent=_styles["Title"], fontName=FONT_BOLD, fontSize=20, leading=24,
                             alignment=TA_LEFT)
STYLE_H1 = ParagraphStyle("kt-h1", parent=_styles["Heading1"], fontName=FONT_BOLD, fontSize=14, leading=17, spaceBefore=8,
                          spaceAfter=4)
STYLE_H2 = ParagraphStyle("kt-h2", parent=_styles["Heading2"], fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=6,
                          spaceAfter=3)
STYLE_BODY = ParagraphStyle("kt-body", parent=_styles["BodyText"], fontName=FONT, fontSize=9, leading=11.5)
STYLE_SMALL = ParagraphStyle("kt-small", parent=STYLE_BODY, fontSize=7.5, leading=9)
STYLE_CAPTION = ParagraphStyle("kt-caption", parent=STYLE_BODY, fontSize=8, leading=10,
                               textColor=colors.HexColor("#333333"))
STYLE_KV_KEY = ParagraphStyle("kt-kvk", parent=STYLE_BODY, fontName=FONT_BOLD)

TABLE_FONT = 6.8
TABLE_ROW_H = 9.2
TABLE_FONT_MIN = 4.6
WRAP_MIN_W = 110.0
_TOKEN = re.compile(r"[^;, ]+[;, ]*")


# ---------------------------------------------------------------------------------------------------
# The document model
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Para:
    text: str           # plain text (escaped when rendered)
    small: bool = False


@dataclass(frozen=True)
class KeyValues:
    items: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    """A table that paginates: header repeated on each page; numeric columns right-aligned.

    Cells are plain text on one line: columns are sized to their widest cell, and the font shrinks
    (down to TABLE_FONT_MIN) until the table fits the page width, so hashes are never cut.
    """

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: Sequence[int] = ()
    wrap: Sequence[int] = ()       # columns whose cells may break into lines (at ';', ',' or spaces)
    caption: str | None = None
    empty_text: str = "None."


@dataclass(frozen=True)
class Chart:
    drawing: Drawing
    caption: str


@dataclass
class Section:
    title: str
    blocks: list[Para | KeyValues | Table | Chart | Section] = field(default_factory=list)
    new_page: bool = False
    landscape: bool = False     # wide tables: the section gets landscape pages of its own


@dataclass
class ReportDocument:
    title: str
    subtitle: str
    identifiers: Sequence[tuple[str, str]]        # shown on the cover and (first two) in every footer
    generated_at: datetime
    sections: list[Section]
    appendices: list[Section] = field(default_factory=list)
    cover_notes: Sequence[str] = ()
    author: str = "keytrace"


# ---------------------------------------------------------------------------------------------------
# Page furniture: "page N of M" needs the page count, so pages are kept until the end
# ---------------------------------------------------------------------------------------------------
class _NumberedCanvas(Canvas):  # type: ignore[misc]
    footer_left = ""
    header_text = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._furniture(total)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 7)
        self.setFillColor(colors.HexColor("#444444"))
        self.drawString(MARGIN, 9 * mm, self.footer_left)
        page_w, page_h = self._pagesize
        self.drawRightString(page_w - MARGIN, 9 * mm, f"page {self._pageNumber} of {total}")
        if self._pageNumber > 1:
            self.drawString(MARGIN, page_h - 10 * mm, self.header_text)
        self.setStrokeColor(colors.HexColor("#999999"))
        self.setLineWidth(0.3)
        self.line(MARGIN, 12 * mm, page_w - MARGIN, 12 * mm)
        self.restoreState()


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


# ---------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------
def _markup(text: str) -> str:
    """Paragraph markup for plain text: escaped, line breaks kept, and runs of characters that the main
    font lacks (Chinese, Japanese, Korean) set in the CID font that PDF readers provide for them."""
    if FALLBACK_FONT is None or all(ord(ch) in _COVERED or ch == "\n" for ch in text):
        return escape(text).replace("\n", "<br/>")
    out: list[str] = []
    run: list[str] = []
    run_font: str | None = None
    for ch in text + "\0":
        font = None if ch in "\0\n" or ord(ch) in _COVERED or ch.isspace() else _fallback_for(ch)
        if ch == "\0" or (run and font != run_font):
            body = escape("".join(run)).replace("\n", "<br/>")
            out.append(f'<font name="{run_font}">{body}</font>' if run_font else body)
            run = []
        run.append(ch)
        run_font = font
    return "".join(out)


def _fallback_for(ch: str) -> str | None:
    o = ord(ch)
    if HANGUL_FONT and (0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F):
        return HANGUL_FONT
    return FALLBACK_FONT


def _p(text: str, style: ParagraphStyle = STYLE_BODY) -> Paragraph:
    return Paragraph(_markup(text), style)


def _needs_fallback(text: str) -> bool:
    return FALLBACK_FONT is not None and any(ord(ch) not in _COVERED and not ch.isspace() for ch in text)


def _text_width(text: str, font: str, size: float) -> float:
    """The printed width of ``text``, counting characters the font lacks in their fallback CID font."""
    if not _needs_fallback(text):
        return float(stringWidth(text, font, size))
    return float(sum(stringWidth(ch, font if ord(ch) in _COVERED or ch.isspace() else _fallback_for(ch) or font, size)
                     for ch in text))


def _fit_columns(data: list[list[str]], wrap: Sequence[int] = (), frame_w: float = FRAME_W
                 ) -> tuple[float, list[float]]:
    """Font size and column widths so that the table fits the frame.

    Columns not in ``wrap`` keep every cell on one line; ``wrap`` columns get the width left over
    (at least WRAP_MIN_W) and their cells are broken into lines by :func:`_wrap_cell`.
    """
    pad = 4.5
    natural = [0.0] * len(data[0])
    for ci in range(len(natural)):
        # the font's digits share one width, so the widest cell is among the longest: measure those only
        cells = sorted((row[ci] for row in data[1:]), key=len, reverse=True)[:40]
        natural[ci] = max([_text_width(data[0][ci], FONT_BOLD, TABLE_FONT)]
                          + [_text_width(c, FONT, TABLE_FONT) for c in cells])
    fixed = [w for ci, w in enumerate(natural) if ci not in wrap]
    # a wrapping column needs its longest unbreakable word, and at least WRAP_MIN_W
    least = {ci: min(natural[ci], max(WRAP_MIN_W, max(
        (_text_width(tok, FONT, TABLE_FONT) for tok in {t for row in data[1:] for t in _TOKEN.findall(row[ci])}),
        default=0.0))) for ci in wrap}
    size = TABLE_FONT
    need = sum(fixed) + sum(least.values())
    room = frame_w - pad * len(natural)
    if need > room:
        size = max(TABLE_FONT_MIN, TABLE_FONT * room / need)
    scale = size / TABLE_FONT
    widths = [w * scale + pad for w in natural]
    if wrap:
        left = frame_w - sum(widths[ci] for ci in range(len(natural)) if ci not in wrap)
        share = sum(widths[ci] for ci in wrap)
        for ci in wrap:
            widths[ci] = min(widths[ci], max(least[ci] * scale + pad, left * widths[ci] / share))
    spare = frame_w - sum(widths)
    if spare > 0:  # share the spare width, proportionally, so the table spans the frame
        widths = [w + spare * w / sum(widths) for w in widths]
    return size, widths


def _wrap_cell(text: str, width: float, size: float) -> str:
    """Break ``text`` after ';', ',' or spaces into lines no wider than ``width``."""
    if _text_width(text, FONT, size) <= width:
        return text
    tokens = _TOKEN.findall(text)
    lines: list[str] = []
    line = ""
    for tok in tokens:
        if line and _text_width(line + tok.rstrip(), FONT, size) > width:
            lines.append(line.rstrip())
            line = ""
        line += tok
    if line:
        lines.append(line.rstrip())
    return "\n".join(lines)


def _table_flowable(t: Table, frame_w: float = FRAME_W) -> list[Flowable]:
    out: list[Flowable] = []
    if not t.rows:
        out.append(_p(t.empty_text))
        if t.caption:
            out.append(_p(t.caption, STYLE_CAPTION))
        return out
    data: list[list[Any]] = [list(t.columns)] + [[str(c) for c in r] for r in t.rows]
    size, widths = _fit_columns(data, t.wrap, frame_w)
    line_h = size * 1.18
    base_h = max(TABLE_ROW_H * size / TABLE_FONT, size + 2.6)
    heights = [base_h] * len(data)
    for ci in t.wrap:
        inner = widths[ci] - 4.5
        for ri in range(1, len(data)):
            cell = _wrap_cell(data[ri][ci], inner, size)
            if cell is not data[ri][ci]:
                data[ri][ci] = cell
                heights[ri] = max(heights[ri], line_h * (cell.count("\n") + 1) + 3.5)
    style = [
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, size),
        ("FONT", (0, 1), (-1, -1), FONT, size, line_h),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe6ee")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#30475e")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.15, colors.HexColor("#c8c8c8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for c in t.numeric:
        style.append(("ALIGN", (c, 0), (c, -1), "RIGHT"))
    # a cell with Chinese, Japanese or Korean text becomes a one-cell paragraph, so that those runs are
    # set in the CID fallback font (a plain cell has one font)
    cell_styles = [ParagraphStyle("kt-cell-head", fontName=FONT_BOLD, fontSize=size, leading=line_h),
                   ParagraphStyle("kt-cell", fontName=FONT, fontSize=size, leading=line_h)]
    for ri, row in enumerate(data):
        for ci, cell in enumerate(row):
            if _needs_fallback(cell):
                align = TA_RIGHT if ci in t.numeric else TA_LEFT
                row[ci] = Paragraph(_markup(cell), ParagraphStyle(f"kt-cell-{ri > 0}-{align}",
                                                                  parent=cell_styles[ri > 0], alignment=align))
    table = LongTable(data, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    out.append(table)
    if t.caption:
        out.append(Spacer(1, 2))
        out.append(_p(t.caption, STYLE_CAPTION))
    return out


def _kv_flowable(kv: KeyValues) -> Flowable:
    data = [[Paragraph(_markup(k), STYLE_KV_KEY), Paragraph(_markup(v), STYLE_BODY)]
            for k, v in kv.items]
    table = LongTable(data, colWidths=[FRAME_W * 0.28, FRAME_W * 0.72], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _section_flowables(section: Section, level: int, frame_w: float = FRAME_W,
                       fresh_page: bool = False) -> list[Flowable]:
    out: list[Flowable] = []
    if section.new_page and not fresh_page:
        out.append(PageBreak())
    elif not fresh_page:
        out.append(CondPageBreak(40 * mm))
    out.append(_p(section.title, STYLE_H1 if level == 0 else STYLE_H2))
    for block in section.blocks:
        if isinstance(block, Section):
            out.extend(_section_flowables(block, level + 1, frame_w))
        elif isinstance(block, Para):
            out.append(_p(block.text, STYLE_SMALL if block.small else STYLE_BODY))
            out.append(Spacer(1, 3))
        elif isinstance(block, KeyValues):
            out.append(_kv_flowable(block))
            out.append(Spacer(1, 4))
        elif isinstance(block, Table):
            out.extend(_table_flowable(block, frame_w))
            out.append(Spacer(1, 6))
        else:
            out.append(KeepTogether([block.drawing, Spacer(1, 2), _p(block.caption, STYLE_CAPTION)]))
            out.append(Spacer(1, 6))
    return out


def render(doc: ReportDocument) -> bytes:
    """Lay the document out and return the PDF bytes (unsigned)."""
    buf = io.BytesIO()
    ident = " · ".join(f"{k} {v}" for k, v in doc.identifiers[:2])
    template = BaseDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=BOTTOM,
        title=doc.title, author=doc.author, subject=doc.subtitle, creator="keytrace (reportlab)",
        invariant=False)
    wide_w, wide_h = landscape(A4)
    template.addPageTemplates([
        PageTemplate(id="portrait", pagesize=A4, frames=[Frame(
            MARGIN, BOTTOM, FRAME_W, PAGE_H - MARGIN - BOTTOM, 0, 0, 0, 0, id="portrait")]),
        PageTemplate(id="landscape", pagesize=(wide_w, wide_h), frames=[Frame(
            MARGIN, BOTTOM, LANDSCAPE_FRAME_W, wide_h - MARGIN - BOTTOM, 0, 0, 0, 0, id="landscape")]),
    ])
    canvas_cls = type("_ReportCanvas", (_NumberedCanvas,), {
        "footer_left": f"keytrace · {ident} · generated {_iso(doc.generated_at)}",
        "header_text": f"{doc.title} · {ident}",
    })
    story: list[Flowable] = [Spacer(1, 30 * mm), _p(doc.title, STYLE_TITLE), Spacer(1, 4),
                             _p(doc.subtitle, STYLE_H2), Spacer(1, 10)]
    story.append(_kv_flowable(KeyValues([*doc.identifiers, ("Generated", _iso(doc.generated_at))])))
    story.append(Spacer(1, 10))
    for note in doc.cover_notes:
        story.append(_p(note))
        story.append(Spacer(1, 4))
    story.append(Spacer(1, 8))
    story.append(_p("Contents", STYLE_H2))
    contents = [s.title for s in doc.sections] + [f"Appendix: {a.title}" for a in doc.appendices]
    story.append(_p("\n".join(f"{i}. {t}" for i, t in enumerate(contents, 1))))
    story.append(PageBreak())
    fresh = True  # the contents page break leaves us at the top of a page
    for section in [*doc.sections, *(Section(f"Appendix: {a.title}", a.blocks, new_page=True)
                                     for a in doc.appendices)]:
        if section.landscape:
            if not fresh:
                story.append(NextPageTemplate("landscape"))
                story.append(PageBreak())
            else:  # already on a fresh portrait page: nothing drawn yet, switch this very break
                story.insert(len(story) - 1, NextPageTemplate("landscape"))
            story.extend(_section_flowables(section, 0, LANDSCAPE_FRAME_W, fresh_page=True))
            story.append(NextPageTemplate("portrait"))
            story.append(PageBreak())
            fresh = True
        else:
            story.extend(_section_flowables(section, 0, FRAME_W, fresh_page=fresh))
            fresh = False
    template.build(story, canvasmaker=canvas_cls)
    return buf.getvalue()


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    description: str
    mime_type: str = "text/csv"


def attach(pdf_bytes: bytes, files: Sequence[Attachment]) -> bytes:
    """Return the PDF with ``files`` embedded (PDF embedded files, in an incremental update)."""
    if not files:
        return pdf_bytes
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    for f in files:
        data = embed.EmbeddedFileObject.from_file_data(writer, data=f.data, mime_type=f.mime_type)
        embed.embed_file(writer, embed.FileSpec(file_spec_string=f.name, file_name=f.name, embedded_data=data,
                                                description=f.description))
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()
