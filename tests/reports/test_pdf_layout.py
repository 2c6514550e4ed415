"""The layout engine: tables that paginate with their header on every page, cells never cut, page N of M."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

from pypdf import PdfReader

from reports import charts, pdf


def _pages(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_long_table_repeats_its_header_and_keeps_every_row_in_order() -> None:
    rows = [[f"row-{i:04d}", "0x" + f"{i:064x}", str(Decimal(i) / 7)[:14], "CODE_A;CODE_B;CODE_C;" * (1 + i % 4)]
            for i in range(400)]
    doc = pdf.ReportDocument(
        "Layout test", "tables", [("Case", "T-1"), ("Claim", "9")], datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        [pdf.Section("Big table", [pdf.Table(["label", "hash", "amount", "reasons"], rows, numeric=[2], wrap=[3])])])
    pages = _pages(pdf.render(doc))
    assert len(pages) >= 4
    table_pages = [p for p in pages if "row-" in p]
    assert len(table_pages) >= 3
    for p in table_pages:
        assert "label hash amount reasons" in p  # the header row, on every page the table runs over
    found = [int(tok[4:8]) for p in table_pages for tok in p.split() if tok.startswith("row-")]
    assert found == list(range(400))
    text = " ".join(pages)
    for i in range(400):
        assert "0x" + f"{i:064x}" in text  # 66-character hashes are never cut
    assert text.replace("; ", ";").count("CODE_A;CODE_B;CODE_C;") == sum(1 + i % 4 for i in range(400))
    for n, p in enumerate(pages, 1):
        assert p.endswith(f"page {n} of {len(pages)}") or f"page {n} of {len(pages)}" in p
        assert "generated 2024-01-02 03:04:05 UTC" in p


def test_charts_draw_their_labels_as_text() -> None:
    t0 = datetime(2022, 12, 1, tzinfo=UTC)
    ref = [(t0.replace(hour=h), Decimal("0.1") + Decimal(h) / 100) for h in range(10)]
    trades = [(t0.replace(hour=5), Decimal("0.5"), True), (t0.replace(hour=2), Decimal("0.1"), False)]
    nodes = [charts.FlowNode("a", "seed 0xaaa", 0, "seed"), charts.FlowNode("b", "Binance 0xbbb", 1, "cash_out")]
    doc = pdf.ReportDocument("Charts", "c", [("Case", "T")], t0, [pdf.Section("Figures", [
        pdf.Chart(charts.price_chart("XYZ/USDT", ref, trades, "kucoin 1h"), "Figure 1"),
        pdf.Chart(charts.balance_chart("U1", {"USDT": [(t0, Decimal(5)), (t0.replace(hour=3), Decimal(1))]}), "Figure 2"),
        pdf.Chart(charts.flow_diagram(nodes, [charts.FlowEdge("a", "b", "12.5 USDT")], "flow"), "Figure 3"),
        pdf.Chart(charts.price_chart("EMPTY/USDT", [], [], "none"), "Figure 4")])])
    text = " ".join(_pages(pdf.render(doc)))
    for label in ("XYZ/USDT: trade prices against the reference price", "reference close (kucoin 1h)",
                  "unauthorised trades", "Account U1: balance per asset over time", "seed 0xaaa", "Binance 0xbbb",
                  "12.5 USDT", "EMPTY/USDT: no prices or trades to draw", "Figure 3"):
        assert label in text, label


def test_landscape_section_gets_its_own_wide_pages() -> None:
    rows = [[f"r{i}", "x" * 40, "CODE;" * 30] for i in range(120)]
    doc = pdf.ReportDocument("Wide", "w", [("Case", "W")], datetime(2024, 1, 1, tzinfo=UTC), [
        pdf.Section("Before", [pdf.Para("portrait text")]),
        pdf.Section("Wide table", [pdf.Table(["id", "text", "codes"], rows, wrap=[2])], new_page=True,
                    landscape=True),
        pdf.Section("After", [pdf.Para("portrait again")], new_page=True)])
    reader = PdfReader(io.BytesIO(pdf.render(doc)))
    shapes = []
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        text = " ".join((page.extract_text() or "").split())
        shapes.append(("landscape" if w > h else "portrait", text))
    wide = [t for s, t in shapes if s == "landscape"]
    assert len(wide) >= 2 and all("id text codes" in t for t in wide)
    assert all(t.strip() for _, t in shapes)  # no blank page around the switch
    assert [s for s, t in shapes if "portrait text" in t] == ["portrait"]
    after = [s for s, t in shapes if "portrait again" in t]
    assert after == ["portrait"]
    n = len(shapes)
    assert all(f"page {i} of {n}" in t for i, (_, t) in enumerate(shapes, 1))


def test_names_in_any_script_print_as_written() -> None:
    names = "Иван Петров · Ελένη Παπαδοπούλου · 李小龍 · 김민준 · さくら · Zoë Ørsted & <Co>"
    doc = pdf.ReportDocument("Names", "n", [("Case", "N-1")], datetime(2024, 1, 1, tzinfo=UTC), [
        pdf.Section("Claimant", [pdf.KeyValues([("Name", names)]), pdf.Para(f"Statement by {names}")])])
    text = " ".join(_pages(pdf.render(doc)))
    assert text.count(names) == 2


def test_table_cells_in_chinese_japanese_and_korean_print_as_written() -> None:
    rows = [["火币 Global (Huobi)", "0x" + "ab" * 20, "12.5", "出金 ; 交換所 ; 거래소 ; " * 6],
            ["Binance", "0x" + "cd" * 20, "3", "plain"]]
    doc = pdf.ReportDocument("Cash-out", "c", [("Case", "C-1")], datetime(2024, 1, 1, tzinfo=UTC), [
        pdf.Section("Cash-out points", [pdf.Table(["取引所 label", "address", "amount", "notes"], rows,
                                                  numeric=[2], wrap=[3])])])
    data = pdf.render(doc)
    text = " ".join(_pages(data))
    assert text.count("火币 Global (Huobi)") == 1 and "取引所 label" in text
    assert text.replace(" ", "").count("出金;交換所;거래소;") == 6
    assert "0x" + "ab" * 20 in text and "0x" + "cd" * 20 in text
    fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(data)).pages
             for f in page["/Resources"]["/Font"].values()}
    assert {"/STSong-Light", "/HYSMyeongJo-Medium"} <= fonts   # the CJK runs are set in the CID fonts
