"""The demo generator: deterministic, real headers, and a ground truth that agrees with its own files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_DOWN, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest

from incident_demo.generate import Generated, folder_digest, generate

HERE = Path(__file__).resolve().parent
REAL = HERE / "real"
FIXTURES = HERE.parent / "fixtures" / "exchange_exports"
SEED, ACCOUNTS = 3, 24


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate(tmp_path_factory.mktemp("demo") / "files", seed=SEED, accounts=ACCOUNTS)


def manifest(demo: Generated) -> list[dict[str, Any]]:
    return list(json.loads((demo.out / "manifest.json").read_text())["files"])


def table(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def first_line(path: Path) -> str:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return fh.readline().rstrip("\r\n")


# ------------------------------------------------------------------------------------------ determinism
def test_same_seed_gives_byte_identical_files(demo: Generated, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", seed=SEED, accounts=ACCOUNTS)
    assert folder_digest(again.out) == folder_digest(demo.out)
    names = sorted(p.relative_to(demo.out).as_posix() for p in demo.out.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(again.out).as_posix() for p in again.out.rglob("*") if p.is_file())
    assert len(names) > 100


def test_the_files_do_not_depend_on_the_process(demo: Generated, tmp_path: Path) -> None:
    """Another process with another str-hash seed writes the same bytes (no set or dict order leaks in)."""
    code = ("import sys; from pathlib import Path; from incident_demo.generate import generate, folder_digest; "
            f"g = generate(Path(sys.argv[1]), seed={SEED}, accounts={ACCOUNTS}); print(folder_digest(g.out))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "other-process")], env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.strip() == folder_digest(demo.out)


def test_another_seed_gives_another_incident(demo: Generated, tmp_path: Path) -> None:
    other = generate(tmp_path / "other", seed=SEED + 1, accounts=ACCOUNTS)
    assert folder_digest(other.out) != folder_digest(demo.out)
    a = (demo.out / "ground_truth" / "accounts.csv").read_bytes()
    b = (other.out / "ground_truth" / "accounts.csv").read_bytes()
    assert a != b


def test_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path: Path) -> None:
    from core.errors import InputError

    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(InputError, match="not empty"):
        generate(tmp_path, seed=1, accounts=ACCOUNTS)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


# ------------------------------------------------------------------------------------------ headers
def _documented(header: str) -> bool:
    """True when PROVENANCE.md documents this header (zones written UTC±hh:mm, optional columns in [])."""
    text = (REAL / "PROVENANCE.md").read_text().replace("[", "").replace("]", "").replace("(...)", "(UTC±hh:mm)")
    return f"`{re.sub(r'Time[(]UTC[^)]*[)]', 'Time(UTC±hh:mm)', header)}`" in text


def _keys_of_real(endpoint: str) -> tuple[dict[str, Any], list[str]]:
    doc = json.loads((REAL / "kucoin_api_responses_ccxt_static.json").read_text())
    body = doc[endpoint]
    return body, list(body["data"]["items"][0])


def test_every_generated_file_has_the_header_of_its_real_counterpart(demo: Generated) -> None:
    real_plain = first_line(FIXTURES / "binance_spot_trade_history_2018.csv")
    real_quoted = first_line(FIXTURES / "binance_spot_trade_history_quoted_2023.csv")
    real_statement = first_line(FIXTURES / "binance_transaction_statement.csv")
    real_api = set(json.loads((FIXTURES / "binance_api_key_permissions_doc_example.json").read_text())) - {"_note"}
    fills_body, fills_keys = _keys_of_real("GET /api/v1/fills (fetchMyTrades)")
    _, orders_keys = _keys_of_real("GET /api/v1/orders?status=done (fetchClosedOrders)")
    real_tt_csv = first_line(REAL / "mainnet_block483920_ethereumetl_token_transfers.csv")
    real_tt_keys = list(json.loads(first_line(REAL / "mainnet_block17173049_ethereumetl_token_transfers_first_line.jsonl")))
    real_block_keys = list(json.loads(first_line(REAL / "mainnet_blocks17173049-17173050_ethereumetl_blocks.jsonl")))
    seen: set[str] = set()
    for f in manifest(demo):
        path, fmt = demo.out / f["path"], f["format"]
        seen.add(fmt)
        raw = path.read_bytes()
        if fmt == "binance_trade_history":
            assert raw.startswith(b"\xef\xbb\xbf") == (f["variant"] == "bom"), f["path"]
            assert first_line(path) == (real_quoted if f["variant"] == "quoted" else real_plain), f["path"]
        elif fmt == "binance_transaction_statement":
            assert first_line(path) == real_statement
        elif fmt in ("binance_deposit_history_v1", "binance_withdrawal_history_v1"):
            assert first_line(path) == first_line(FIXTURES / f"{fmt.removesuffix('_v1')}_v1.csv")
            assert _documented(first_line(path))
        elif fmt in ("kucoin_trade_history_v3", "kucoin_order_splitting", "kucoin_filled_orders", "kucoin_deposits",
                     "kucoin_withdrawals"):
            assert _documented(first_line(path)), (fmt, first_line(path))
        elif fmt == "kucoin_api_fills":
            body = json.loads(raw)
            assert list(body) == list(fills_body) and list(body["data"]) == list(fills_body["data"])
            assert all(list(item) == fills_keys for item in body["data"]["items"])
        elif fmt == "kucoin_api_orders":
            assert all(list(item) == orders_keys for item in json.loads(raw)["data"]["items"])
        elif fmt == "binance_api_restrictions":
            assert set(json.loads(raw)) == real_api
        elif fmt == "three_commas_deals":
            section_d = (REAL / "PROVENANCE.md").read_text().split("## D.")[1]
            documented = re.search(r"A deal: `([^`]*)`", section_d.replace("\n", " "))
            assert documented
            keys = [k.strip() for k in documented.group(1).split(",") if k.strip() and k.strip() != "..."]
            for deal in json.loads(raw):
                assert all(k in deal for k in keys)
                assert re.fullmatch(r"[A-Z]+_[A-Z]+", deal["pair"])          # QUOTE_BASE
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", deal["created_at"])
        elif fmt == "binance_klines":
            assert re.fullmatch(r"[A-Z0-9]+-1h-\d{4}-\d\d\.csv", path.name)
            rows = list(csv.reader(raw.decode().splitlines()))
            assert all(len(r) == 12 and r[0].isdigit() and len(r[0]) == 13 for r in rows)   # no header, ms
            assert int(rows[1][0]) - int(rows[0][0]) == 3_600_000
        elif fmt == "ethereumetl_token_transfers_csv":
            assert first_line(path) == real_tt_csv
        elif fmt == "ethereumetl_token_transfers_jsonl":
            assert all(list(json.loads(line)) == real_tt_keys for line in raw.decode().splitlines())
        elif fmt == "ethereumetl_blocks_jsonl":
            assert all(list(json.loads(line)) == real_block_keys for line in raw.decode().splitlines())
        elif fmt == "leak_dump":
            assert first_line(path) == "exchange,api_key,secret,passphrase"
        elif fmt == "address_labels":
            assert first_line(path) == "chain_id,address,entity,category,source,confidence"
        elif fmt == "trace_seeds":
            assert first_line(path) == "address,exchange,campaign,note"
        elif fmt == "keytrace_demo_claims":
            assert json.loads(raw)["claims"]
        else:
            raise AssertionError(f"no header check for {fmt}")
    assert {"binance_trade_history", "binance_klines", "leak_dump", "ethereumetl_token_transfers_csv",
            "keytrace_demo_claims"} <= seen
    assert any(s.startswith("kucoin_") for s in seen)


# ------------------------------------------------------------------------------------------ ground truth
def _klines(out: Path) -> dict[str, list[tuple[int, Decimal]]]:
    """(open time in seconds, close) per BASE/QUOTE, read back from the kline files."""
    pairs = json.loads((out / "ground_truth" / "ground_truth.json").read_text())["pairs"]
    fused = {p.replace("/", ""): p for p in pairs}
    closes: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for path in sorted((out / "prices" / "binance").glob("*.csv")):
        pair = fused[path.name.split("-")[0]]
        for row in csv.reader(path.read_text().splitlines()):
            closes[pair].append((int(row[0]) // 1000, Decimal(row[4])))
    return closes


def _median_before(bars: list[tuple[int, Decimal]], t0: int) -> Decimal:
    closes = sorted(c for t, c in bars if t0 - 86400 <= t < t0)
    n = len(closes)
    return closes[n // 2] if n % 2 else (closes[n // 2 - 1] + closes[n // 2]) / 2


def _when(iso: str) -> datetime:
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if "." in iso else "%Y-%m-%dT%H:%M:%SZ"
    return datetime.strptime(iso, fmt).replace(tzinfo=UTC)


def _epoch(iso: str) -> int:
    return int(_when(iso).timestamp())


def test_true_loss_recomputes_from_the_generated_trades_and_klines(demo: Generated) -> None:
    out = demo.out
    bars = _klines(out)
    trades = table(out / "ground_truth" / "trades.csv")
    accounts = table(out / "ground_truth" / "accounts.csv")
    by_account: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for t in trades:
        by_account[(t["exchange"], t["account"])].append(t)
    checked = 0
    for acc in accounts:
        rows = [t for t in by_account[(acc["exchange"], acc["account"])] if t["unauthorized"] == "true"]
        assert (acc["role"] == "victim") == bool(rows)
        if not rows:
            assert acc["loss_usd"] == "0.00"
            continue
        t0 = min(_epoch(t["time_utc"]) for t in rows)
        assert acc["first_unauthorized_utc"] == datetime.fromtimestamp(t0, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

        def usd(asset: str, t0: int = t0) -> Decimal:
            return Decimal(1) if asset == "USDT" else (
                _median_before(bars[f"{asset}/USDT"], t0) if f"{asset}/USDT" in bars
                else _median_before(bars[f"{asset}/BTC"], t0) * _median_before(bars["BTC/USDT"], t0))

        total = Decimal(0)
        for t in rows:
            base, quote = t["pair"].split("/")
            fair = _median_before(bars[t["pair"]], t0)
            qty, quote_qty, fee = Decimal(t["quantity"]), Decimal(t["quote_quantity"]), Decimal(t["fee"])
            given, received = (quote_qty, qty * fair) if t["side"] == "buy" else (qty * fair, quote_qty)
            fee_usd = (fee * fair * usd(quote) if t["fee_asset"] == base else
                       fee * usd(quote) if t["fee_asset"] == quote else fee * usd(t["fee_asset"]))
            loss = (given - received) * usd(quote) + fee_usd
            assert abs(loss - Decimal(t["loss_usd"])) < Decimal("1e-6")
            total += loss
        assert total > 0
        assert abs(total - Decimal(acc["loss_usd_exact"])) < Decimal("1e-6")
        checked += 1
    assert checked >= 5
    gt = json.loads((out / "ground_truth" / "ground_truth.json").read_text())
    assert sum(Decimal(c["loss_usd"]) for c in gt["campaigns"]) == pytest.approx(
        sum(Decimal(a["loss_usd_exact"]) for a in accounts), abs=Decimal("0.05"))


def test_attacks_look_like_the_incident(demo: Generated) -> None:
    """Each campaign: holdings sold first, then many buys of one thin coin at 3-20x the reference, at night."""
    out = demo.out
    bars = _klines(out)
    gt = json.loads((out / "ground_truth" / "ground_truth.json").read_text())
    trades = table(out / "ground_truth" / "trades.csv")
    for camp in gt["campaigns"]:
        rows = [t for t in trades if t["campaign"] == camp["campaign"]]
        buys = [t for t in rows if t["pair"] == camp["pair"]]
        assert len(camp["accounts"]) >= 2 and len(buys) >= 100
        assert {t["account"] for t in rows} == set(camp["accounts"])
        start, end = _epoch(camp["window_start_utc"]), _epoch(camp["window_end_utc"])
        assert end - start <= 2 * 3600
        assert datetime.fromtimestamp(start, tz=UTC).hour in (22, 23, 0, 1, 2, 3, 4, 5)
        for t in buys:
            ref = dict(bars[camp["pair"]])[_epoch(t["time_utc"]) // 3600 * 3600]
            assert Decimal(3) * Decimal("0.99") <= Decimal(t["price"]) / ref <= Decimal(20) * Decimal("1.01")
            assert t["side"] == "buy" and t["channel"] == "API"
        sold_first = 0
        for acc in camp["accounts"]:
            mine = sorted((t for t in rows if t["account"] == acc), key=lambda t: (t["time_utc"], int(t["trade_seq"])))
            assert mine[-1]["pair"] == camp["pair"]
            first_buy = next(i for i, t in enumerate(mine) if t["pair"] == camp["pair"])
            assert all(t["pair"] != camp["pair"] for t in mine[:first_buy])   # holdings sold into USDT/BTC first
            assert all(t["pair"] == camp["pair"] and t["side"] == "buy" for t in mine[first_buy:])
            sold_first += first_buy > 0
        assert sold_first >= len(camp["accounts"]) // 2
    # hard negatives: thin-pair trades of legitimate traders sit inside the reference bar
    legit_thin = [t for t in trades if t["unauthorized"] == "false" and gt["pairs"][t["pair"]]["thin"]]
    for t in legit_thin:
        ref = dict(bars[t["pair"]])[_epoch(t["time_utc"]) // 3600 * 3600]
        assert Decimal("0.9") < Decimal(t["price"]) / ref < Decimal("1.1")


FEE_OPS = ("Fee", "Transaction Fee")


def _parse_statement(path: Path, row: int, pair: str) -> dict[str, Any]:
    """The execution whose first leg is ``row``: the legs of its second and side, summed."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        recs = list(csv.DictReader(fh))
    when = recs[row - 1]["UTC_Time"]
    base, quote = pair.split("/")
    legs = [r for r in recs if r["UTC_Time"] == when and r["Operation"] not in ("Deposit", "Withdraw")]

    def side(r: dict[str, str]) -> str:
        change = Decimal(r["Change"])
        return ("buy" if change > 0 else "sell") if r["Coin"] == base else ("buy" if change < 0 else "sell")

    mine = side(recs[row - 1])
    trades = [r for r in legs if r["Operation"] not in FEE_OPS and side(r) == mine]
    sides = {side(r) for r in legs if r["Operation"] not in FEE_OPS}
    fees = [r for r in legs if r["Operation"] in FEE_OPS
            and (len(sides) == 1 or r["Coin"] == (base if mine == "buy" else quote))]
    qty = sum((abs(Decimal(r["Change"])) for r in trades if r["Coin"] == base), Decimal(0))
    quote_qty = sum((abs(Decimal(r["Change"])) for r in trades if r["Coin"] == quote), Decimal(0))
    with localcontext() as ctx:
        ctx.prec = 80
        price = (quote_qty / qty).quantize(Decimal("1e-18"), rounding=ROUND_DOWN)
    return {"time": datetime.strptime(when, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC), "pair": pair, "side": mine,
            "price": price, "qty": qty,
            "quote": quote_qty, "fee": sum((-Decimal(r["Change"]) for r in fees), Decimal(0))}


def _parse_file_row(path: Path, row: int, pair: str) -> dict[str, Any]:
    """Read one trade back from an export file in the exchange's own format (independent of the generator)."""
    if path.name == "transaction_statement.csv":
        return _parse_statement(path, row, pair)
    if path.suffix == ".json":
        item = json.loads(path.read_text())["data"]["items"][row - 1]
        return {"time": datetime.fromtimestamp(item["createdAt"] / 1000, tz=UTC), "pair": item["symbol"].replace("-", "/"),
                "side": item["side"], "price": Decimal(item["price"]), "qty": Decimal(item["size"]),
                "quote": Decimal(item["funds"]), "fee": Decimal(item["fee"]), "counter": item["counterOrderId"]}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rec = dict(zip(header, [r for i, r in enumerate(reader, start=1) if i == row][0], strict=True))
    if header[0] == "Date(UTC)":
        qty = re.fullmatch(r"([\d.,]+)([A-Z0-9]+)", rec["Executed"])
        amount = re.fullmatch(r"([\d.,]+)([A-Z0-9]+)", rec["Amount"])
        fee = re.fullmatch(r"([\d.,]+)([A-Z0-9]+)", rec["Fee"])
        assert qty and amount and fee
        return {"time": datetime.strptime(rec["Date(UTC)"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC),
                "pair": qty.group(2) + "/" + amount.group(2), "side": rec["Side"].lower(),
                "price": Decimal(rec["Price"].replace(",", "")), "qty": Decimal(qty.group(1).replace(",", "")),
                "quote": Decimal(amount.group(1).replace(",", "")), "fee": Decimal(fee.group(1).replace(",", ""))}
    if header[0] == "tradeCreatedAt":   # no zone: Asia/Singapore
        local = datetime.strptime(rec["tradeCreatedAt"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone(timedelta(hours=8)))
        return {"time": local.astimezone(UTC), "pair": rec["symbol"].replace("-", "/"), "side": rec["side"],
                "price": Decimal(rec["price"]), "qty": Decimal(rec["size"]), "quote": Decimal(rec["funds"]),
                "fee": Decimal(rec["fee"])}
    zone_col = next(h for h in header if h.startswith("Filled Time("))
    m = re.search(r"UTC([+-]\d\d):(\d\d)", zone_col)
    tz = timezone(timedelta(hours=int(m.group(1)), minutes=int(m.group(2)))) if m else UTC
    return {"time": datetime.strptime(rec[zone_col], "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz).astimezone(UTC),
            "pair": rec["Symbol"].replace("-", "/"), "side": rec["Side"].lower(),
            "price": Decimal(rec["Avg. Filled Price"]), "qty": Decimal(rec["Filled Amount"]),
            "quote": Decimal(rec["Filled Volume"]), "fee": Decimal(rec["Fee"])}


def test_ground_truth_names_the_file_and_row_of_every_trade(demo: Generated) -> None:
    out = demo.out
    trades = table(out / "ground_truth" / "trades.csv")
    seen_rows: set[tuple[str, str]] = set()
    sample = trades[::7] + [t for t in trades if t["file"].endswith(("transaction_statement.csv", "filled_orders.csv"))][::5]
    assert any(t["file"].endswith("transaction_statement.csv") for t in sample)
    for t in sample:   # a spread sample: every format, every role
        got = _parse_file_row(out / t["file"], int(t["source_row"]), t["pair"])
        assert got["time"] == _when(t["time_utc"])
        assert t["file_sha256"] == hashlib.sha256((out / t["file"]).read_bytes()).hexdigest()
        assert (got["pair"], got["side"]) == (t["pair"], t["side"])
        assert (got["price"], got["qty"], got["quote"], got["fee"]) == (
            Decimal(t["price"]), Decimal(t["quantity"]), Decimal(t["quote_quantity"]), Decimal(t["fee"]))
        if "counter" in got:
            assert got["counter"] == t["counter_order_id"]
    for t in trades:
        key = (t["file"], t["source_row"])
        assert key not in seen_rows
        seen_rows.add(key)
    assert any(t["unauthorized"] == "true" for t in trades) and any(t["unauthorized"] == "false" for t in trades)


def test_dump_claims_and_chain_hold_what_the_ground_truth_says(demo: Generated) -> None:
    out = demo.out
    gt = json.loads((out / "ground_truth" / "ground_truth.json").read_text())
    dump = table(out / "leaks" / "3commas_api_keys_2022-12-28.csv")
    assert len(dump) >= 1000 and all(r["secret"] for r in dump)
    assert any(r["passphrase"] for r in dump if r["exchange"] == "kucoin")
    claims = json.loads((out / "claims" / "claims.json").read_text())["claims"]
    truth = {c["ref"]: c for c in gt["claims"]}
    kinds = {truth[c["ref"]]["fraud"] for c in claims}
    assert {None, "inflated", "duplicate_uid", "no_trace"} <= kinds
    accounts = {(a["exchange"], a["account"]) for a in table(out / "ground_truth" / "accounts.csv")}
    for c in claims:
        t = truth[c["ref"]]
        assert ((c["exchange"], c["account"]) in accounts) == (t["fraud"] != "no_trace")
        if t["fraud"] is None:
            assert Decimal(c["claimed_loss_usd"]) == pytest.approx(Decimal(t["true_loss_usd"]), rel=Decimal("0.05"))
        if t["fraud"] == "inflated":
            assert Decimal(c["claimed_loss_usd"]) > 2 * Decimal(t["true_loss_usd"] or 0)
    dup = [c for c in claims if truth[c["ref"]]["fraud"] == "duplicate_uid"]
    assert all(sum(1 for o in claims if (o["exchange"], o["account"]) == (d["exchange"], d["account"])) == 2 for d in dup)
    # signing claimants name the wallet their withdrawal history paid, and the chain shows that payment
    transfers = table(out / "chain" / "token_transfers.csv")
    by_hash = {t["transaction_hash"]: t for t in transfers}
    signers = [c for c in claims if c["signs_wallet"]]
    assert signers
    for c in signers:
        hist = out / "exchanges" / c["exchange"] / c["account"]
        path = hist / ("withdrawal_history.csv" if c["exchange"] == "binance" else "withdrawals.csv")
        with path.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        addr_col = "Address" if c["exchange"] == "binance" else "Withdrawal Address/Account"
        hash_col = "TXID" if c["exchange"] == "binance" else "Hash"
        paid = [r for r in rows if r[addr_col] == c["wallet_address"]]
        assert paid and by_hash[paid[0][hash_col]]["to_address"] == c["wallet_address"]
    # the cash-out reaches labelled exits only from attacker addresses
    labels = {r["address"]: r for r in table(out / "chain" / "address_labels.csv")}
    attackers = set(gt["attacker_addresses"])
    for point in gt["cash_out_points"]:
        assert labels[point["address"]]["category"] in ("exchange", "mixer", "bridge")
        inflow = sum(int(t["value"]) for t in transfers
                     if t["to_address"] == point["address"] and t["from_address"] in attackers)
        assert inflow == int(point["amount_raw"])
    assert gt["cash_out_points"]
