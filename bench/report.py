"""Benchmark: a signed claim report for a claim with N unauthorised trades (target: 5,000 in <= 15 s).

Builds a case in a temporary workspace (tests/reports/casebuilder.py: N unauthorised trades, reference
prices, a leak, a trace), makes the workspace's trial signing certificate, then times
`reports.generate.claim_report` end to end: gathering the facts through the queries, laying out the
PDF (every trade in a table that paginates), signing it (PAdES) and recording it (evidence store,
custody log, audit trail). Prints the time, the pages, the size and the ratio to the 15 s limit, and
checks that the signature validates.

Usage: nice -n 10 uv run python bench/report.py [--trades 5000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from core.config import load_settings  # noqa: E402
from core.workspace import Workspace  # noqa: E402
from reports import generate, sign  # noqa: E402
from tests.reports.casebuilder import build_case  # noqa: E402

LIMIT_S = 15.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trades", type=int, default=5000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kt-bench-report-") as tmp:
        root = Path(tmp)
        ws = Workspace(load_settings(root / "bench.duckdb", env={}))
        ws.init()
        (root / "src").mkdir()
        case = build_case(ws, root / "src", n_trades=args.trades)
        sign.create_self_signed(ws)
        out = root / "claim.pdf"
        start, cpu_start = time.perf_counter(), time.process_time()
        result = generate.claim_report(ws, case.claim_id, out, actor="bench")
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        pages = len(PdfReader(str(out)).pages)
        check = sign.verify_pdf(out.read_bytes(), [sign.signer_certificate_pem(sign.signing_identity(ws, env={}))])
    print(f"signed claim report: {args.trades} unauthorised trades, {pages} pages, {result.size_bytes:,} bytes")
    print(f"time {elapsed:.2f} s (limit {LIMIT_S:.0f} s; ratio {elapsed / LIMIT_S:.2f}); CPU {cpu:.2f} s "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); signature {check.summary}")
    ok = elapsed <= LIMIT_S and check.intact and check.valid
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
