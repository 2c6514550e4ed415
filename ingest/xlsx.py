"""Read an XLSX export safely: checked against zip bombs, external links and macros, then streamed.

Binance and KuCoin export some reports as XLSX. Before openpyxl opens one, the zip directory is
checked: at most :data:`MAX_ENTRIES` entries, at most :data:`MAX_UNCOMPRESSED` bytes uncompressed in
total, no entry expanding more than :data:`MAX_RATIO` times, no macros (``vbaProject.bin``), no
external links, no entry names with ``..`` or absolute paths. The first sheet is then read in
openpyxl's read-only (streaming) mode and written out as CSV, which the ordinary CSV path ingests.
Cell values are written as text; a cell holding a formula is refused (exports never contain one).
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

from core.errors import UnsafeFileError

MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED = 2 * 1024**3
MAX_RATIO = 200
MAX_ROWS = 1_100_000


def check_zip(path: Path, name: str) -> None:
    """Refuse zip bombs, macros, external links and path tricks inside an XLSX."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UnsafeFileError("the file starts like an XLSX workbook but is not a valid zip archive",
                              file=name) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise UnsafeFileError(f"the workbook holds {len(infos)} parts (limit {MAX_ENTRIES}); refusing a "
                                  "possible zip bomb", file=name)
        total = 0
        for info in infos:
            entry = info.filename
            if entry.startswith(("/", "\\")) or ".." in entry.replace("\\", "/").split("/"):
                raise UnsafeFileError(f"the workbook holds a part with a path trick ({entry[:60]!r})", file=name)
            lower = entry.lower()
            if "vbaproject" in lower or "vbadata" in lower:
                raise UnsafeFileError("the workbook contains macros; exchange exports never do", file=name)
            if "externallink" in lower:
                raise UnsafeFileError("the workbook links to external files; exchange exports never do",
                                      file=name)
            total += info.file_size
            if total > MAX_UNCOMPRESSED:
                raise UnsafeFileError(f"the workbook expands to more than {MAX_UNCOMPRESSED // 1024**2} MiB; "
                                      "refusing a possible zip bomb", file=name)
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1 << 20:
                raise UnsafeFileError(f"a part of the workbook expands {info.file_size // info.compress_size} "
                                      f"times (limit {MAX_RATIO}); refusing a possible zip bomb", file=name)
        if "[Content_Types].xml" not in zf.namelist() or not any(n.startswith("xl/") for n in zf.namelist()):
            raise UnsafeFileError("the zip archive is not an XLSX workbook", file=name)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        # openpyxl gives floats for numeric cells; repr is the shortest exact round-trip of the stored double
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def xlsx_to_csv(path: Path, out: Path, name: str) -> Path:
    """Write the first sheet of a checked workbook to ``out`` as CSV and return ``out``."""
    check_zip(path, name)
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise UnsafeFileError(f"the file holds an Excel workbook but is named {path.suffix or 'without'!s} "
                                  "instead of .xlsx, so it cannot be read as one; ingest the export under its "
                                  "original .xlsx name", file=name) from None
        raise UnsafeFileError("the file is not a readable Excel workbook (it is damaged, or it is not an .xlsx "
                              "file)", file=name) from None
    try:
        sheet = wb.worksheets[0]
        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            header: list[str] | None = None  # the first non-empty row; data rows count from the one after it
            header_n = 0
            for n, row in enumerate(sheet.iter_rows(), start=1):
                if n > MAX_ROWS:
                    raise UnsafeFileError(f"the workbook has more than {MAX_ROWS} rows", file=name)
                for col, cell in enumerate(row, start=1):
                    if getattr(cell, "data_type", None) == "f":
                        named = header[col - 1] if header is not None and col <= len(header) else ""
                        raise UnsafeFileError("the workbook holds a formula; exchange exports never do", file=name,
                                              row=n - header_n if header is not None else None,
                                              column=named or f"{get_column_letter(col)} (spreadsheet column)")
                cells = [_text(getattr(cell, "value", None)) for cell in row]
                if header is None and any(c.strip() for c in cells):
                    header, header_n = [c.strip() for c in cells], n
                while cells and cells[-1] == "":
                    cells.pop()
                writer.writerow(cells)
    finally:
        wb.close()
    return out

