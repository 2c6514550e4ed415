"""The drawings of keytrace's reports (reportlab graphics: vector, so their labels stay searchable text):
a price chart with flagged trades marked, a balance chart, a fund-flow diagram with cash-out points and
a campaign timeline. Float coordinates are for drawing only; every figure printed in text stays exact.
:mod:`reports.pdf` lays them out as :class:`reports.pdf.Chart` s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from reports.pdf import FONT, FONT_BOLD, FRAME_W

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
