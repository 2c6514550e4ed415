// SPDX-License-Identifier: MIT
// Test contracts for keytrace's chain tests and benchmark (compiled offline by contracts/build).
pragma solidity ^0.8.20;

/// A plain ERC-20 with a `spray` that emits many Transfer events in one transaction.
contract SprayToken {
    string public name;
    string public symbol;
    uint8 public decimals;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(string memory name_, string memory symbol_, uint8 decimals_, uint256 supply) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
        totalSupply = supply;
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "balance");
        unchecked { balanceOf[msg.sender] -= value; }
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }

    /// Emits `n` transfers of `value` from the caller to `to` (bookkeeping done once).
    function spray(address to, uint256 value, uint256 n) external {
        uint256 total = value * n;
        require(balanceOf[msg.sender] >= total, "balance");
        unchecked { balanceOf[msg.sender] -= total; }
        balanceOf[to] += total;
        for (uint256 i = 0; i < n; ++i) {
            emit Transfer(msg.sender, to, value);
        }
    }

    /// One transfer to each of `tos` with the matching value.
    function multi(address[] calldata tos, uint256[] calldata values) external {
        for (uint256 i = 0; i < tos.length; ++i) {
            require(balanceOf[msg.sender] >= values[i], "balance");
            unchecked { balanceOf[msg.sender] -= values[i]; }
            balanceOf[tos[i]] += values[i];
            emit Transfer(msg.sender, tos[i], values[i]);
        }
    }
}

/// A token whose symbol() and name() return bytes32 (like MKR) and whose decimals() reverts.
contract Bytes32Token {
    bytes32 public constant symbol = "MKR";
    bytes32 public constant name = "Maker";
    event Transfer(address indexed from, address indexed to, uint256 value);

    function decimals() external pure returns (uint8) {
        revert("no decimals");
    }

    function emitTransfer(address to, uint256 value) external {
        emit Transfer(msg.sender, to, value);
    }
}

/// A token that lies: decimals() returns 1000, symbol() reverts.
contract LyingToken {
    event Transfer(address indexed from, address indexed to, uint256 value);

    function decimals() external pure returns (uint256) {
        return 1000;
    }

    function symbol() external pure returns (string memory) {
        revert();
    }

    function emitTransfer(address to, uint256 value) external {
        emit Transfer(msg.sender, to, value);
    }
}

/// Forwards the ether it receives: the forwarded value is an internal transfer.
contract Forwarder {
    function forward(address payable to) external payable {
        (bool ok, ) = to.call{value: msg.value}("");
        require(ok, "forward failed");
    }

    function split(address payable a, address payable b) external payable {
        uint256 half = msg.value / 2;
        (bool ok1, ) = a.call{value: half}("");
        (bool ok2, ) = b.call{value: msg.value - half}("");
        require(ok1 && ok2, "split failed");
    }
}
