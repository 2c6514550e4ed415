"""A hand-made case in a real workspace: one claim, N unauthorised trades, a leak, a trace.

Rows are inserted the way ingest, `keytrace detect` and `keytrace trace` store them (migrations
001-008), with evidence files really stored, so reports read them through their real queries.
Used by tests/reports and bench/report.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from core import evidence
from core.db import utcnow
from core.workspace import Workspace
from ingest.reconcile import reconcile

EXCHANGE = "binance"
ACCOUNT = "UID-7001"
CASE_ID = "CASE-2022-3C"
PAIR = "XYZ/USDT"
START = datetime(2022, 12, 10, 3, 0, 0, tzinfo=UTC)
FINGERPRINT = "f" * 8 + "0123456789abcdef" * 3 + "e" * 8
LEAK_SOURCE = "3commas-dump-telegram"
LEAK_DATE = date(2022, 12, 28)
VICTIM_WALLET = "0x" + "a1" * 20
ATTACKER = "0x" + "be" * 20
MIDDLE = "0x" + "c3" * 20
CEX_BINANCE = "0x" + "d4" * 20
CEX_EVIL = "0x" + "e5" * 20
EVIL_ENTITY = "=HYPERLINK(\"http://x\")"
USDT = "0xdac17f958d2ee523a2206206994597c13d831ec7"
TX_SEED = "0x" + "11" * 32
TX_B = "0x" + "22" * 32
TX_C = "0x" + "33" * 32
TX_WITHDRAW = "0x" + "44" * 32
CLAIMANT_NAME = "Ada Example"
REASONS = ("PRICE_DEVIATION;THIN_PAIR;SELL_ALL_BUY_ONE;CROSS_VICTIM;LEAKED_KEY;NO_DEPOSIT_WITHDRAWAL;"
           "BOT_BURST;API_CHANNEL")
CLAIMANT_EMAIL = "ada@example.org"
CLAIMANT_PHONE = "+44 20 7946 0000"


@dataclass(frozen=True)
class Case:
    claim_id: int
    trades: int
    export_sha: str
    price_sha: str
    leak_sha: str
    upload_sha: str


def _store(ws: Workspace, con: object, tmp: Path, name: str, body: bytes, kind: str, **kw: object) -> str:
    path = tmp / name
    path.write_bytes(body)
    rec = evidence.store(ws, con, path, kind=kind, submitted_by="test", **kw)  # type: ignore[arg-type]
    return rec.sha256


def build_case(ws: Workspace, tmp: Path, n_trades: int = 12) -> Case:
    """Insert the case; trade i is at START + 2i seconds, price 0.5 + i/1000, quantity 100 + i."""
    now = utcnow()
    with ws.db.write() as con:
        export_sha = _store(ws, con, tmp, "binance_trades.csv",
                            f"Date(UTC),Pair,Side,Price,Executed\n# {n_trades} rows\n".encode(), "exchange_export")
        price_sha = _store(ws, con, tmp, "kucoin_XYZUSDT_1h.csv", b"open_time,open,high,low,close\n", "price_file")
        leak_sha = _store(ws, con, tmp, "leak.txt", b"not kept", "leak_dump_digest", keep_content=False)
        upload_sha = _store(ws, con, tmp, "screenshot.png", b"\x89PNG fake", "claim_upload", claim_id=1)
        run = "run-1"
        con.execute("INSERT INTO ingest_runs VALUES (?, ?, ?, 'test', ?, 'binance_trades.csv', 'binance_trade_history',"
                    " ?, ?, ?, ?, 0, 'committed', false, 'fills')", [run, now, now, export_sha, EXCHANGE, ACCOUNT, n_trades + 4,
                                                       n_trades + 4])
        con.execute("INSERT INTO accounts VALUES (?, ?, ?)", [EXCHANGE, ACCOUNT, run])
        # unauthorised trades: generated in SQL so that the benchmark's thousands of rows go in at once
        con.execute("""
            INSERT INTO trades (exchange, account, time_utc, pair, base_asset, quote_asset, side, price, quantity,
                                quote_quantity, fee, fee_asset, order_id, trade_id, channel, occurrence,
                                evidence_sha256, source_row, ingest_run_id, format)
            SELECT $ex, $acct, $start + to_seconds(2 * i), $pair, 'XYZ', 'USDT', 'buy',
                   CAST(0.5 + i / 1000.0 AS DECIMAL(38,18)), CAST(100 + i AS DECIMAL(38,18)),
                   CAST(CAST(0.5 + i / 1000.0 AS DECIMAL(18,6)) * CAST(100 + i AS DECIMAL(18,2)) AS DECIMAL(38,18)),
                   CAST(0.1 AS DECIMAL(38,18)), 'USDT', 'o' || i, 't' || i, 'api', 1, $sha, 5 + i, $run,
                   'binance_trade_history'
            FROM range(0, $n) r(i)""", {"ex": EXCHANGE, "acct": ACCOUNT, "start": START, "pair": PAIR,
                                        "sha": export_sha, "run": run, "n": n_trades}).fetchall()
        normal = [(START - timedelta(hours=6), PAIR, "XYZ", "sell", "0.1", "50", "5", 1),
                  (START - timedelta(hours=5), PAIR, "XYZ", "buy", "0.1", "20", "2", 2),
                  (START - timedelta(days=3), "BTC/USDT", "BTC", "buy", "17000", "0.1", "1700", 3),
                  (START - timedelta(days=2), "BTC/USDT", "BTC", "sell", "17100", "0.1", "1710", 4)]
        for t, pair, base, side, price, qty, quote, row in normal:
            con.execute("INSERT INTO trades (exchange, account, time_utc, pair, base_asset, quote_asset, side, price,"
                        " quantity, quote_quantity, fee, fee_asset, occurrence, evidence_sha256, source_row,"
                        " ingest_run_id, format) VALUES (?, ?, ?, ?, ?, 'USDT', ?, ?, ?, ?, 0, 'USDT', 1, ?, ?, ?,"
                        " 'binance_trade_history')",
                        [EXCHANGE, ACCOUNT, t, pair, base, side, Decimal(price), Decimal(qty), Decimal(quote),
                         export_sha, row, run]).fetchall()
        reconcile(con)  # the executions the ingest would have derived from these fills
        con.execute("""
            INSERT INTO unauthorized_trades
            SELECT exchange, account, evidence_sha256, source_row, time_utc, pair, side, price, quantity,
                   quote_quantity, fee, fee_asset, 90, $reasons, 1,
                   'CMP-XYZ-1', $start, CAST(0.1 AS DECIMAL(38,18)), CAST(1 AS DECIMAL(38,18)),
                   CAST(quote_quantity AS DECIMAL(38,8)), CAST(quantity * 0.1 AS DECIMAL(38,8)),
                   CAST(fee AS DECIMAL(38,8)),
                   CAST(quote_quantity - CAST(quantity AS DECIMAL(30,8)) * 0.1 + fee AS DECIMAL(38,8))
            FROM executions WHERE exchange = $ex AND account = $acct AND time_utc >= $start""",
                    {"ex": EXCHANGE, "acct": ACCOUNT, "start": START, "reasons": REASONS}).fetchall()
        con.execute("""
            INSERT INTO account_losses
            SELECT exchange, account, min(time_utc), max(time_utc), count(*), sum(loss_usd),
                   greatest(sum(loss_usd), 0), 0, true
            FROM unauthorized_trades GROUP BY exchange, account""").fetchall()
        con.execute("""
            INSERT INTO campaigns
            SELECT campaign_id, pair, min(time_utc), max(time_utc), count(DISTINCT account), count(*), sum(loss_usd)
            FROM unauthorized_trades GROUP BY campaign_id, pair""").fetchall()
        con.execute("""
            INSERT INTO campaign_accounts (campaign_id, pair, exchange, account, session_id, first_utc, last_utc,
                                           trades, loss_usd)
            SELECT campaign_id, min(pair), exchange, account, 1, min(time_utc), max(time_utc), count(*), sum(loss_usd)
            FROM unauthorized_trades GROUP BY campaign_id, exchange, account""").fetchall()
        con.execute("INSERT INTO detection_runs VALUES ('det-1', ?, ?, ?, ?, ?, 1)",
                    [now, now, json.dumps({"price_deviation": 0.5}), n_trades + 4, n_trades]).fetchall()
        # reference prices: kucoin (another venue, preferred) and binance (the victim's own, pumped)
        for h in range(-30, 4):
            t = START.replace(minute=0) + timedelta(hours=h)
            for source, close in (("kucoin", Decimal("0.1") + Decimal(h % 3) / 100), ("binance", Decimal("0.9"))):
                con.execute("INSERT INTO price_bars VALUES (?, ?, '1h', ?, ?, ?, ?, ?, 1000, 100, 10, ?, ?, 'run-p')",
                            [source, PAIR, t, close, close, close, close, price_sha, h + 31]).fetchall()
        # ledger: deposit before, withdrawal to the victim's wallet with a transaction hash
        for t, kind, amount, addr, tx, row in (
                (START - timedelta(days=2), "deposit", Decimal("5000"), None, None, 1),
                (START - timedelta(days=1), "withdrawal", Decimal("-250.5"), VICTIM_WALLET, TX_WITHDRAW, 2)):
            con.execute("INSERT INTO ledger_movements (exchange, account, time_utc, wallet, kind, operation, asset,"
                        " amount, address, tx_hash, network, occurrence, evidence_sha256, source_row, ingest_run_id,"
                        " format) VALUES (?, ?, ?, 'Spot', ?, ?, 'USDT', ?, ?, ?, 'ETH', 1, ?, ?, ?, 'binance_ledger')",
                        [EXCHANGE, ACCOUNT, t, kind, kind.title(), amount, addr, tx, export_sha, row, run]).fetchall()
        # the leak and the compromised key
        con.execute("INSERT INTO leaks VALUES (?, ?, ?, ?, 1)", [leak_sha, LEAK_SOURCE, LEAK_DATE, now]).fetchall()
        con.execute("INSERT INTO leaked_keys VALUES (?, ?, ?, 7)", [FINGERPRINT, EXCHANGE, leak_sha]).fetchall()
        con.execute("INSERT INTO compromised_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?, false, 'claim')",
                    [FINGERPRINT, EXCHANGE, ACCOUNT, leak_sha, LEAK_SOURCE, LEAK_DATE,
                     datetime(2021, 5, 1, tzinfo=UTC), '{"enableSpotAndMarginTrading": true}']).fetchall()
        # the claimant and the claim (personal data sealed as app/claims.py seals it)
        k = ws.keys
        con.execute("INSERT INTO users (username, role, password_hash, created_at) VALUES ('ada', 'victim', 'x', ?)",
                    [now]).fetchall()
        claim_id = int(con.execute(
            "INSERT INTO claims (user_id, case_id, exchange, account, key_fingerprint, contact_name_enc,"
            " contact_email_enc, contact_phone_enc, claimed_loss_usd, status, created_at, updated_at)"
            " VALUES (1, ?, ?, ?, ?, ?, ?, ?, 99999.00, 'verified', ?, ?) RETURNING id",
            [CASE_ID, EXCHANGE, ACCOUNT, FINGERPRINT, k.seal(CLAIMANT_NAME, "claims.contact_name"),
             k.seal(CLAIMANT_EMAIL, "claims.contact_email"), k.seal(CLAIMANT_PHONE, "claims.contact_phone"),
             now, now]).fetchall()[0][0])
        con.execute("INSERT INTO claim_evidence (claim_id, evidence_sha256, attached_at) VALUES (?, ?, ?)",
                    [claim_id, upload_sha, now]).fetchall()
        con.execute("INSERT INTO wallet_proofs VALUES (?, ?, 'n1', '0xsig', ?)", [claim_id, VICTIM_WALLET, now]).fetchall()
        # labels, token, transfers and a forward haircut trace from the attacker's address
        for addr, entity, cat, conf in ((ATTACKER, "3Commas attacker A", "attacker", 90),
                                        (CEX_BINANCE, "Binance", "exchange", 95),
                                        (CEX_EVIL, EVIL_ENTITY, "exchange", 70)):
            con.execute("INSERT INTO address_labels VALUES (1, ?, ?, ?, 'test-labels.csv', ?)",
                        [addr, entity, cat, conf]).fetchall()
        con.execute("INSERT INTO token_metadata VALUES (1, ?, 'USDT', 'Tether USD', 6, NULL)", [USDT]).fetchall()
        t0 = START + timedelta(hours=3)
        edges = [(1, TX_SEED, ATTACKER, MIDDLE, t0, 16000000, 1_000_000_000, True),
                 (2, TX_B, MIDDLE, CEX_BINANCE, t0 + timedelta(minutes=10), 16000050, 600_000_000, False),
                 (2, TX_C, MIDDLE, CEX_EVIL, t0 + timedelta(minutes=20), 16000100, 400_000_000, False)]
        for hop, tx, a, b, t, blk, value, seed in edges:
            con.execute("INSERT INTO transfers VALUES (1, ?, '0xblock', ?, ?, 0, NULL, 'erc20', ?, ?, ?, ?, ?,"
                        " 'test', NULL, NULL, 'run-c')", [blk, t, tx, USDT, a, b, str(value), value]).fetchall()
            con.execute("INSERT INTO trace_edges (trace_id, hop, chain_id, tx_hash, log_index, token, from_address,"
                        " to_address, time_utc, block_number, value, tainted, origin_is_seed)"
                        " VALUES ('trace-1', ?, 1, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [hop, tx, USDT, a, b, t, blk, str(value), value, seed]).fetchall()
        con.execute("INSERT INTO trace_runs VALUES ('trace-1', ?, 'haircut', 'forward', 3, ?, 3, 2)",
                    [now, json.dumps([ATTACKER])]).fetchall()
        for addr, entity, value, t in ((CEX_BINANCE, "Binance", 600_000_000, edges[1][4]),
                                       (CEX_EVIL, EVIL_ENTITY, 400_000_000, edges[2][4])):
            con.execute("INSERT INTO trace_cash_out_points VALUES ('trace-1', ?, ?, 'exchange', ?, ?, ?, ?, 1)",
                        [addr, entity, USDT, value, t, t]).fetchall()
    return Case(claim_id, n_trades, export_sha, price_sha, leak_sha, upload_sha)
