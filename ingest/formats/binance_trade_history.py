"""Binance Spot "Trade History": the current export, its translated variants, and the 2018-2019 legacy one.

A Binance account whose interface speaks another language exports the Trade History with the header
translated and two-digit years (``25-12-31 01:00:45`` is 2025-12-31), the values as in English (fused
``285.7CTK``, ``BUY``/``SELL``). Only translations seen in a real source are read:

* Spanish, ``Tiempo,Par,Lado,Precio,Ejecutado,Cantidad,Tarifa``: the Spanish-export fixture
  ``binance-spot-es-sample.csv`` of GeiserX/DeclaRenta (a Spanish tax tool) and its parser
  ``src/parsers/binance.ts`` ("Historial de operaciones de spot").
* Czech, ``Čas,Pár,Strana,Cena,Provedeno,Částka,Poplatek``: the test ``testLocalizedCzechHeaderWithTwoDigitYear``
  of everytrade's ``BinanceBeanV3Test`` ("Binance Spot Trade History exported with Czech UI", ticket ETS-5030).

The translated headers name no zone: the zone is the one the file name carries (``...(UTC+2)...``, as the
newer exports are named), else UTC, as both sources read them. Errors name the file's own columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.formats.base import FileHead, FormatSpec, Options, header_offset_minutes, offset_from_name

_COLUMNS = ("date", "pair", "side", "price", "executed", "amount", "fee")
_TWO_DIGIT_YEAR = ["%y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def _names(head: FileHead, options: Options) -> Mapping[str, Any]:
    """The file's own names of the columns (in the export's fixed order), for the errors."""
    own = dict(zip(_COLUMNS, head.raw_header, strict=False))
    return {f"h_{c}": own.get(c, c) for c in _COLUMNS[1:]}


def _translated(head: FileHead, options: Options) -> Mapping[str, Any]:
    """As :func:`_names`, and the zone of the file name (the translated header names none), else UTC."""
    zone = header_offset_minutes(head.raw_header, default=10_000)
    return {**_names(head, options), "offset_minutes": zone if zone != 10_000 else offset_from_name(head.name, 0)}


FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_trade_history",
        exchange="binance",
        kind="trades",
        description="Binance Spot Trade History, Date(UTC),Pair,Side,Price,Executed,Amount,Fee",
        header=r"Date\(UTC[^)]*\),Pair,Side,Price,Executed,Amount,Fee",
        time_column="date",
        params=_names,
        extra={"time_formats": "%Y-%m-%d %H:%M:%S"},  # one format: 3x faster than a list on big files
    ),
    FormatSpec(
        name="binance_trade_history_es",
        exchange="binance",
        kind="trades",
        description="Binance Spot Trade History in Spanish, Tiempo,Par,Lado,Precio,Ejecutado,Cantidad,Tarifa",
        header=r"Tiempo,Par,Lado,Precio,Ejecutado,Cantidad,Tarifa",
        sql="binance_trade_history.sql",
        columns=_COLUMNS,
        time_column="date",
        params=_translated,
        extra={"time_formats": _TWO_DIGIT_YEAR},
    ),
    FormatSpec(
        name="binance_trade_history_cs",
        exchange="binance",
        kind="trades",
        description="Binance Spot Trade History in Czech, Čas,Pár,Strana,Cena,Provedeno,Částka,Poplatek",
        header=r"Čas,Pár,Strana,Cena,Provedeno,Částka,Poplatek",
        sql="binance_trade_history.sql",
        columns=_COLUMNS,
        time_column="date",
        params=_translated,
        extra={"time_formats": _TWO_DIGIT_YEAR},
    ),
    FormatSpec(
        name="binance_trade_history_legacy",
        exchange="binance",
        kind="trades",
        description="Binance Trade History 2018-2019, Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin",
        header=r"Date\(UTC[^)]*\),Market,Type,Price,Amount,Total,Fee,Fee Coin",
        time_column="date",
    ),
]
