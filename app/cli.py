"""The ``keytrace`` command line (contract: ../shared/ARCHITECTURE.md, "The command line").

Each subcommand lives in ``app/commands/<name>.py`` and exposes ``register(subparsers)``; this module
discovers them, so a new command needs no edit here. Exit status: 0 on success, 1 on bad input (one
sentence on stderr), 2 on wrong usage. ``--json`` prints machine-readable results on stdout.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import json
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.errors import InputError, KeytraceError, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own usage errors exit 2 with one sentence
        self.print_usage(sys.stderr)
        sys.stderr.write(f"keytrace: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="keytrace",
        description="Incident forensics and victim claims for exchange API-key leaks.",
        epilog="Example: keytrace --db case.duckdb init && keytrace --db case.duckdb demo --no-serve",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", metavar="PATH", default=None,
                        help="database file (default $KEYTRACE_DB, else ./keytrace.duckdb)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    import app.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"app.commands.{info.name}")
        module.register(sub)
    return parser


def add_json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable results on stdout")


def emit(args: argparse.Namespace, text: str, data: Any) -> None:
    """Print ``data`` as JSON when --json was given, else the human sentence."""
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")


def require_folder_of(out: Path) -> None:
    """Refuse, in one sentence, an output path whose folder does not exist (outputs never create folders)."""
    folder = out.expanduser().parent
    if not folder.exists():
        raise InputError(f"the folder {folder} does not exist; create it first or choose another output path")
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; choose another output path")


_DISK_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
_DISK_FULL_TEXT = ("no space left on device", "file too large", "disk quota exceeded")


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        return True
    return type(exc).__module__.startswith(("duckdb", "_duckdb")) and \
        any(t in str(exc).lower() for t in _DISK_FULL_TEXT)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        sys.stderr.write(f"keytrace: {exc}\n")
        return 2
    except KeytraceError as exc:
        sys.stderr.write(f"keytrace: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("keytrace: interrupted; nothing half-written was kept\n")
        return 130
    except Exception as exc:
        if not _disk_full(exc):
            raise
        # every write is one transaction, so the failed one was rolled back; say so in one sentence
        sys.stderr.write("keytrace: the disk is full (or a file-size limit was reached); nothing was stored, "
                         "free some space and run the command again\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
