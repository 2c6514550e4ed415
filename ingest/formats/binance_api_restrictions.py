"""Binance ``GET /sapi/v1/account/apiRestrictions``: what one API key may do, and since when.

The record (``ipRestrict``, ``createTime`` in epoch milliseconds, ``enableReading``,
``enableWithdrawals``, ``enableSpotAndMarginTrading``, ...) does not name the key it describes, so the
key is given with ``--api-key``; :func:`ingest.api.ingest_file` reduces it at once to
:func:`core.fingerprint.api_key_fingerprint`, the same fingerprint a leaked-key dump and a claim
produce, and only that fingerprint is stored (in ``api_keys``, with the flags as JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.convert import BINANCE_RESTRICTIONS_COLUMNS
from ingest.formats.base import FileHead, FormatSpec, Options


def _params(head: FileHead, options: Options) -> Mapping[str, Any]:
    return {"api_key_fingerprint": options.api_key_fingerprint}


FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_api_restrictions",
        exchange="binance",
        kind="api_keys",
        description="Binance apiRestrictions JSON (needs --api-key)",
        header=",".join(BINANCE_RESTRICTIONS_COLUMNS),
        params=_params,
    ),
]
