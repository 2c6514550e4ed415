"""The bot platform's own log: 3Commas deals and their market orders, into ``bot_orders``.

A victim's read-only 3Commas key (``GET /ver1/deals``, and each deal's ``market_orders``) or the web
app's CSV export gives what the victim's bots meant to trade; exchange trades it does not explain are
candidates for unauthorised ones (see ../shared/realdata/PROVENANCE.md, section D).

* JSON: a list of deals (or ``{"deals": [...]}``), each optionally carrying ``market_orders`` (base,
  safety and take-profit orders: ``order_id, order_type BUY/SELL, deal_order_type, status_string,
  created_at, quantity, quantity_remaining, rate, average_price``). Filled (and partly filled) market
  orders become bot orders of their filled quantity at their average price; cancelled or still active
  ones moved nothing and are left out.
* A deal without market orders (and the CSV export, one deal per row with the API's field names)
  gives its legs: the opening one at ``created_at`` (``bought_amount`` at ``bought_average_price``
  for a long deal, ``sold_*`` for a short one) and, once closed, the closing one at ``closed_at``.

3Commas writes pairs QUOTE_BASE (``USDT_BTC`` is BTC bought with USDT); they are stored BASE/QUOTE.
``account_id`` is 3Commas' id of the connected exchange account (kept as ``platform_account_id``);
``--exchange`` and ``--account`` may name the exchange and exchange account it maps to. Times are
ISO 8601 UTC (``...363Z``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.convert import THREECOMMAS_COLUMNS
from ingest.formats.base import FileHead, FormatSpec, Options

_TIME_FORMATS = ["%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S",
                 "%Y-%m-%d %H:%M:%S UTC"]
_ALL = tuple(c.lower() for c in THREECOMMAS_COLUMNS)


def _params(head: FileHead, options: Options) -> Mapping[str, Any]:
    """The exchange the deals traded on, when --exchange names it (3Commas' deal records do not)."""
    return {"target_exchange": options.exchange if options.exchange not in (None, "3commas") else None}

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="threecommas_deals",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="3commas",
        kind="bot_orders",
        description="3Commas deals and market orders (JSON from its API)",
        header=",".join(THREECOMMAS_COLUMNS),
        needs_account=False,
        params=_params,
        extra={"time_formats": _TIME_FORMATS},
    ),
    FormatSpec(
        name="threecommas_deals_csv",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="3commas",
        kind="bot_orders",
        description="3Commas deals CSV export, id,...,bot_id,...,pair,...,created_at,...,bought_average_price,...",
        header=r"(?=(.*,)?id,)(?=.*(^|,)bot_id(,|$))(?=.*(^|,)pair(,|$))(?=.*(^|,)created_at(,|$))"
               r"(?=.*(^|,)bought_average_price(,|$)).*",
        sql="threecommas_deals.sql",
        time_column="created_at",
        optional_columns=_ALL,
        needs_account=False,
        params=_params,
        extra={"time_formats": _TIME_FORMATS},
    ),
]
