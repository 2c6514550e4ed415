"""The documentation keeps up with the code: every command, detection setting, configuration table and
format is documented, every exception is in the tree, and every query's header names its grain and its
parameters."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from app.cli import build_parser
from core.config import SECTIONS
from ingest.formats.base import registry
from queries.detect import DEFAULTS
from queries.reasons import REASONS

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "README.md").read_text() + "".join(p.read_text() for p in sorted((ROOT / "docs").glob("*.md")))
QUERY_FILES = sorted((ROOT / "queries" / "sql").rglob("*.sql"))
SQL_FILES = QUERY_FILES + sorted((ROOT / "ingest" / "sql" / "reconcile").glob("*.sql"))


def _commands() -> list[str]:
    out = []
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
                out += [f"{name} {s}" for s in nested[0].choices] if nested else [name]
    return out


def test_every_command_is_documented() -> None:
    commands = _commands()
    assert len(commands) > 25
    missing = [c for c in commands if f"`keytrace {c}`" not in DOCS]
    assert not missing, missing


def test_every_detection_setting_and_configuration_table_is_documented() -> None:
    assert not [k for k in DEFAULTS if f"`{k}`" not in DOCS]
    assert not [t for t in SECTIONS if f"[{t}]" not in DOCS]


def test_every_format_is_in_the_format_list() -> None:
    listed = (ROOT / "docs" / "ingest.md").read_text()
    assert not [s.name for s in registry() if f"`{s.name}`" not in listed]


@pytest.mark.parametrize("path", [str(p.relative_to(ROOT)) for p in SQL_FILES])
def test_every_query_header_names_its_grain_and_parameters(path: str) -> None:
    head = []
    for line in (ROOT / path).read_text().splitlines():
        if not line.startswith("--"):
            break
        head.append(line)
    text = "\n".join(head)
    assert len(head) >= 2, f"{path} has no header comment"
    assert re.search(r"\bgrain\b", text, re.I), f"{path}: the header does not name the grain"
    assert re.search(r"\bparam(eter)?s?\b", text, re.I), f"{path}: the header does not name the parameters"


def test_every_query_is_asked_by_the_product() -> None:
    """No query of queries/sql is dead: each is named by the code that asks it (detection steps and audits
    are run by folder), and every folder is one of the flow's that the runner documents."""
    from queries import runner

    code = "".join(p.read_text() for d in ("app", "queries", "reports", "ingest", "incident_demo")
                   for p in (ROOT / d).rglob("*.py"))
    folders = {p.parent.name for p in QUERY_FILES}
    assert folders == {"detect", "trace", "claims", "report", "pages", "exports", "audits"}
    assert not [f for f in folders if f"``{f}/``" not in (runner.__doc__ or "")]
    names = [str(p.relative_to(ROOT / "queries" / "sql").with_suffix("")) for p in QUERY_FILES]
    unasked = [n for n in names if n.split("/")[0] not in ("detect", "audits") and f'"{n}"' not in code]
    assert not unasked, unasked


def test_every_file_the_docs_and_the_code_name_exists() -> None:
    """A path of this repository that the docs, a docstring, a comment or a query header names (a module, a
    page, a query, a fixture) is a file of the repository: renamed files leave no stale pointers. (Applied
    migrations are history and never change, so their comments are not read.)"""
    tops = "|".join(p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith("."))
    path = re.compile(rf"(?<![\w/.-])((?:{tops})/(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-]+\.(?:sql|py|md|csv|json|toml))")
    texts = {"docs": DOCS}
    for folder in ("app", "core", "ingest", "queries", "reports", "incident_demo", "bench", "tests", "scripts"):
        for f in sorted((ROOT / folder).rglob("*")):
            if f.suffix in (".py", ".sql", "") and f.is_file() and not {"__pycache__", "migrations"} & set(f.parts):
                texts[str(f.relative_to(ROOT))] = f.read_text(errors="replace")
    named = {(where, n) for where, text in texts.items() for n in path.findall(text)}
    assert len(named) > 50
    assert not sorted((where, n) for where, n in named if not (ROOT / n).exists())


def test_every_reason_code_is_documented_with_its_points() -> None:
    listed = (ROOT / "docs" / "detection.md").read_text()
    rows = dict(re.findall(r"^\| `([A-Z_]+)` \| (\d+) \|", listed, re.MULTILINE))
    assert rows == {code: str(points) for code, (points, _text) in REASONS.items()}
