"""Etherscan CSV exports into transfers: raw integer amounts equal to the chain's (ethereum-etl) values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.workspace import Workspace
from tests.chain.helpers import cli, stored
from tests.chain.rpcstub import FIXTURES

TXS = [json.loads(x) for x in (FIXTURES / "mainnet_blocks17173049-17173050_ethereumetl_transactions.jsonl")
       .read_text().splitlines()]
TOKEN_TRANSFERS = [json.loads(x) for x in (FIXTURES / "mainnet_blocks17173049-17173050_ethereumetl_token_transfers.jsonl")
                   .read_text().splitlines()]
WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"


def test_etherscan_transactions_give_the_raw_wei_values(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    addr = "0xc446f02d364fbaf2911646bcbff56e6613c6e740"
    code, data, err = cli(ws, capsys, "chain", "import", str(FIXTURES / "etherscan_transactions_0xc446.csv"), "--json")
    assert code == 0, err
    assert data[0]["format"] == "etherscan_transactions"
    expected = sorted((t["block_number"], t["hash"], None, "native", "native", t["from_address"], t["to_address"],
                       int(t["value"])) for t in TXS
                      if addr in (t["from_address"], t["to_address"]) and int(t["value"]) > 0 and t["receipt_status"] == 1)
    assert len(expected) == 8
    assert stored(ws) == expected
    # overlapping with ethereum-etl's transactions file: the same native transfers merge
    code, data, err = cli(ws, capsys, "chain", "import",
                          str(FIXTURES / "mainnet_blocks17173049-17173050_ethereumetl_transactions.jsonl"), "--json")
    assert code == 0, err
    all_native = {(t["hash"], int(t["value"])) for t in TXS if int(t["value"]) > 0 and t["receipt_status"] == 1}
    assert data[0]["rows_added"] == len(all_native) - 8
    assert {(r[1], r[7]) for r in stored(ws)} == all_native


def test_etherscan_token_transfers_need_decimals_then_match(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(FIXTURES / "etherscan_tokentx_weth.csv")
    code, _, err = cli(ws, capsys, "chain", "import", path)
    assert code == 1
    assert "etherscan_tokentx_weth.csv, row 2, column 'TokenValue'" in err and "decimals of token" in err
    assert stored(ws) == []
    code, data, err = cli(ws, capsys, "chain", "import", path, "--decimals", f"{WETH}=18", "--json")
    assert code == 0, err
    # the fixture holds the first six WETH transfers of ethereum-etl's file, in display units
    weth = [r for r in TOKEN_TRANSFERS if r["token_address"] == WETH][:6]
    expected = sorted((r["block_number"], r["transaction_hash"], None, "erc20", WETH, r["from_address"],
                       r["to_address"], int(r["value"])) for r in weth)
    assert sorted(stored(ws)) == expected


def test_etherscan_internal_keeps_repeats_and_drops_failures(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(FIXTURES / "etherscan_internal_synthetic.csv")
    code, data, err = cli(ws, capsys, "chain", "import", path, "--json")
    assert code == 0, err
    assert data[0]["rows_added"] == 2 and data[0]["rows_skipped"] == 1
    with ws.db.read() as con:
        rows = con.execute("SELECT kind, value, trace_address, source_row FROM transfers ORDER BY source_row").fetchall()
    assert rows == [("internal", str(10 ** 17), "etherscan:0", 2), ("internal", str(10 ** 17), "etherscan:1", 3)]
    code, data, _ = cli(ws, capsys, "chain", "import", path, "--json")
    assert code == 0 and data[0]["already_imported"] and len(stored(ws)) == 2


def test_bad_row_names_file_row_column_and_stores_nothing(ws: Workspace, capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    src = (FIXTURES / "etherscan_transactions_0xc446.csv").read_text().splitlines()
    cells = src[3].split('","')
    cells[7] = "1.5e-30"  # not a whole number of wei
    src[3] = '","'.join(cells)
    p = tmp_path / "export.csv"
    p.write_text("\n".join(src) + "\n")
    code, _, err = cli(ws, capsys, "chain", "import", str(p))
    assert code == 1
    assert "export.csv, row 4, column 'Value_IN(ETH)'" in err
    assert stored(ws) == []


FIRST_TT = (FIXTURES / "mainnet_blocks17173049-17173050_ethereumetl_token_transfers.jsonl").read_bytes().splitlines()[0]


@pytest.mark.parametrize(("content", "message"), [
    (FIRST_TT + b"\nnot json\n", "broken.jsonl, row 2: is not a JSON object"),
    (b'{"type": "token_transfer", "token_address": "0x1"}\n', "row 1, column 'block_number': is empty"),
    (b"\xff\xfe\x00garbage", "is not UTF-8 text"),
])
def test_broken_files_are_one_sentence(ws: Workspace, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       content: bytes, message: str) -> None:
    p = tmp_path / "broken.jsonl"
    p.write_bytes(content)
    code, _, err = cli(ws, capsys, "chain", "import", str(p))
    assert code == 1 and err.startswith("keytrace: broken.jsonl") and message in err and "\n" == err[-1]
    assert err.count("\n") == 1
    assert stored(ws) == []


def test_bscscan_header_names_the_native_coin(ws: Workspace, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (FIXTURES / "etherscan_transactions_0xc446.csv").read_text()
    p = tmp_path / "bscscan.csv"
    p.write_text(text.replace("Value_IN(ETH)", "Value_IN(BNB)").replace("Value_OUT(ETH)", "Value_OUT(BNB)"))
    code, data, err = cli(ws, capsys, "chain", "import", str(p), "--chain-id", "56", "--json")
    assert code == 0, err
    assert data[0]["format"] == "etherscan_transactions" and data[0]["rows_added"] == 8
    with ws.db.read() as con:
        assert con.execute("SELECT DISTINCT chain_id FROM transfers").fetchall() == [(56,)]
