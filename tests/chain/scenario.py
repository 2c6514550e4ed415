"""Builds transfers on anvil and records the ground truth from what was sent (not from any decoder)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.anvil import Anvil

ETH = 10 ** 18


@dataclass
class Truth:
    # (block_number, tx_hash, log_index or None, kind, token, from, to, value)
    rows: list[tuple[int, str, int | None, str, str, str, str, int]] = field(default_factory=list)

    def involving(self, addresses: set[str]) -> list[tuple[int, str, int | None, str, str, str, str, int]]:
        return sorted((r for r in self.rows if r[5] in addresses or r[6] in addresses),
                      key=lambda r: (r[0], r[1], -1 if r[2] is None else r[2], r[3], r[6]))

    def erc20(self, receipt: dict[str, object], token: str, moves: list[tuple[str, str, int]]) -> None:
        """Record transfers whose receipt logs (in order) correspond to ``moves``."""
        logs = [lg for lg in receipt["logs"] if lg["address"].lower() == token]  # type: ignore[attr-defined]
        assert len(logs) == len(moves)
        for lg, (frm, to, value) in zip(logs, moves, strict=True):
            self.rows.append((int(receipt["blockNumber"], 16), str(receipt["transactionHash"]),  # type: ignore[call-overload]
                              int(lg["logIndex"], 16), "erc20", token, frm, to, value))

    def native(self, receipt: dict[str, object], frm: str, to: str, value: int, kind: str = "native") -> None:
        self.rows.append((int(receipt["blockNumber"], 16), str(receipt["transactionHash"]), None, kind,  # type: ignore[call-overload]
                          "native", frm, to, value))


@dataclass
class Scenario:
    node: Anvil
    truth: Truth
    victim: str
    attacker: str
    other: str
    deployer: str
    token: str
    token2: str
    bytes32_token: str
    lying_token: str
    forwarder: str


def build(node: Anvil) -> Scenario:
    a = node.accounts
    deployer, victim, attacker, other = a[0], a[1], a[2], a[3]
    t = Truth()
    supply = 2 ** 255 + 12345
    node.send(deployer, other, "0x", 0)  # block with a plain zero-value tx (no transfer)
    token = node.deploy("SprayToken", ["string", "string", "uint8", "uint256"], ["Spray", "SPR", 18, supply])
    # the mint in the constructor: a Transfer from the zero address
    t.erc20(node.last_receipt, token, [("0x" + "0" * 40, deployer, supply)])
    token2 = node.deploy("SprayToken", ["string", "string", "uint8", "uint256"], ["Other", "OTH", 6, 10 ** 30])
    t.erc20(node.last_receipt, token2, [("0x" + "0" * 40, deployer, 10 ** 30)])
    big = 2 ** 200 + 7          # > 2**128: only the exact text holds it
    mid = 2 ** 70 + 3           # > 2**64
    r = node.call(token, "transfer(address,uint256)", ["address", "uint256"], [victim, big], deployer)
    t.erc20(r, token, [(deployer, victim, big)])
    r = node.call(token, "transfer(address,uint256)", ["address", "uint256"], [victim, mid], deployer)
    t.erc20(r, token, [(deployer, victim, mid)])
    r = node.call(token, "transfer(address,uint256)", ["address", "uint256"], [attacker, 12345], victim)
    t.erc20(r, token, [(victim, attacker, 12345)])
    r = node.call(token, "transfer(address,uint256)", ["address", "uint256"], [victim, 5], victim)
    t.erc20(r, token, [(victim, victim, 5)])  # a self-transfer: found by both filters, stored once
    r = node.call(token, "spray(address,uint256,uint256)", ["address", "uint256", "uint256"], [attacker, 7, 25], victim)
    t.erc20(r, token, [(victim, attacker, 7)] * 25)
    r = node.call(token, "multi(address[],uint256[])", ["address[]", "uint256[]"],
                  [[victim, other, attacker], [1, 2, 3]], deployer)
    t.erc20(r, token, [(deployer, victim, 1), (deployer, other, 2), (deployer, attacker, 3)])
    r = node.call(token2, "transfer(address,uint256)", ["address", "uint256"], [victim, 10 ** 24], deployer)
    t.erc20(r, token2, [(deployer, victim, 10 ** 24)])
    r = node.call(token2, "transfer(address,uint256)", ["address", "uint256"], [other, 999], victim)
    t.erc20(r, token2, [(victim, other, 999)])
    b32 = node.deploy("Bytes32Token")
    r = node.call(b32, "emitTransfer(address,uint256)", ["address", "uint256"], [attacker, 99], victim)
    t.erc20(r, b32, [(victim, attacker, 99)])
    lying = node.deploy("LyingToken")
    r = node.call(lying, "emitTransfer(address,uint256)", ["address", "uint256"], [victim, 100], attacker)
    t.erc20(r, lying, [(attacker, victim, 100)])
    # native transfers
    r = node.send(deployer, victim, value=3 * ETH)
    t.native(r, deployer, victim, 3 * ETH)
    r = node.send(victim, attacker, value=ETH // 2 + 1)
    t.native(r, victim, attacker, ETH // 2 + 1)
    r = node.send(other, deployer, value=ETH)  # not involving the victim
    t.native(r, other, deployer, ETH)
    # a failed transaction with value: nothing moved
    r = node.send(victim, token, data="0xdeadbeef", value=ETH, gas=100_000)
    assert r["status"] == "0x0"
    # internal transfers through a forwarder contract
    fwd = node.deploy("Forwarder")
    r = node.call(fwd, "forward(address)", ["address"], [victim], deployer, value=777)
    t.native(r, deployer, fwd, 777)
    t.native(r, fwd, victim, 777, kind="internal")
    r = node.call(fwd, "split(address,address)", ["address", "address"], [attacker, other], victim, value=1001)
    t.native(r, victim, fwd, 1001)
    t.native(r, fwd, attacker, 500, kind="internal")
    t.native(r, fwd, other, 501, kind="internal")
    node.mine(2)
    return Scenario(node, t, victim, attacker, other, deployer, token, token2, b32, lying, fwd)
