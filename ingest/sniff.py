"""Which export is this file? Decided from its header line and file name, never from a guess.

:func:`sniff` reads only the first 64 KiB of the file. It refuses, each with one sentence naming the
file: special files (FIFOs, devices, directories), empty files, binary content, empty reports ("No
matching records found."), header-only files, files whose separator is not the one said (``--delimiter``,
a comma by default: another one is a sign of re-saving in a spreadsheet, and the error names the flags
that read it), and files of no known format (the error lists the known formats). :func:`detect_resave`
tells when a re-save's separator and decimal mark are unambiguous; :func:`check_number_format` refuses
numbers that disagree with the decimal mark said.
"""

from __future__ import annotations

import csv
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from core.errors import InputError, UnknownFormatError, UnsafeFileError
from ingest.formats.base import FileHead, FormatSpec, known_format_names, normalise_field, registry

HEAD_BYTES = 64 * 1024
HEADER_CANDIDATES = 8
SAMPLE_ROWS = 50
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Sniffed:
    spec: FormatSpec
    head: FileHead


def check_regular_file(path: Path, name: str) -> int:
    """The size of ``path``; refuses anything that is not a regular file one can read to its end."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError("the file does not exist", file=name) from None
    except OSError as exc:
        raise InputError(f"the file cannot be read ({exc.strerror})", file=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise UnsafeFileError("this is a folder, not an export file", file=name)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError("this is not a regular file (a device, pipe or socket); refusing to read it",
                              file=name)
    if st.st_size == 0:
        raise InputError("the file is empty (0 bytes); nothing to ingest", file=name)
    return st.st_size


def read_head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES)


def is_xlsx(data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC)


def decode_head(data: bytes, name: str, complete: bool) -> str:
    """The head as text; refuses binary content."""
    if b"\x00" in data:
        raise UnknownFormatError("the file is binary, not a text export (it contains NUL bytes)", file=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the 64 KiB window is fine; anything earlier is not UTF-8
        if complete or exc.start < len(data) - 4:
            raise UnknownFormatError("the file is not UTF-8 text (binary content or another encoding)",
                                     file=name) from None
        text = data[: exc.start].decode("utf-8-sig")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 0:
        raise UnknownFormatError("the file is binary, not a text export (it contains control characters)",
                                 file=name)
    return text


def _fields(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def _is_empty_marker(line: str, spec_markers: tuple[str, ...]) -> bool:
    text = normalise_field(line.replace(",", " ")).strip()
    return any(text.lower() == m.lower().strip() for m in spec_markers)


DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def sniff_text(text: str, name: str, *, complete: bool, delimiter: str = ",") -> Sniffed:
    """Find the format of a file whose first bytes are ``text`` (``complete``: that is the whole file), its
    fields separated by ``delimiter`` (``--delimiter``; a comma unless the user says otherwise)."""
    lines = text.splitlines()
    if not complete and lines:
        lines = lines[:-1]  # the last line may be cut by the 64 KiB window
    specs = registry()
    nonblank = [(i, ln) for i, ln in enumerate(lines) if ln.strip()]
    if not nonblank:
        raise InputError("the file holds only blank lines; nothing to ingest", file=name)
    for i, line in nonblank[:HEADER_CANDIDATES]:
        raw = tuple(f.replace("\ufeff", "").strip().strip('"').strip() for f in _fields(line, delimiter))
        head_fields = tuple(normalise_field(f) for f in raw)
        rest = [ln for ln in lines[i + 1:] if ln.strip()]
        head = FileHead(name=name, header=head_fields, raw_header=raw, header_line=i,
                        sample=tuple(tuple(_fields(ln, delimiter)) for ln in rest[:SAMPLE_ROWS]),
                        delimiter=delimiter, preamble=tuple(ln for j, ln in nonblank if j < i))
        for spec in specs:
            if spec.matches(head):
                if rest and all(_is_empty_marker(ln, spec.empty_markers) for ln in rest):
                    raise InputError(f"this {spec.description.split(',')[0]} export is an empty report "
                                     f"({rest[0].strip().strip(',')!r}); nothing to ingest", file=name)
                if not rest:
                    raise InputError(f"this {spec.description.split(',')[0]} export has a header but no rows; "
                                     "nothing to ingest", file=name)
                return Sniffed(spec, head)
    _refuse_unknown(nonblank, name, delimiter)
    raise AssertionError("unreachable")


def _refuse_unknown(nonblank: list[tuple[int, str]], name: str, given: str = ",") -> None:
    first = nonblank[0][1].lstrip("\ufeff")
    for delim, label in DELIMITERS.items():
        if delim == given:
            continue
        fields = _fields(first, delim)
        if len(fields) < 3:
            continue
        probe = ",".join(normalise_field(f) for f in fields)
        head = FileHead(name=name, header=tuple(probe.split(",")), raw_header=tuple(fields), header_line=0,
                        sample=())
        for spec in registry():
            if spec.matches(head):
                shown = "'\\t'" if delim == "\t" else f"'{delim}'"
                raise InputError(
                    f"this looks like a {spec.description.split(',')[0]} export but its fields are separated "
                    f"by {label}, not {DELIMITERS[given]} (was it re-saved by a spreadsheet?); ingest the file "
                    f"as the exchange produced it, or say how it was saved: --delimiter {shown}, and "
                    "--decimal-comma if its numbers are written like 1.234,56", file=name)
    if any(_is_empty_marker(ln, ("No matching records found.",)) for _, ln in nonblank):
        raise InputError("the file is an empty report ('No matching records found.'); nothing to ingest",
                         file=name)
    shown = first.strip()[:80]
    raise UnknownFormatError(f"keytrace does not know this format (first line {shown!r}), so it is not a known "
                             f"exchange export; known formats by exchange: {known_format_names()}; "
                             "docs/ingest.md shows each format's header", file=name)


_ASSET = r"(\s*[A-Za-z][A-Za-z0-9]*)?\s*$"  # a fused or spaced asset after the number (0,0146BTC, 500,00 EUR)
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,(\d{1,2}|\d{4,})" + _ASSET)  # 0,5  12,25  0,00012 (not 1,234)
_DECIMAL_POINT = re.compile(r"^\s*[-+]?\d+\.(\d{1,2}|\d{4,})" + _ASSET)  # 0.5  12.25  0.00012
_AMBIGUOUS_COMMA = re.compile(r"^\s*[-+]?\d{1,3}(,\d{3})+" + _ASSET)  # 1,234: a thousands group or 1.234?
_AMBIGUOUS_POINT = re.compile(r"^\s*[-+]?\d{1,3}(\.\d{3})+" + _ASSET)  # 1.234: 1234 or 1.234?


def check_number_format(head: FileHead, decimal_comma: bool) -> None:
    """Refuses a file whose first rows write numbers other than the caller said: decimal commas without
    --decimal-comma (``0,5`` would read as 5), decimal points with it (``0.5`` would read as 5), or, in a
    file not separated by commas, ``1,234`` without --decimal-comma (a thousands group or 1.234?)."""
    for n, row in enumerate(head.sample, start=1):
        for i, text in enumerate(row):
            column = head.raw_header[i] if i < len(head.raw_header) else f"field {i + 1}"
            if decimal_comma and _DECIMAL_POINT.match(text):
                raise InputError(f"the number {text.strip()!r} has a decimal point, but --decimal-comma says the "
                                 "file writes decimal commas; leave --decimal-comma out if points are decimal "
                                 "marks", file=head.name, row=n, column=column)
            if not decimal_comma and head.delimiter != "," and _DECIMAL_COMMA.match(text):
                raise InputError(f"the number {text.strip()!r} is written with a decimal comma; pass "
                                 "--decimal-comma to read it (else it would read as "
                                 f"{text.strip().replace(',', '')})", file=head.name, row=n, column=column)
            if not decimal_comma and head.delimiter != "," and _AMBIGUOUS_COMMA.match(text):
                raise InputError(f"the number {text.strip()!r} could be a thousands group or a decimal comma; "
                                 "pass --decimal-comma if the comma is the decimal mark", file=head.name, row=n,
                                 column=column)


def detect_resave(text: str, name: str, *, complete: bool) -> tuple[str, bool] | None:
    """How a spreadsheet re-saved the file, when its head shows it unambiguously: ``(delimiter, decimal_comma)``.

    The delimiter is the one other than a comma under which the header, and only under it, is a known
    format's; the decimal mark is a comma when the first rows hold numbers with a decimal comma (``0,5``)
    and none with a decimal point, a point in the opposite case, and either when they hold only whole
    numbers. Anything else (``1,234`` alone, or both marks) is not unambiguous: None, and the caller refuses
    the file naming the flags."""
    lines = text.splitlines()
    if not complete and lines:
        lines = lines[:-1]
    found: list[tuple[str, Sniffed]] = []
    for delim in DELIMITERS:
        if delim == ",":
            continue
        try:
            found.append((delim, sniff_text("\n".join(lines), name, complete=True, delimiter=delim)))
        except (InputError, UnknownFormatError):
            continue
    if len(found) != 1:
        return None
    delim, sniffed = found[0]
    fields = [f for row in sniffed.head.sample for f in row]
    commas = any(_DECIMAL_COMMA.match(f) for f in fields)
    points = any(_DECIMAL_POINT.match(f) for f in fields)
    if commas and points:
        return None
    if not commas and not points and any(_AMBIGUOUS_COMMA.match(f) or _AMBIGUOUS_POINT.match(f) for f in fields):
        return None
    return delim, commas


def sniff(path: Path, name: str) -> Sniffed:
    """The format of the CSV file at ``path`` (``name`` is the sanitised original name)."""
    size = check_regular_file(path, name)
    data = read_head(path)
    text = decode_head(data, name, complete=size <= HEAD_BYTES)
    return sniff_text(text, name, complete=size <= HEAD_BYTES)

