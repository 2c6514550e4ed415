"""keytrace app: serve the Streamlit app on 127.0.0.1."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from core.workspace import Workspace
from ingest.reconcile import derive_after_upgrade


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("app", help="serve the app on 127.0.0.1",
                       description="Serve the keytrace Streamlit app on 127.0.0.1 for the database given.",
                       epilog="Example: keytrace --db case.duckdb app --port 8501")
    p.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    p.set_defaults(func=run)


def serve(db_path: Path, port: int) -> int:
    """Run Streamlit in the foreground until interrupted; returns its exit status."""
    script = Path(__file__).resolve().parent.parent / "streamlit_app.py"
    env = dict(os.environ, KEYTRACE_DB=str(db_path))
    cmd = [sys.executable, "-m", "streamlit", "run", str(script),
           "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           "--server.maxUploadSize", "200", "--global.developmentMode", "false",
           "--client.showErrorDetails", "none",  # no traceback reaches a victim's browser (the server logs it)
           "--client.toolbarMode", "minimal"]
    sys.stderr.write(f"keytrace: serving {db_path.name} on http://127.0.0.1:{port}\n")
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


def run(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    applied = ws.init()
    derive_after_upgrade(ws, applied)  # an older database's evidence gets its executions
    return serve(ws.settings.db_path, args.port)
