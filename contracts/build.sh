#!/usr/bin/env bash
# Compiles contracts/*.sol offline with the npm solc (solcjs, installed by `npm ci`) and writes one
# JSON artifact per contract (abi + creation bytecode) into contracts/build/. The artifacts are checked
# in so that the tests and the benchmark need no compiler; run this after changing a contract.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
node_modules/.bin/solcjs --optimize --bin --abi -o "$out" contracts/*.sol >/dev/null
mkdir -p contracts/build
python3 - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
for abi in sorted(out.glob("*.abi")):
    name = abi.stem.rsplit("_", 1)[-1]
    binary = abi.with_suffix(".bin").read_text().strip()
    art = {"contractName": name, "abi": json.loads(abi.read_text()), "bytecode": "0x" + binary,
           "compiler": "solcjs 0.8.37 --optimize"}
    pathlib.Path("contracts/build", f"{name}.json").write_text(json.dumps(art, indent=1) + "\n")
    print(f"contracts/build/{name}.json")
PY
