"""Which export is this file? Decided from its header line and file name, never from a guess.

:func:`sniff` reads only the first 64 KiB of the file. It refuses, each with one sentence naming the
file: special files (FIFOs, devices, directories), empty files, binary content, empty reports ("No
matching records found."), header-only files, files whose separator is not the exchange's (a sign of
re-saving in a spreadsheet), and files of no known format (the error lists the known formats).
"""

from __future__ import annotations

import csv
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


def sniff_text(text: str, name: str, *, complete: bool) -> Sniffed:
    """Find the format of a file whose first bytes are ``text`` (``complete``: that is the whole file)."""
    lines = text.splitlines()
    if not complete and lines:
        lines = lines[:-1]  # the last line may be cut by the 64 KiB window
    specs = registry()
    nonblank = [(i, ln) for i, ln in enumerate(lines) if ln.strip()]
    if not nonblank:
        raise InputError("the file holds only blank lines; nothing to ingest", file=name)
    for i, line in nonblank[:HEADER_CANDIDATES]:
        raw = tuple(f.replace("\ufeff", "").strip().strip('"').strip() for f in _fields(line, ","))
        head_fields = tuple(normalise_field(f) for f in raw)
        rest = [ln for ln in lines[i + 1:] if ln.strip()]
        head = FileHead(name=name, header=head_fields, raw_header=raw, header_line=i,
                        sample=tuple(tuple(_fields(ln, ",")) for ln in rest[:SAMPLE_ROWS]),
                        preamble=tuple(ln for j, ln in nonblank if j < i))
        for spec in specs:
            if spec.matches(head):
                if rest and all(_is_empty_marker(ln, spec.empty_markers) for ln in rest):
                    raise InputError(f"this {spec.description.split(',')[0]} export is an empty report "
                                     f"({rest[0].strip().strip(',')!r}); nothing to ingest", file=name)
                if not rest:
                    raise InputError(f"this {spec.description.split(',')[0]} export has a header but no rows; "
                                     "nothing to ingest", file=name)
                return Sniffed(spec, head)
    _refuse_unknown(nonblank, name)
    raise AssertionError("unreachable")


def _refuse_unknown(nonblank: list[tuple[int, str]], name: str) -> None:
    first = nonblank[0][1].lstrip("\ufeff")
    for delim, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
        fields = _fields(first, delim)
        if len(fields) < 3:
            continue
        probe = ",".join(normalise_field(f) for f in fields)
        head = FileHead(name=name, header=tuple(probe.split(",")), raw_header=tuple(fields), header_line=0,
                        sample=())
        for spec in registry():
            if spec.matches(head):
                raise InputError(
                    f"this looks like a {spec.description.split(',')[0]} export but its fields are separated "
                    f"by {label}, not commas (was it re-saved by a spreadsheet?); please ingest the file "
                    "exactly as the exchange produced it", file=name)
    if any(_is_empty_marker(ln, ("No matching records found.",)) for _, ln in nonblank):
        raise InputError("the file is an empty report ('No matching records found.'); nothing to ingest",
                         file=name)
    shown = first.strip()[:80]
    raise UnknownFormatError(f"keytrace does not know this format (first line {shown!r}), so it is not a known "
                             f"exchange export; known formats by exchange: {known_format_names()}; "
                             "docs/ingest.md shows each format's header", file=name)


def sniff(path: Path, name: str) -> Sniffed:
    """The format of the CSV file at ``path`` (``name`` is the sanitised original name)."""
    size = check_regular_file(path, name)
    data = read_head(path)
    text = decode_head(data, name, complete=size <= HEAD_BYTES)
    return sniff_text(text, name, complete=size <= HEAD_BYTES)

