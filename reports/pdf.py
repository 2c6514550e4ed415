"""The PDF layout engine of keytrace's reports (reportlab).

A report is a :class:`ReportDocument`: a cover (title, the case and claim identifiers, the generation
time), then :class:`Section` s made of paragraphs, key/value lists, tables and charts, then appendices.
Tables repeat their header row on every page they run over; every page carries "page N of M", the
generation time and the report's identifiers. Charts are drawn with reportlab graphics (vector, so
their labels stay searchable text): a price chart with flagged trades marked, a balance chart and a
fund-flow diagram with cash-out points.

Only rendering lives here; :mod:`reports.bundle` gathers the facts and builds the document.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
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


# ---------------------------------------------------------------------------------------------------
# Charts (float coordinates are for drawing only; every figure printed in text stays exact)
# ---------------------------------------------------------------------------------------------------
CHART_W = FRAME_W
CHART_H = 62 * mm
_SERIES_COLOURS = [colors.HexColor(c) for c in ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf",
                                                 "#7f7f7f")]


def _epoch(dt: datetime) -> float:
    return dt.timestamp()


def _time_label(value: float, span: float) -> str:
    dt = datetime.fromtimestamp(value, UTC)
    return dt.strftime("%m-%d %H:%M") if span <= 3 * 86400 else dt.strftime("%Y-%m-%d")


def _short_number(value: float) -> str:
    a = abs(value)
    if a == 0:
        return "0"
    if a >= 1e6:
        return f"{value / 1e6:.3g}M"
    if a >= 1e3:
        return f"{value / 1e3:.3g}k"
    return f"{value:.4g}"


def _empty_chart(message: str) -> Drawing:
    d = Drawing(CHART_W, 20 * mm)
    d.add(Rect(0, 0, CHART_W, 20 * mm, strokeColor=colors.HexColor("#bbbbbb"), fillColor=None,
               strokeWidth=0.4))
    d.add(String(CHART_W / 2, 10 * mm, message, textAnchor="middle", fontName=FONT, fontSize=8))
    return d


def _line_plot(series: Sequence[Sequence[tuple[float, float]]], title: str,
               legend: Sequence[tuple[str, Any]]) -> tuple[Drawing, LinePlot]:
    d = Drawing(CHART_W, CHART_H)
    lp = LinePlot()
    lp.x, lp.y = 42, 28
    lp.width, lp.height = CHART_W - 60, CHART_H - 52
    lp.data = [list(s) for s in series]
    xs = [p[0] for s in series for p in s]
    ys = [p[1] for s in series for p in s]
    xmin, xmax = min(xs), max(xs)
    if xmax == xmin:
        xmin, xmax = xmin - 3600, xmax + 3600
    ymin, ymax = min(ys), max(ys)
    pad = (ymax - ymin) * 0.08 or abs(ymax) * 0.1 or 1.0
    lp.xValueAxis.valueMin, lp.xValueAxis.valueMax = xmin, xmax
    lp.yValueAxis.valueMin, lp.yValueAxis.valueMax = ymin - pad, ymax + pad
    span = xmax - xmin
    lp.xValueAxis.valueSteps = [xmin + span * i / 4 for i in range(5)]
    lp.xValueAxis.labelTextFormat = lambda v: _time_label(v, span)
    lp.xValueAxis.labels.fontSize = 6
    lp.xValueAxis.labels.fontName = FONT
    lp.yValueAxis.labelTextFormat = _short_number
    lp.yValueAxis.labels.fontSize = 6
    lp.yValueAxis.labels.fontName = FONT
    lp.yValueAxis.gridStrokeColor = colors.HexColor("#e4e4e4")
    lp.yValueAxis.visibleGrid = True
    d.add(lp)
    d.add(String(lp.x, CHART_H - 12, title, fontName=FONT_BOLD, fontSize=8))
    lx = lp.x + 4
    for label, colour in legend:
        d.add(Rect(lx, 6, 8, 5, fillColor=colour, strokeColor=None))
        d.add(String(lx + 11, 6, label, fontName=FONT, fontSize=6.5))
        lx += 16 + 3.6 * len(label)
    return d, lp


def price_chart(pair: str, reference: Sequence[tuple[datetime, Decimal]],
                trades: Sequence[tuple[datetime, Decimal, bool]], reference_label: str) -> Drawing:
    """Reference closes as a line; the account's trades as dots, flagged (unauthorised) ones in red."""
    if not reference and not trades:
        return _empty_chart(f"{pair}: no prices or trades to draw")
    series: list[list[tuple[float, float]]] = []
    legend: list[tuple[str, Any]] = []
    ref = [(_epoch(t), float(p)) for t, p in sorted(reference)]
    normal = [(_epoch(t), float(p)) for t, p, flagged in trades if not flagged]
    flagged = [(_epoch(t), float(p)) for t, p, flagged in trades if flagged]
    styles: list[tuple[Any, bool, str | None]] = []
    if ref:
        series.append(ref)
        styles.append((colors.HexColor("#1f77b4"), True, None))
        legend.append((f"reference close ({reference_label})", colors.HexColor("#1f77b4")))
    if normal:
        series.append(normal)
        styles.append((colors.HexColor("#555555"), False, "FilledCircle"))
        legend.append(("account's other trades", colors.HexColor("#555555")))
    if flagged:
        series.append(flagged)
        styles.append((colors.HexColor("#d62728"), False, "FilledTriangle"))
        legend.append(("unauthorised trades", colors.HexColor("#d62728")))
    d, lp = _line_plot(series, f"{pair}: trade prices against the reference price", legend)
    for i, (colour, joined, marker) in enumerate(styles):
        lp.lines[i].strokeColor = colour
        lp.lines[i].strokeWidth = 0.9 if joined else 0
        if marker:
            lp.lines[i].symbol = makeMarker(marker, size=3, fillColor=colour, strokeColor=colour)
    return d


def balance_chart(account: str, balances: Mapping[str, Sequence[tuple[datetime, Decimal]]]) -> Drawing:
    """Each asset's running balance over time (step-free lines through the recorded points)."""
    series = {a: pts for a, pts in balances.items() if pts}
    if not series:
        return _empty_chart(f"{account}: no balance movements recorded")
    names = sorted(series)[: len(_SERIES_COLOURS)]
    data = [[(_epoch(t), float(v)) for t, v in sorted(series[a])] for a in names]
    legend = [(a, _SERIES_COLOURS[i]) for i, a in enumerate(names)]
    d, lp = _line_plot(data, f"Account {account}: balance per asset over time", legend)
    for i in range(len(names)):
        lp.lines[i].strokeColor = _SERIES_COLOURS[i]
        lp.lines[i].strokeWidth = 1
    return d


@dataclass(frozen=True)
class FlowNode:
    key: str
    label: str            # what is printed in the box (e.g. a shortened address)
    hop: int              # column: 0 = the victim's or seed addresses
    kind: str = "address"  # seed | address | cash_out


@dataclass(frozen=True)
class FlowEdge:
    source: str
    target: str
    label: str            # amount text


def flow_diagram(nodes: Sequence[FlowNode], edges: Sequence[FlowEdge], title: str,
                 max_per_column: int = 8) -> Drawing:
    """A left-to-right layered diagram: seeds at the left, one column per hop, cash-out points boxed red."""
    if not nodes:
        return _empty_chart("no fund flow traced")
    columns: dict[int, list[FlowNode]] = {}
    for n in nodes:
        columns.setdefault(n.hop, []).append(n)
    hops = sorted(columns)
    shown: dict[str, tuple[float, float]] = {}
    box_w, box_h = 92.0, 16.0
    height = 22 + (min(max(len(v) for v in columns.values()), max_per_column) + 1) * (box_h + 10)
    d = Drawing(CHART_W, height)
    d.add(String(0, height - 10, title, fontName=FONT_BOLD, fontSize=8))
    gap = (CHART_W - box_w) / max(len(hops) - 1, 1)
    hidden: dict[int, int] = {}
    for ci, hop in enumerate(hops):
        col = sorted(columns[hop], key=lambda n: (n.kind != "cash_out", n.key))
        if len(col) > max_per_column:
            hidden[hop] = len(col) - max_per_column
            col = col[:max_per_column]
        x = ci * gap if len(hops) > 1 else (CHART_W - box_w) / 2
        for ri, n in enumerate(col):
            y = height - 26 - (ri + 1) * (box_h + 10)
            shown[n.key] = (x, y)
            stroke = colors.HexColor("#d62728") if n.kind == "cash_out" else colors.HexColor("#30475e")
            fill = colors.HexColor("#fde2e1") if n.kind == "cash_out" else (
                colors.HexColor("#e8f0e0") if n.kind == "seed" else colors.white)
            d.add(Rect(x, y, box_w, box_h, strokeColor=stroke, fillColor=fill,
                       strokeWidth=1.2 if n.kind == "cash_out" else 0.6))
            d.add(String(x + box_w / 2, y + 5, n.label[:24], textAnchor="middle", fontName=FONT,
                         fontSize=6))
        d.add(String(x + box_w / 2, height - 22, f"hop {hop}" if hop else "seeds", textAnchor="middle",
                     fontName=FONT, fontSize=6.5))
        if hop in hidden:
            d.add(String(x + box_w / 2, 2, f"+{hidden[hop]} more (see table)", textAnchor="middle",
                         fontName=FONT, fontSize=6))
    for e in edges:
        if e.source not in shown or e.target not in shown:
            continue
        (x1, y1), (x2, y2) = shown[e.source], shown[e.target]
        sx, sy = x1 + box_w, y1 + box_h / 2
        tx, ty = x2, y2 + box_h / 2
        if x2 <= x1:  # same column or backwards: route along the bottom of the boxes
            sx, sy, tx, ty = x1 + box_w / 2, y1, x2 + box_w / 2, y2 + box_h
        d.add(Line(sx, sy, tx, ty, strokeColor=colors.HexColor("#777777"), strokeWidth=0.5))
        d.add(Polygon([tx, ty, tx - 4, ty + 2, tx - 4, ty - 2], fillColor=colors.HexColor("#777777"),
                      strokeColor=None))
        if e.label:  # a third of the way along, so that labels of edges meeting at one box do not collide
            d.add(String(sx + (tx - sx) * 0.33, sy + (ty - sy) * 0.33 + 2, e.label[:20], textAnchor="middle",
                         fontName=FONT, fontSize=5.5, fillColor=colors.HexColor("#333333")))
    lx = 120.0
    d.add(Circle(lx, 4, 3, fillColor=colors.HexColor("#fde2e1"), strokeColor=colors.HexColor("#d62728")))
    d.add(String(lx + 6, 2, "cash-out point (labelled exchange or service)", fontName=FONT, fontSize=6))
    return d


@dataclass(frozen=True)
class TimelineBar:
    label: str            # printed left of the bar (e.g. the campaign and its pair)
    start: datetime
    end: datetime
    note: str             # printed right of the bar (e.g. accounts, trades, loss)


def timeline(bars: Sequence[TimelineBar], title: str, max_bars: int = 24) -> Drawing:
    """One horizontal bar per item from its start to its end on a shared time axis (campaign timeline)."""
    if not bars:
        return _empty_chart("nothing to draw on the timeline")
    shown = list(bars)[:max_bars]
    row_h, label_w, note_w = 13.0, 140.0, 175.0
    height = 34 + row_h * len(shown) + (10 if len(bars) > max_bars else 0)
    d = Drawing(CHART_W, height)
    d.add(String(0, height - 10, title, fontName=FONT_BOLD, fontSize=8))
    t0 = min(b.start for b in shown).timestamp()
    t1 = max(b.end for b in shown).timestamp()
    if t1 <= t0:
        t1 = t0 + 3600
    x0, x1 = label_w, CHART_W - note_w
    span = t1 - t0

    def x(ts: float) -> float:
        return float(x0 + (x1 - x0) * (ts - t0) / span)

    axis_y = 14.0
    d.add(Line(x0, axis_y, x1, axis_y, strokeColor=colors.HexColor("#777777"), strokeWidth=0.5))
    for i in range(5):
        tx = t0 + span * i / 4
        d.add(Line(x(tx), axis_y, x(tx), axis_y - 3, strokeColor=colors.HexColor("#777777"), strokeWidth=0.5))
        d.add(String(x(tx), axis_y - 10, _time_label(tx, span), textAnchor="middle", fontName=FONT,
                     fontSize=5.5))
    for i, b in enumerate(shown):
        y = height - 24 - (i + 1) * row_h + 3
        left, right = x(b.start.timestamp()), x(b.end.timestamp())
        d.add(Rect(left, y, max(right - left, 1.5), row_h - 5, fillColor=colors.HexColor("#d62728"),
                   strokeColor=None))
        d.add(String(x0 - 4, y + 1.5, b.label[:34], textAnchor="end", fontName=FONT, fontSize=6))
        d.add(String(x1 + 4, y + 1.5, b.note[:56], fontName=FONT, fontSize=6))
    if len(bars) > max_bars:
        d.add(String(x0, 2, f"+{len(bars) - max_bars} more in the table", fontName=FONT,
                     fontSize=6))
    return d


# ---------------------------------------------------------------------------------------------------
# Attachments: the report's tables as CSV files inside the PDF (so a signature covers them too)
# ---------------------------------------------------------------------------------------------------
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
