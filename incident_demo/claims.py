"""Victims' claims of the demo: genuine ones (some proving a wallet by signature) and fraudulent ones.

Wallets use deterministic test keys (``world.wallet_key``): the build step re-derives the key to sign
the challenge the ownership check issues, so no private key is written anywhere. Fraud kinds:
``inflated`` (claimed loss far above the real one), ``duplicate_uid`` (a second person claims an
account someone else claimed), ``no_trace`` (an account no export shows).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from incident_demo.world import Account

FIRST = ("Amelie", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemal",
         "Lucia", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Stefan", "Tamar", "Umar", "Vera",
         "Wen", "Ximena", "Yusuf", "Zofia")
LAST = ("Albrecht", "Benali", "Costa", "Dubois", "Eriksen", "Fontaine", "Garcia", "Hoffmann", "Ivanova",
        "Janssen", "Kowalski", "Laurent", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi",
        "Schmidt", "Tanaka", "Urban", "Varga", "Weber", "Yilmaz", "Zimmermann")
MAX_GENUINE = 16


def password_for(seed: int, username: str) -> str:
    return "demo-" + hashlib.sha256(f"keytrace-demo-password:{seed}:{username}".encode()).hexdigest()[:16]


@dataclass
class ClaimSpec:
    ref: str
    username: str
    name: str
    email: str
    phone: str
    exchange: str
    account: str
    api_key: str | None
    claimed_loss_usd: Decimal | None
    statement: str
    wallet: str | None
    signs_wallet: bool
    fraud: str | None           # None | inflated | duplicate_uid | no_trace
    true_loss_usd: Decimal | None = None
    uploads: list[str] = field(default_factory=list)   # exports the claimant attaches to the claim

    def as_json(self, seed: int) -> dict[str, Any]:
        return {"ref": self.ref, "username": self.username, "password": password_for(seed, self.username),
                "contact_name": self.name, "contact_email": self.email, "contact_phone": self.phone,
                "exchange": self.exchange, "account": self.account, "api_key": self.api_key,
                "claimed_loss_usd": None if self.claimed_loss_usd is None else str(self.claimed_loss_usd),
                "statement": self.statement, "wallet_address": self.wallet, "signs_wallet": self.signs_wallet,
                "uploads": self.uploads}


def choose_claimants(seed: int, accounts: list[Account]) -> list[ClaimSpec]:
    """Pick who files a claim (before losses are known: the loss figures are set by ``price_claims``)."""
    rng = random.Random(f"keytrace-demo-claims:{seed}")
    victims = [a for a in accounts if a.role == "victim"]
    others = [a for a in accounts if a.role != "victim"]
    specs: list[ClaimSpec] = []
    used_names: set[str] = set()

    def person() -> tuple[str, str, str, str]:
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if f"{first} {last}" not in used_names:
                used_names.add(f"{first} {last}")
                break
        n = len(specs) + 1
        user = f"{first.lower()}.{last.lower()}{n}"
        email = f"{first.lower()}.{last.lower()}{n}@example.org"
        phone = f"+1-202-555-{(rng.randint(100, 199)):04d}"
        return user, f"{first} {last}", email, phone

    # about half the victims come forward (at most MAX_GENUINE: each claim is a user with an argon2 hash)
    genuine = [a for a in victims if rng.random() < 0.55][:MAX_GENUINE]
    for acc in genuine:
        ref = f"CLM-{len(specs) + 1:04d}"
        user, name, email, phone = person()
        # a claimant can sign for the wallet their withdrawal history names
        signs = acc.wallet is not None and acc.ledger == "histories" and rng.random() < 0.7
        wallet = acc.wallet if signs else None
        fraud = "inflated" if rng.random() < 0.08 else None
        specs.append(ClaimSpec(ref, user, name, email, phone, acc.exchange, acc.uid,
                               acc.api_key if rng.random() < 0.8 else None, None,
                               _story(rng, acc.exchange), wallet, signs, fraud))
    # someone else claims the same UID as a genuine victim
    for spec in rng.sample(specs, min(2, len(specs))):
        ref = f"CLM-{len(specs) + 1:04d}"
        user, name, email, phone = person()
        specs.append(ClaimSpec(ref, user, name, email, phone, spec.exchange, spec.account, None, None,
                               _story(rng, spec.exchange), None, False, "duplicate_uid"))
    # claimants with no trace of the account they name
    for _ in range(2):
        ref = f"CLM-{len(specs) + 1:04d}"
        user, name, email, phone = person()
        exchange = rng.choice(["binance", "kucoin"])
        uid = str(rng.randint(500_000_000, 599_999_999) if exchange == "binance" else rng.randint(10**8, 2 * 10**8))
        specs.append(ClaimSpec(ref, user, name, email, phone, exchange, uid, None, None,
                               _story(rng, exchange), None, False, "no_trace"))
    # an account holder whose account was never attacked claims a loss anyway
    if others:
        acc = rng.choice(others)
        ref = f"CLM-{len(specs) + 1:04d}"
        user, name, email, phone = person()
        specs.append(ClaimSpec(ref, user, name, email, phone, acc.exchange, acc.uid, None, None,
                               _story(rng, acc.exchange), None, False, "inflated"))
    return specs


def price_claims(seed: int, specs: list[ClaimSpec], losses: dict[tuple[str, str], Decimal]) -> None:
    """Set the claimed amounts once the true losses are known: genuine within a few percent, fraud far above."""
    rng = random.Random(f"keytrace-demo-claim-amounts:{seed}")
    for spec in specs:
        true = losses.get((spec.exchange, spec.account), Decimal(0))
        spec.true_loss_usd = true if spec.fraud != "no_trace" else None
        if spec.fraud in ("inflated",):
            base = true if true > 0 else Decimal(rng.randint(5_000, 40_000))
            factor = Decimal(rng.randint(30, 80)) / 10
        elif spec.fraud == "duplicate_uid":
            base, factor = (true if true > 0 else Decimal(10_000)), Decimal(rng.randint(90, 130)) / 100
        elif spec.fraud == "no_trace":
            base, factor = Decimal(rng.randint(8_000, 120_000)), Decimal(1)
        else:
            base, factor = true, Decimal(rng.randint(970, 1040)) / 1000
        spec.claimed_loss_usd = (base * factor).quantize(Decimal("0.01"))


# exports whose own rows name the account (a UID column): they count toward ownership, a trade history
# without one does not (queries/sql/claims/ownership_evidence.sql)
NAMES_ACCOUNT = ("binance_transaction_statement", "kucoin_order_splitting", "kucoin_filled_orders",
                 "kucoin_withdrawals")


def attach_uploads(specs: list[ClaimSpec], files: list[dict[str, Any]]) -> None:
    """Claimants who hold the account attach an export of it, one that names the account when the exchange
    gives them one, else their trade history (and, if they sign, the withdrawal history)."""
    by_account: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for f in files:
        if f["load"] == "ingest":
            by_account.setdefault((f["exchange"], f["account"]), []).append(f)
    trade_formats = ("binance_trade_history", "kucoin_trade_history_v3", "kucoin_order_splitting", "kucoin_api_fills")
    for spec in specs:
        if spec.fraud in ("duplicate_uid", "no_trace"):
            continue
        own = by_account.get((spec.exchange, spec.account), [])
        named = [f["path"] for f in own if f["format"] in NAMES_ACCOUNT and f["format"] != "kucoin_withdrawals"]
        spec.uploads = (named or [f["path"] for f in own if f["format"] in trade_formats])[:1]
        if spec.signs_wallet:
            spec.uploads += [f["path"] for f in own if f["format"] in ("binance_withdrawal_history_v1",
                                                                      "kucoin_withdrawals")]


def claims_json(seed: int, specs: list[ClaimSpec]) -> bytes:
    doc = {"format": "keytrace-demo-claims/1",
           "note": "Claims as victims type them into the claim portal; the demo files them through app.claims.",
           "claims": [s.as_json(seed) for s in specs]}
    return json.dumps(doc, indent=2).encode() + b"\n"


_STORIES = (
    "My {ex} account was connected to 3Commas with a trade-only key. Overnight everything was sold and "
    "spent on a coin I never bought. I did not place these orders.",
    "I woke up to hundreds of buy orders of a tiny coin on {ex}. My bots were only set up for majors. "
    "The key was created for 3Commas and used nowhere else.",
    "All my holdings on {ex} were converted within an hour. I found my API key in the leaked list.",
    "My balance on {ex} went from normal to almost nothing at night. The trades came through the API.",
)


def _story(rng: random.Random, exchange: str) -> str:
    return rng.choice(_STORIES).format(ex={"binance": "Binance", "kucoin": "KuCoin"}[exchange])
