"""Writers for the exchanges' real export formats, byte for byte (see ../shared/realdata/PROVENANCE.md).

Each writer takes the generated records and returns the file's bytes; trade writers also return the
1-based data row of every fill (header excluded) so that the ground truth can name file and row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from incident_demo.markets import BY_NAME, Markets
from incident_demo.world import Account, Deal, Fill, Movement

BINANCE_TRADE_HISTORY = "Date(UTC),Pair,Side,Price,Executed,Amount,Fee"
BINANCE_STATEMENT = "User_ID,UTC_Time,Account,Operation,Coin,Change,Remark"
BINANCE_DEPOSIT_V1 = "Date(UTC),Coin,Network,Amount,TransactionFee,Address,TXID,SourceAddress,PaymentID,Status"
KUCOIN_V3 = "tradeCreatedAt,orderId,symbol,side,price,size,funds,fee,liquidity,feeCurrency,orderType"
KUCOIN_FILLED_ORDERS = ("UID,Account Type,Order ID,Order Time({zone}),Symbol,Side,Order Type,Order Price,"
                        "Order Amount,Avg. Filled Price,Filled Amount,Filled Volume,Filled Volume (USDT),"
                        "Filled Time({zone}),Fee,Fee Currency,Tax,Status,Account Mode")
KUCOIN_ORDER_SPLITTING = ("UID,Account Type,Order ID,Symbol,Side,Order Type,Avg. Filled Price,Filled Amount,"
                          "Filled Volume,Filled Volume (USDT),Filled Time({zone}),Fee,Tax,Maker/Taker,Fee Currency,"
                          "Account Mode")
KUCOIN_DEPOSITS = ("UID,Account Type,Time({zone}),Coin,Amount,Fee,Hash,Deposit Address,Transfer Network,"
                   "Status,Remarks")
KUCOIN_WITHDRAWALS = ("UID,Account Type,Time({zone}),Coin,Amount,Fee,Hash,Withdrawal Address/Account,"
                      "Transfer Network,Status,Remarks")
KUCOIN_ZONES = {"UTC+08:00": 8 * 60, "UTC": 0, "UTC+03:00": 3 * 60}


def plain(d: Decimal) -> str:
    """A decimal without exponent and without trailing zeros (KuCoin's way): 0.1025, 36.4479, 10."""
    text = format(d.normalize(), "f")
    return text


def fixed(d: Decimal, places: int, thousands: bool = False) -> str:
    return format(d, f"{',' if thousands else ''}.{places}f")


def binance_change(d: Decimal) -> str:
    """Binance statement numbers: plain, trailing zeros dropped, exponent form below 1e-4 (-3.605E-05)."""
    if d == 0:
        return "0"
    if abs(d) >= Decimal("0.0001"):
        return plain(d)
    sign, digits, exp = d.normalize().as_tuple()
    assert isinstance(exp, int)
    mantissa = "".join(str(x) for x in digits)
    mantissa = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    power = exp + len(digits) - 1
    return f"{'-' if sign else ''}{mantissa}E-{abs(power):02d}"


def _dt(t: int, minutes: int = 0) -> str:
    return datetime.fromtimestamp(t, tz=timezone(timedelta(minutes=minutes))).strftime("%Y-%m-%d %H:%M:%S")


def _csv_line(fields: Sequence[str], quote_all: bool = False) -> str:
    out = []
    for f in fields:
        if quote_all or "," in f or '"' in f:
            out.append('"' + f.replace('"', '""') + '"')
        else:
            out.append(f)
    return ",".join(out) + "\n"


def newest_first(fills: Iterable[Fill]) -> list[Fill]:
    return sorted(fills, key=lambda f: (-f.t, -f.seq))


def oldest_first(fills: Iterable[Fill]) -> list[Fill]:
    return sorted(fills, key=lambda f: (f.t, f.seq))


# ---------------------------------------------------------------------------------------------- Binance
def binance_trade_history(acc: Account) -> tuple[bytes, dict[int, int]]:
    """Spot Trade History: fused amounts, quoted thousands separators, newest first.

    Variants seen in real exports: ``plain``, ``bom`` (UTF-8 BOM before the header) and ``quoted``
    (every field quoted, no thousands separator).
    """
    quoted = acc.export == "quoted"
    lines = [_csv_line(BINANCE_TRADE_HISTORY.split(","), quote_all=quoted)]
    rows: dict[int, int] = {}
    for n, f in enumerate(newest_first(acc.fills), start=1):
        rows[f.seq] = n
        sep = not quoted
        lines.append(_csv_line([
            _dt(f.t), BY_NAME[f.pair].fused, f.side.upper(), fixed(f.price, 10, sep),
            fixed(f.quantity, 10, sep) + f.base, fixed(f.quote_quantity, 8, sep) + f.quote,
            fixed(f.fee, 10, sep) + f.fee_asset], quote_all=quoted))
    text = "".join(lines)
    return (("\ufeff" if acc.export == "bom" else "") + text).encode(), rows


STATEMENT_OPERATIONS = {   # (base leg, quote leg, fee) operations of a buy and a sell, per statement style
    ("classic", "buy"): ("Buy", "Buy", "Fee"), ("classic", "sell"): ("Sell", "Sell", "Fee"),
    ("2023", "buy"): ("Transaction Buy", "Transaction Spend", "Transaction Fee"),
    ("2023", "sell"): ("Transaction Sold", "Transaction Revenue", "Transaction Fee"),
}


def binance_statement(acc: Account) -> tuple[bytes, dict[int, int]]:
    """Transaction History statement: one row per balance change, a trade spread over 2-3 rows.

    The legs of one fill share its second (and so do the legs of every fill of that second). Operations
    in the account's ``statement_style``: ``classic`` (Buy, Sell, Fee) or ``2023`` (Transaction Buy /
    Spend / Sold / Revenue / Fee). Also returns the data row of each fill's first leg.
    """
    events: list[tuple[int, int, list[tuple[str, str, Decimal, str]]]] = []
    for mv in acc.movements:
        op = "Deposit" if mv.kind == "deposit" else "Withdraw"
        amount = mv.amount if mv.kind == "deposit" else -(mv.amount + mv.fee)
        events.append((mv.t, 0, [(op, mv.asset, amount, "")]))
    for f in acc.fills:
        base_op, quote_op, fee_op = STATEMENT_OPERATIONS[(acc.statement_style, f.side)]
        sign = 1 if f.side == "buy" else -1
        legs = [(base_op, f.base, sign * f.quantity, ""), (quote_op, f.quote, -sign * f.quote_quantity, "")]
        if f.fee:
            legs.append((fee_op, f.fee_asset, -f.fee, ""))
        events.append((f.t, f.seq, legs))
    events.sort(key=lambda e: (e[0], e[1]))
    lines = [BINANCE_STATEMENT + "\n"]
    rows: dict[int, int] = {}
    for t, seq, legs in events:
        if seq:
            rows[seq] = len(lines)
        for op, coin, change, remark in legs:
            lines.append(_csv_line([acc.uid, _dt(t), "Spot", op, coin, binance_change(change), remark]))
    return "".join(lines).encode(), rows


def binance_movements(acc: Account, kind: str) -> bytes:
    """Deposit or withdrawal history, v1 CSV (one header for both; the direction is in the file name)."""
    lines = [BINANCE_DEPOSIT_V1 + "\n"]
    for mv in sorted((m for m in acc.movements if m.kind == kind), key=lambda m: -m.t):
        lines.append(_csv_line([_dt(mv.t), mv.asset, mv.network, plain(mv.amount),
                                plain(mv.fee) if kind == "withdrawal" else "0", mv.address, mv.tx_hash,
                                "", "", "Completed"]))
    return "".join(lines).encode()


def binance_api_restrictions(acc: Account) -> bytes:
    """GET /sapi/v1/account/apiRestrictions, as the 3Commas connection needed it (trading, no withdrawals)."""
    doc = {"ipRestrict": False, "createTime": acc.key_created * 1000, "enableReading": True,
           "enableWithdrawals": False, "enableInternalTransfer": False, "enableMargin": False,
           "enableFutures": False, "permitsUniversalTransfer": False, "enableVanillaOptions": False,
           "enableFixApiTrade": False, "enableFixReadOnly": False, "enableSpotAndMarginTrading": True,
           "enablePortfolioMarginTrading": False}
    return json.dumps(doc, separators=(",", ":")).encode()


# ---------------------------------------------------------------------------------------------- KuCoin
def kucoin_zone(acc: Account) -> str:
    zones = sorted(KUCOIN_ZONES)
    return zones[int(acc.uid) % len(zones)] if acc.export in ("order_splitting", "filled_orders") else "UTC+08:00"


def kucoin_v3(acc: Account) -> tuple[bytes, dict[int, int]]:
    """Trade history v3: times in Asia/Singapore (UTC+8) with no zone in the header, oldest first."""
    lines = [KUCOIN_V3 + "\n"]
    rows: dict[int, int] = {}
    for n, f in enumerate(oldest_first(acc.fills), start=1):
        rows[f.seq] = n
        lines.append(_csv_line([_dt(f.t, 480), f.order_id, BY_NAME[f.pair].dashed, f.side, plain(f.price),
                                plain(f.quantity), plain(f.quote_quantity), plain(f.fee), f.liquidity,
                                f.fee_asset, f.order_type]))
    return "".join(lines).encode(), rows


def kucoin_filled_orders(acc: Account, markets: Markets) -> tuple[bytes, dict[int, int]]:
    """Spot Orders > Filled Orders export (one row per order; the zone is in the header).

    The fills sharing an order id (the parts of one order, in one second) make one row with their summed
    amounts and fees; the row of every fill is its order's.
    """
    zone = kucoin_zone(acc)
    minutes = KUCOIN_ZONES[zone]
    lines = [KUCOIN_FILLED_ORDERS.format(zone=zone) + "\n"]
    orders: dict[str, list[Fill]] = {}
    for f in newest_first(acc.fills):
        orders.setdefault(f.order_id, []).append(f)
    rows: dict[int, int] = {}
    for n, parts in enumerate(orders.values(), start=1):
        f = min(parts, key=lambda p: p.seq)
        for p in parts:
            rows[p.seq] = n
        qty = sum((p.quantity for p in parts), Decimal(0))
        quote = sum((p.quote_quantity for p in parts), Decimal(0))
        fee = sum((p.fee for p in parts), Decimal(0))
        usdt = quote if f.quote == "USDT" else quote * markets.bar_at(f"{f.quote}/USDT", f.t).close
        placed = f.t - (0 if f.order_type == "market" else (f.seq * 7) % 50)
        lines.append(_csv_line([
            acc.uid, "mainAccount", f.order_id, _dt(placed, minutes), BY_NAME[f.pair].dashed, f.side.upper(),
            f.order_type.upper(), plain(f.price), plain(qty), plain(f.price), plain(qty),
            plain(quote), plain(usdt), _dt(f.t, minutes), plain(fee), f.fee_asset, "", "deal",
            "CLASSIC"]))
    return "".join(lines).encode(), rows


def kucoin_order_splitting(acc: Account, markets: Markets) -> tuple[bytes, dict[int, int]]:
    """Spot Orders > Order-splitting (fills) export: one row per fill, newest first, the zone in the header."""
    zone = kucoin_zone(acc)
    minutes = KUCOIN_ZONES[zone]
    lines = [KUCOIN_ORDER_SPLITTING.format(zone=zone) + "\n"]
    rows: dict[int, int] = {}
    for n, f in enumerate(newest_first(acc.fills), start=1):
        rows[f.seq] = n
        usdt = f.quote_quantity if f.quote == "USDT" else f.quote_quantity * markets.bar_at(f"{f.quote}/USDT", f.t).close
        lines.append(_csv_line([
            acc.uid, "mainAccount", f.order_id, BY_NAME[f.pair].dashed, f.side.upper(), f.order_type.upper(),
            plain(f.price), plain(f.quantity), plain(f.quote_quantity), plain(usdt), _dt(f.t, minutes),
            plain(f.fee), "", f.liquidity.upper(), f.fee_asset, "CLASSIC"]))
    return "".join(lines).encode(), rows


def _kucoin_page(items: list[dict[str, Any]], page: int, pages: int, total: int, size: int) -> bytes:
    doc = {"code": "200000", "data": {"currentPage": page, "pageSize": size, "totalNum": total,
                                      "totalPage": pages, "items": items}}
    return json.dumps(doc, separators=(",", ":")).encode()


def kucoin_rest_fills(acc: Account, page_size: int = 500) -> list[tuple[bytes, dict[int, int]]]:
    """GET /api/v1/fills pages (newest first), with counterOrderId: one file per page."""
    fills = newest_first(acc.fills)
    pages = max(1, -(-len(fills) // page_size))
    out = []
    for p in range(pages):
        chunk = fills[p * page_size:(p + 1) * page_size]
        items = [{"symbol": BY_NAME[f.pair].dashed, "tradeId": f.trade_id, "orderId": f.order_id,
                  "counterOrderId": f.counter_order_id, "side": f.side, "liquidity": f.liquidity,
                  "forceTaker": False, "price": plain(f.price), "size": plain(f.quantity),
                  "funds": plain(f.quote_quantity), "fee": plain(f.fee), "feeRate": "0.001",
                  "feeCurrency": f.fee_asset, "stop": "", "tradeType": "TRADE", "type": f.order_type,
                  "createdAt": f.t * 1000 + f.ms} for f in chunk]
        rows = {f.seq: i for i, f in enumerate(chunk, start=1)}
        out.append((_kucoin_page(items, p + 1, pages, len(fills), page_size), rows))
    return out


def kucoin_rest_orders(acc: Account, page_size: int = 500) -> list[bytes]:
    """GET /api/v1/orders?status=done pages: each order's channel (API for bots and attackers)."""
    fills = newest_first(acc.fills)
    pages = max(1, -(-len(fills) // page_size))
    out = []
    for p in range(pages):
        chunk = fills[p * page_size:(p + 1) * page_size]
        items = [{"id": f.order_id, "symbol": BY_NAME[f.pair].dashed, "opType": "DEAL", "type": f.order_type,
                  "side": f.side, "price": "0" if f.order_type == "market" else plain(f.price),
                  "size": plain(f.quantity), "funds": "0", "dealFunds": plain(f.quote_quantity),
                  "dealSize": plain(f.quantity), "fee": plain(f.fee), "feeCurrency": f.fee_asset, "stp": "",
                  "stop": "", "stopTriggered": False, "stopPrice": "0", "timeInForce": "GTC", "postOnly": False,
                  "hidden": False, "iceberg": False, "visibleSize": "0", "cancelAfter": 0, "channel": f.channel,
                  "clientOid": _client_oid(f), "remark": None, "tags": "", "isActive": False,
                  "cancelExist": False, "createdAt": f.t * 1000 + max(f.ms - 40, 0), "tradeType": "TRADE"}
                 for f in chunk]
        out.append(_kucoin_page(items, p + 1, pages, len(fills), page_size))
    return out


def _client_oid(f: Fill) -> str:
    h = f"{f.seq:08x}{f.t:08x}{int(f.trade_id):016x}"[-32:].rjust(32, "0")
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def kucoin_movements(acc: Account, kind: str) -> bytes:
    zone = "UTC+08:00"
    header = KUCOIN_DEPOSITS if kind == "deposit" else KUCOIN_WITHDRAWALS
    lines = [header.format(zone=zone) + "\n"]
    for mv in sorted((m for m in acc.movements if m.kind == kind), key=lambda m: -m.t):
        lines.append(_csv_line([acc.uid, "mainAccount", _dt(mv.t, 480), mv.asset, plain(mv.amount),
                                plain(mv.fee), mv.tx_hash, mv.address, mv.network, "SUCCESS", ""]))
    return "".join(lines).encode()


# ---------------------------------------------------------------------------------------------- 3Commas
def _iso_ms(t: int, ms: int = 0) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{ms:03d}Z"


def three_commas_deals(acc: Account) -> bytes:
    """GET /ver1/deals (newest first), each deal with its market orders as GET .../market_orders gives."""
    deals = sorted(acc.deals, key=lambda d: -d.deal_id)
    return json.dumps([_deal(acc, d) for d in deals], indent=2).encode() + b"\n"


def _deal(acc: Account, d: Deal) -> dict[str, Any]:
    pair = BY_NAME[d.pair]
    buys = [f for f in d.fills if f.side == "buy"]
    sells = [f for f in d.fills if f.side == "sell"]
    b_amt = sum((f.quantity for f in buys), Decimal(0))
    b_vol = sum((f.quote_quantity for f in buys), Decimal(0))
    s_amt = sum((f.quantity for f in sells), Decimal(0))
    s_vol = sum((f.quote_quantity for f in sells), Decimal(0))
    profit = s_vol - b_vol if sells else Decimal(0)
    finished = d.closed is not None
    updated = d.closed if d.closed else (d.fills[-1].t if d.fills else d.created)
    orders = [{"order_id": f.order_id, "order_type": f.side.upper(), "deal_order_type": f.deal_order_type,
               "cancellable": False, "status_string": "Filled", "created_at": _iso_ms(f.t, f.ms),
               "updated_at": _iso_ms(f.t, f.ms), "quantity": plain(f.quantity), "quantity_remaining": "0.0",
               "total": plain(f.quote_quantity), "rate": plain(f.price), "average_price": plain(f.price)}
              for f in d.fills]
    return {
        "id": d.deal_id, "type": "Deal", "bot_id": d.bot_id, "max_safety_orders": d.max_safety_orders,
        "deal_has_error": False, "account_id": d.platform_account_id,
        "active_safety_orders_count": 0, "created_at": _iso_ms(d.created, (d.deal_id * 37) % 1000),
        "updated_at": _iso_ms(updated, (d.deal_id * 53) % 1000),
        "closed_at": _iso_ms(d.closed, (d.deal_id * 53) % 1000) if d.closed else None,
        "finished?": finished, "current_active_safety_orders_count": 0,
        "completed_safety_orders_count": sum(1 for f in d.fills if f.deal_order_type == "Safety"),
        "cancellable?": not finished, "panic_sellable?": not finished, "trailing_enabled": False,
        "tsl_enabled": False, "stop_loss_timeout_enabled": False, "pair": f"{pair.quote}_{pair.base}",
        "status": "completed" if finished else "bought", "take_profit": plain(d.take_profit),
        "base_order_volume": plain(d.base_order_volume), "safety_order_volume": plain(d.safety_order_volume),
        "safety_order_step_percentage": "1.5", "bought_amount": plain(b_amt), "bought_volume": plain(b_vol),
        "bought_average_price": plain((b_vol / b_amt).quantize(pair.tick)) if b_amt else "0",
        "sold_amount": plain(s_amt), "sold_volume": plain(s_vol),
        "sold_average_price": plain((s_vol / s_amt).quantize(pair.tick)) if s_amt else "0",
        "take_profit_type": "total", "final_profit": plain(profit.quantize(Decimal("1e-8"))),
        "final_profit_percentage": plain((profit / b_vol * 100).quantize(Decimal("0.01"))) if b_vol else "0",
        "from_currency": pair.quote, "to_currency": pair.base, "bot_name": d.bot_name,
        "account_name": f"{acc.exchange.capitalize()} main", "usd_final_profit": plain(profit.quantize(Decimal("0.01"))),
        "market_orders": orders,
    }


# ---------------------------------------------------------------------------------------------- klines
def binance_klines(markets: Markets, pair: str, year: int, month: int) -> bytes:
    """Binance public data spot kline file (no header, milliseconds): PAIR-1h-YYYY-MM.csv."""
    lines = []
    for b in markets.bars(pair):
        d = datetime.fromtimestamp(b.open_time, tz=UTC)
        if (d.year, d.month) != (year, month):
            continue
        lines.append(",".join([str(b.open_time * 1000), fixed(b.open, 8), fixed(b.high, 8), fixed(b.low, 8),
                               fixed(b.close, 8), fixed(b.volume, 8), str(b.open_time * 1000 + 3599999),
                               fixed(b.quote_volume, 8), str(b.trades), fixed(b.taker_base, 8),
                               fixed(b.taker_quote, 8), "0"]) + "\n")
    return "".join(lines).encode()


def movements_of(acc: Account, kind: str) -> list[Movement]:
    return [m for m in acc.movements if m.kind == kind]
