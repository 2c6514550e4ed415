"""Chain test fixtures: the anvil node (tests/anvil.py) and a scenario with a known ground truth."""

from __future__ import annotations

from tests.anvil import anvil  # noqa: F401  (pytest fixture)
