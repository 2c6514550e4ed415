"""keytrace export parquet DIR / keytrace import parquet DIR: the canonical tables as Hive-partitioned Parquet.

The layout (which tables, which partitions, manifest.json) is ``queries.engines.schema``; it is what
`keytrace detect --engine spark --input DIR` and `keytrace trace --engine spark --input DIR` read, and
what a cluster job finds on HDFS or object storage after copying DIR there. Export reads the database
under a shared lock and writes nothing into it. Import adds, in one write transaction with an audit
record, only the rows whose key is not in the database yet, so importing the same folder twice adds
nothing; a folder that does not match the schema is refused with the database left as it was.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import duckdb

from app.cli import add_json_flag, emit, require_folder_of
from core import audit
from core.db import utcnow
from core.errors import InputError
from core.workspace import Workspace
from ingest.load import EXECUTION_KINDS
from ingest.reconcile import reconcile
from queries.engines.schema import DERIVED, FORMAT_VERSION, TABLES, ParquetTable, exchanged_columns


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import", help="add rows from a Parquet export to the database",
        description="Import canonical tables written by `keytrace export parquet DIR` (from this or another "
                    "keytrace database). Only rows not yet in the database are added, in one transaction, "
                    "with their provenance columns; importing the same folder again adds nothing.",
        epilog="Example: keytrace --db case.duckdb import parquet /data/keytrace-parquet --json")
    kinds = p.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    q = kinds.add_parser("parquet", help="a folder written by `keytrace export parquet`",
                         description="Import a keytrace Parquet folder (manifest.json and one folder per table).",
                         epilog="Example: keytrace --db case.duckdb import parquet /data/keytrace-parquet")
    q.add_argument("dir", type=Path, metavar="DIR", help="folder written by `keytrace export parquet`")
    add_json_flag(q)
    q.set_defaults(func=run_import)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export_parquet(ws: Workspace, out: Path) -> dict[str, Any]:
    """Write every table of the layout under ``out`` (which must be empty or new); the manifest."""
    out = out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out} is not an empty folder; give `keytrace export parquet` a new folder")
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"format": "keytrace-parquet", "version": FORMAT_VERSION,
                                "exported_at": utcnow().isoformat(), "tables": {}}
    with ws.db.read() as con:
        for t in TABLES:
            cols = exchanged_columns(t)
            parts = [c for c, _ in t.partition]
            select = [_ident(c) for c, _ in cols if c not in parts]
            select += [f"{expr} AS {_ident(c)}" for c, expr in t.partition]
            sql = f"SELECT {', '.join(select)} FROM {_ident(t.source)}"
            if t.columns is not None:
                sql += " WHERE " + " AND ".join(f"{_ident(c)} IS NOT NULL" for c in t.columns)
            n = int(con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0])
            target = out / t.name
            if n and parts:
                con.execute(f"COPY ({sql}) TO '{_sql_path(target)}' (FORMAT parquet, COMPRESSION zstd, "
                            f"PARTITION_BY ({', '.join(_ident(c) for c in parts)}))").fetchall()
            elif n:
                target.mkdir()
                con.execute(f"COPY ({sql}) TO '{_sql_path(target / 'part-0.parquet')}' "
                            "(FORMAT parquet, COMPRESSION zstd)").fetchall()
            manifest["tables"][t.name] = {
                "source": t.source, "rows": n, "partitioned_by": parts, "key": list(t.key),
                "importable": t.importable,
                "columns": [{"name": c, "type": ty} for c, ty in cols]}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.is_file():
        raise InputError(f"{folder} holds no manifest.json; it was not written by `keytrace export parquet`")
    try:
        data = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not valid JSON ({exc})", file=str(path)) from exc
    if not isinstance(data, dict) or data.get("format") != "keytrace-parquet" or not isinstance(
            data.get("tables"), dict):
        raise InputError(f"{path} is not a keytrace Parquet manifest", file=str(path))
    if data.get("version") != FORMAT_VERSION:
        raise InputError(f"{path} has layout version {data.get('version')!r}; this keytrace reads "
                         f"version {FORMAT_VERSION}", file=str(path))
    return data


def _import_table(con: duckdb.DuckDBPyConnection, folder: Path, t: ParquetTable, entry: dict[str, Any]) -> int:
    cols = exchanged_columns(t)
    listed = [(c.get("name"), c.get("type")) for c in entry.get("columns", [])]
    if listed != cols:
        raise InputError(f"{folder / 'manifest.json'} lists other columns for {t.name} than this database has; "
                         "export again with this keytrace version", file=str(folder / "manifest.json"))
    if int(entry.get("rows", 0)) == 0:
        return 0
    files = sorted((folder / t.name).rglob("*.parquet"))
    if not files:
        raise InputError(f"{folder / t.name} holds no Parquet file although the manifest lists "
                         f"{entry['rows']} rows", file=str(folder / t.name))
    pattern = _sql_path(folder / t.name) + ("/**/*.parquet" if t.partition else "/*.parquet")
    src = f"read_parquet('{pattern}', hive_partitioning = {'true' if t.partition else 'false'})"
    select = [f"CAST({_ident(c)} AS {ty}) AS {_ident(c)}" for c, ty in cols]
    select += [f"{expr} AS {_ident(c)}" for c, expr in DERIVED.get(t.name, {}).items()]
    key_match = " AND ".join(f"x.{_ident(k)} IS NOT DISTINCT FROM s.{_ident(k)}" for k in t.key)
    before = int(con.execute(f"SELECT count(*) FROM {_ident(t.source)}").fetchall()[0][0])
    try:
        con.execute(f"CREATE TEMP TABLE parquet_src AS SELECT {', '.join(select)} FROM {src}").fetchall()
    except duckdb.Error as exc:
        raise InputError(f"{folder / t.name} could not be read as the {t.name} table: "
                         f"{str(exc).splitlines()[0]}", file=str(folder / t.name)) from exc
    try:
        found = int(con.execute("SELECT count(*) FROM parquet_src").fetchall()[0][0])
        if found != int(entry["rows"]):
            raise InputError(f"{folder / t.name} holds {found} rows but the manifest lists {entry['rows']}",
                             file=str(folder / t.name))
        con.execute(f"INSERT INTO {_ident(t.source)} BY NAME SELECT DISTINCT s.* FROM parquet_src s "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {_ident(t.source)} x WHERE {key_match})").fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS parquet_src").fetchall()
    return int(con.execute(f"SELECT count(*) FROM {_ident(t.source)}").fetchall()[0][0]) - before


def import_parquet(ws: Workspace, folder: Path, actor: str = "cli") -> dict[str, int]:
    """Add the folder's new rows to the database in one transaction; rows added per table."""
    folder = folder.resolve()
    manifest = _read_manifest(folder)
    added: dict[str, int] = {}
    with ws.db.write() as con:
        for t in TABLES:
            entry = manifest["tables"].get(t.name)
            if entry is None:
                raise InputError(f"{folder / 'manifest.json'} does not list the table {t.name}",
                                 file=str(folder / "manifest.json"))
            if t.importable:
                added[t.name] = _import_table(con, folder, t, entry)
        if any(added.get(k) for k in EXECUTION_KINDS):
            reconcile(con)  # executions are derived, never imported: re-derive them from the evidence
        audit.record(con, ws.keys, ws.settings, actor=actor, action="import.parquet",
                     obj=f"parquet:{folder.name}", details={"added": added})
    return added


def run_export(args: argparse.Namespace) -> int:
    require_folder_of(Path(args.dir))
    ws = Workspace.open(args.db)
    manifest = export_parquet(ws, Path(args.dir))
    tables = manifest["tables"]
    text = (f"Wrote {len(tables)} tables as Parquet to {Path(args.dir).resolve()}: "
            + ", ".join(f"{name} {t['rows']}" for name, t in tables.items()) + " rows.")
    emit(args, text, {"dir": str(Path(args.dir).resolve()),
                      "tables": {name: t["rows"] for name, t in tables.items()}})
    return 0


def run_import(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    added = import_parquet(ws, args.dir)
    text = (f"Imported {sum(added.values())} new rows from {args.dir}: "
            + ", ".join(f"{k} {v}" for k, v in added.items()) + ".")
    emit(args, text, {"dir": str(args.dir), "added": added})
    return 0
