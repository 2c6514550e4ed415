"""KuCoin REST JSON, Binance apiRestrictions, 3Commas deals and reference-price files, end to end."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import InputError, UnknownFormatError, UnsafeFileError, ValidationError
from core.fingerprint import api_key_fingerprint
from core.workspace import Workspace
from tests.ingest.format_helpers import FIXTURES, D, ingest, stored, table_counts

PRICES = FIXTURES / "prices"
BOTS = FIXTURES / "bot_platform"


def test_kucoin_ccxt_bundle_fills_orders_candles_in_one_run(ws: Workspace) -> None:
    r = ingest(ws, "kucoin_api_responses_ccxt_static.json", account="kc-1")
    assert (r.format, r.rows_read, r.rows_added) == ("kucoin_api_fills", 6, 6)
    assert r.parts == ("kucoin_api_fills", "kucoin_api_orders", "kucoin_api_candles")
    [fill] = stored(ws, "trades")
    assert (fill["pair"], fill["side"], fill["price"], fill["quantity"], fill["quote_quantity"]) == (
        "LTC/USDT", "buy", D("72.8"), D("0.010055"), D("0.732004"))
    assert (fill["counter_order_id"], fill["liquidity"], fill["trade_id"]) == (
        "65560a017bbc4b0001fed90a", "taker", "3607194733924353")
    assert fill["time_utc"] == datetime(2023, 11, 16, 12, 24, 33, tzinfo=UTC)
    orders = {o["order_id"]: o for o in stored(ws, "orders")}
    active = orders["6556088034d111000738f7b8"]
    assert (active["channel"], active["tags"], active["status"], active["order_price"]) == (
        "api", "partner:ccxt", "active", D("55"))
    done = orders["65ba3fc497c9e300079f2003"]
    assert (done["order_type"], done["order_price"], done["filled_quantity"], done["filled_quote"]) == (
        "market", None, D("0.1"), D("6.81"))
    assert done["created_utc"] == datetime(2024, 1, 31, 12, 40, 36, 933000, tzinfo=UTC)
    bars = {b["open_time"]: b for b in stored(ws, "price_bars")}
    bar = bars[datetime(2024, 1, 30, 18, 0, tzinfo=UTC)]  # [t, open, close, high, low, volume, turnover]
    assert (bar["source"], bar["pair"], bar["interval"]) == ("kucoin", "BTC/USDT", "1h")
    assert (bar["open"], bar["close"], bar["high"], bar["low"], bar["volume"], bar["quote_volume"]) == (
        D("43396.4"), D("43369.4"), D("43491.9"), D("43285.2"), D("135.02905655"), D("5859577.939581874"))
    with ws.db.read() as con:
        runs = con.execute("SELECT count(*), min(format) FROM ingest_runs").fetchall()
    assert runs == [(1, "kucoin_api_fills")]
    before = table_counts(ws)
    assert ingest(ws, "kucoin_api_responses_ccxt_static.json", account="kc-1").rows_added == 0
    after = table_counts(ws)
    assert {k: after[k] for k in ("trades", "orders", "price_bars")} == \
        {k: before[k] for k in ("trades", "orders", "price_bars")}


def test_kucoin_fills_counter_order_negative_fee_and_digit_led_asset(ws: Workspace) -> None:
    ingest(ws, "kucoin_api_fills_item_2019.json", account="kc-1")
    t = stored(ws, "trades")
    assert [(x["pair"], x["side"], x["fee"], x["liquidity"], x["counter_order_id"]) for x in t] == [
        ("DMG/BTC", "buy", D("0.000000041582115"), "taker", "5ce9a1a9cdaba44800aa7e11"),
        ("1INCH/USDT", "sell", D("-0.0000125"), "maker", "5ce9a1a9cdaba44800aa7e12")]
    assert t[0]["time_utc"] == datetime(2019, 5, 26, 14, 24, 50, 123000, tzinfo=UTC)
    assert t[0]["quote_quantity"] == D("0.000041568635")


def test_kucoin_candles_alone_need_no_account_and_name_the_interval(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "kucoin_ETH-BTC_1day.json"
    p.write_text('{"code": "200000", "data": [["1671926400", "0.0722", "0.0731", "0.0735", "0.0719", "100", "7.3"]]}')
    r = ingest(ws, p)
    assert (r.account, r.rows_added) == ("", 1)
    [bar] = stored(ws, "price_bars")
    assert (bar["pair"], bar["interval"], bar["open_time"]) == ("ETH/BTC", "1d", datetime(2022, 12, 25, tzinfo=UTC))
    assert (bar["open"], bar["close"], bar["high"], bar["low"]) == (D("0.0722"), D("0.0731"), D("0.0735"), D("0.0719"))
    q = tmp_path / "candles.json"
    q.write_text('{"code": "200000", "data": [["1671926400", "1", "1", "1", "1", "1", "1"]]}')
    with pytest.raises(ValidationError, match="candles.json, row 1, column 'symbol': the symbol of the candles is unknown"):
        ingest(ws, q)


def test_binance_api_restrictions_store_only_the_fingerprint(ws: Workspace, tmp_path: Path) -> None:
    key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    before = table_counts(ws)
    with pytest.raises(ValidationError, match="column 'api_key': the record does not name its API key"):
        ingest(ws, "binance_api_key_permissions_doc_example.json", account="b-1")
    assert table_counts(ws) == before
    r = ingest(ws, "binance_api_key_permissions_doc_example.json", account="b-1", api_key=key)
    assert (r.format, r.kind, r.rows_added) == ("binance_api_restrictions", "api_keys", 1)
    [k] = stored(ws, "api_keys")
    assert k["fingerprint"] == api_key_fingerprint("binance", key)
    assert (k["exchange"], k["account"], k["ip_restricted"]) == ("binance", "b-1", False)
    assert k["created_utc"] == datetime(2020, 12, 4, 12, 20, tzinfo=UTC)
    assert '"enableSpotAndMarginTrading":true' in k["permissions"]
    assert '"enableWithdrawals":false' in k["permissions"]
    ws_files = [p for p in ws.settings.db_path.parent.rglob("*") if p.is_file()]
    assert not any(key.encode() in p.read_bytes() for p in ws_files)
    assert ingest(ws, "binance_api_key_permissions_doc_example.json", account="b-1", api_key=key).rows_added == 0


def test_3commas_json_market_orders_and_deal_legs(ws: Workspace) -> None:
    r = ingest(ws, BOTS / "3commas_deals.json")
    assert (r.format, r.exchange, r.kind, r.rows_added) == ("threecommas_deals", "3commas", "bot_orders", 6)
    rows = stored(ws, "bot_orders")
    got = [(x["deal_id"], x["order_id"], x["side"], x["pair"], x["quantity"], x["price"]) for x in rows]
    assert got == [
        ("2133300001", "18200001", "buy", "BTC/USDT", D("0.00593"), D("16865.09")),   # rate 0: average price
        ("2133300001", "18200002", "buy", "BTC/USDT", D("0.00615"), D("16853.66")),
        ("2133300001", "18200004", "sell", "BTC/USDT", D("0.01208"), D("17112.06")),  # cancelled row 3 left out
        ("2133300002", None, "buy", "ETH/BTC", D("0.75"), D("0.07448")),              # open deal: one leg
        ("2133300003", None, "sell", "1INCH/USDT", D("400"), D("0.34")),              # short: sells first
        ("2133300003", None, "buy", "1INCH/USDT", D("400"), D("0.32")),
    ]
    assert rows[0]["time_utc"] == datetime(2022, 12, 24, 21, 0, 3, 500000, tzinfo=UTC)
    assert rows[5]["time_utc"] == datetime(2022, 12, 26, 12, 30, tzinfo=UTC)
    assert (rows[0]["platform"], rows[0]["platform_account_id"], rows[0]["bot_id"]) == ("3commas", "31000077", "9100001")
    assert ingest(ws, BOTS / "3commas_deals.json").rows_added == 0


def test_3commas_csv_export(ws: Workspace) -> None:
    ingest(ws, BOTS / "3commas_deals_export.csv", exchange="Binance", account="binance-uid-1")
    assert {x["exchange"] for x in stored(ws, "bot_orders")} == {"binance"}
    rows = stored(ws, "bot_orders")
    assert [(x["deal_id"], x["side"], x["time_utc"], x["quantity"], x["price"], x["account"]) for x in rows] == [
        ("2133300101", "buy", datetime(2022, 12, 27, 1, 2, 3, 4000, tzinfo=UTC), D("0.006"), D("16866.66666667"),
         "binance-uid-1"),
        ("2133300101", "sell", datetime(2022, 12, 27, 2, 0, tzinfo=UTC), D("0.006"), D("17150.0"), "binance-uid-1"),
        ("2133300102", "buy", datetime(2022, 12, 27, 3, 0, tzinfo=UTC), D("0.006"), D("16833.33333333"),
         "binance-uid-1"),
    ]


def test_3commas_bad_pair(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "deals.json"
    p.write_text('[{"id": 1, "bot_id": 2, "pair": "BTCUSDT", "created_at": "2022-12-24T21:00:03Z", '
                 '"bought_amount": "1", "bought_average_price": "2"}]')
    with pytest.raises(ValidationError, match=r"deals.json, row 1, column 'pair': the pair 'BTCUSDT' is not QUOTE_BASE"):
        ingest(ws, p)


def test_binance_klines_ms_microseconds_and_zip(ws: Workspace) -> None:
    r = ingest(ws, PRICES / "BTCUSDT-1m-2022-12.csv")
    assert (r.format, r.account, r.rows_added) == ("binance_klines", "", 3)
    ingest(ws, PRICES / "ETHUSDT-1h-2025-01.csv")
    ingest(ws, PRICES / "AKROUSDT-1m-2022-12.zip")
    bars = stored(ws, "price_bars", "source = 'binance' ORDER BY pair, open_time --")
    got = [(b["pair"], b["interval"], b["open_time"], b["open"], b["high"], b["low"], b["close"], b["trade_count"])
           for b in bars]
    assert got[0] == ("AKRO/USDT", "1m", datetime(2022, 12, 25, 16, 29, tzinfo=UTC), D("0.00512"), D("0.00519"),
                      D("0.00511"), D("0.00518"), 57)
    assert got[1][2:7] == (datetime(2022, 12, 25, 16, 30, tzinfo=UTC), D("0.00518"), D("0.0459"), D("0.00518"),
                           D("0.0421"))
    assert got[2][:3] == ("BTC/USDT", "1m", datetime(2022, 12, 26, tzinfo=UTC))
    assert (bars[2]["volume"], bars[2]["quote_volume"]) == (D("88.41273"), D("1488234.2091374"))
    assert got[5][:3] == ("ETH/USDT", "1h", datetime(2025, 1, 1, tzinfo=UTC))  # microseconds from 2025
    assert got[6][2] == datetime(2025, 1, 1, 1, tzinfo=UTC)
    assert ingest(ws, PRICES / "AKROUSDT-1m-2022-12.zip").rows_added == 0


def test_kline_file_needs_its_name(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "klines.csv"
    p.write_bytes((PRICES / "BTCUSDT-1m-2022-12.csv").read_bytes())
    with pytest.raises(UnknownFormatError, match="klines.csv: keytrace does not know this format"):
        ingest(ws, p)
    q = tmp_path / "FOOBAR-1m-2022-12.csv"
    q.write_bytes((PRICES / "BTCUSDT-1m-2022-12.csv").read_bytes())
    with pytest.raises(InputError, match="the symbol 'FOOBAR' in the file name does not end with a known quote"):
        ingest(ws, q)


def test_kline_bad_bar_and_repeated_open_time(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "BTCUSDT-1m-2022-12.csv"
    p.write_text("1672012800000,1,2,0.5,1.5,10,1672012859999,15,3,5,7,0\n"
                 "1672012800000,1,2,0.5,1.5,10,1672012859999,15,3,5,7,0\n")
    before = table_counts(ws)
    with pytest.raises(ValidationError, match="row 2, column 'open_time': the open time repeats an earlier bar"):
        ingest(ws, p)
    p.write_text("1672012800000,1,0.9,0.5,1.5,10,1672012859999,15,3,5,7,0\n")
    with pytest.raises(ValidationError, match="row 1, column 'high': open and close do not lie between low and high"):
        ingest(ws, p)
    assert table_counts(ws) == before


def test_zip_with_two_members_or_a_bomb_is_refused(ws: Workspace, tmp_path: Path) -> None:
    two = tmp_path / "BTCUSDT-1m-2022-12.zip"
    with zipfile.ZipFile(two, "w") as z:
        z.writestr("a.csv", "1\n")
        z.writestr("b.csv", "2\n")
    with pytest.raises(UnsafeFileError, match="the zip archive holds 2 files"):
        ingest(ws, two)
    bomb = tmp_path / "ETHUSDT-1m-2022-12.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("ETHUSDT-1m-2022-12.csv", "0" * (8 << 20))
    with pytest.raises(UnsafeFileError, match="refusing a possible zip bomb"):
        ingest(ws, bomb)


def test_unknown_json_is_refused(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"hello": "world"}')
    with pytest.raises(InputError, match="x.json: keytrace does not know this JSON document"):
        ingest(ws, p)
    p.write_text('{"hello": ')
    with pytest.raises(InputError, match=r"x.json: the JSON is not valid \(line 1"):
        ingest(ws, p)


def test_cli_api_key_option_and_account_less_line(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main
    from tests.ingest.format_helpers import EXPORTS

    db = str(ws.settings.db_path)
    key = "AbCdEfGh0123456789abcdefgh0123456789ABCDEFGH0123456789abcdefghij"
    assert main(["--db", db, "ingest", str(EXPORTS / "binance_api_key_permissions_doc_example.json"),
                 "--account", "b-9", "--api-key", key]) == 0
    out = capsys.readouterr().out
    assert "binance_api_restrictions (binance account b-9): 1 rows read, 1 added" in out
    assert key not in out
    assert stored(ws, "api_keys")[0]["fingerprint"] == api_key_fingerprint("binance", key)
    assert main(["--db", db, "ingest", str(PRICES / "BTCUSDT-1m-2022-12.csv")]) == 0
    assert "BTCUSDT-1m-2022-12.csv: binance_klines (binance): 3 rows read, 3 added" in capsys.readouterr().out


def test_empty_api_responses_are_refused_clearly(ws: Workspace, tmp_path: Path) -> None:
    for text in ('{"code": "200000", "data": {"currentPage": 1, "items": []}}', "[]"):
        p = tmp_path / "fills.json"
        p.write_text(text)
        with pytest.raises(InputError, match="fills.json: the JSON holds no records"):
            ingest(ws, p, account="a")
    assert table_counts(ws)["evidence_files"] == 0


def test_kline_file_that_already_has_a_header(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "SOLUSDT-1d-2025-02.csv"
    p.write_text("open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
                 "taker_buy_quote_volume,ignore\n"
                 "1738368000000000,230.1,235.2,220.3,229.9,1000.5,1738454399999999,230115.0,500,400.1,92000.2,0\n")
    r = ingest(ws, p)
    assert (r.format, r.rows_added) == ("binance_klines", 1)
    [bar] = stored(ws, "price_bars")
    assert (bar["pair"], bar["interval"], bar["open_time"], bar["close"]) == (
        "SOL/USDT", "1d", datetime(2025, 2, 1, tzinfo=UTC), D("229.9"))


def test_formula_like_text_in_a_3commas_deal_is_stored_inert_and_flagged(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "deals.json"
    p.write_text('[{"id": "=cmd|\' /C calc\'!A0", "bot_id": 2, "pair": "USDT_BTC", "created_at": "2022-12-24T21:00:03Z",'
                 ' "bought_amount": "1", "bought_average_price": "2"}]')
    r = ingest(ws, p)
    assert r.flagged_count == 1
    assert r.flagged[0].column == "deal_id" and "formula-like text stored inert" in r.flagged[0].reason
    assert stored(ws, "bot_orders")[0]["deal_id"] == "=cmd|' /C calc'!A0"


def test_kline_file_with_crlf_line_ends(ws: Workspace, tmp_path: Path) -> None:
    # kline files re-written on Windows end every line with \r\n; the added header must end the same way
    p = tmp_path / "BTCUSDT-1m-2022-12.csv"
    p.write_bytes(b"1672012800000,16541.77,16545.70,16508.39,16529.67,88.41273,1672012859999,1461530.1234,3012,"
                  b"40.1,662000.5,0\r\n"
                  b"1672012860000,16529.67,16531.00,16520.00,16525.01,12.5,1672012919999,206600.25,900,6.2,"
                  b"102451.0,0\r\n")
    r = ingest(ws, p)
    assert (r.format, r.rows_read, r.rows_added) == ("binance_klines", 2, 2)
    bars = stored(ws, "price_bars")
    assert [(b["open_time"], b["open"], b["close"], b["volume"], b["trade_count"]) for b in bars] == [
        (datetime(2022, 12, 26, tzinfo=UTC), D("16541.77"), D("16529.67"), D("88.41273"), 3012),
        (datetime(2022, 12, 26, 0, 1, tzinfo=UTC), D("16529.67"), D("16525.01"), D("12.5"), 900)]


def test_3commas_average_price_past_18_decimals_keeps_its_exact_text(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "deals.json"
    p.write_text('[{"id": 7, "bot_id": 8, "account_id": 9, "pair": "USDT_BTC", "created_at": "2024-10-30T06:17:22.363Z",'
                 ' "bought_amount": "0.0123", "bought_average_price": "67250.12345678901234567891"}]')
    r = ingest(ws, p)
    assert (r.format, r.rows_added) == ("threecommas_deals", 1)
    [row] = stored(ws, "bot_orders")
    # DECIMAL(38,18) cannot hold 20 decimals: the number is rounded, the text is kept exactly
    assert (row["price_text"], row["quantity"], row["time_utc"]) == (
        "67250.12345678901234567891", D("0.0123"), datetime(2024, 10, 30, 6, 17, 22, 363000, tzinfo=UTC))
    assert row["price"] == D("67250.123456789012345679")
    assert D(row["price_text"]) != row["price"]
