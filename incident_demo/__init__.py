"""The demo incident: a deterministic 3Commas-style API-key leak, written as real export files.

``generate.generate(out_dir, seed=..., accounts=...)`` writes exchange exports (byte for byte in the
formats of ../shared/realdata), a leaked-key dump, reference klines, on-chain cash-out transfers,
victims' claims and the ground truth. ``build.build(ws, out_dir)`` loads them through the same
interfaces a user has (ingest, leaks import, chain import, claims, ownership, detection). Used by
``keytrace demo``, ``bench/quality.py`` and the tests; it is not part of the app.
"""
