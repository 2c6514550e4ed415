"""Investigators: what keytrace knows about an API key, by fingerprint (leaks, key records, claims)."""

from __future__ import annotations

import streamlit as st

from app import analysis, ui
from core.fingerprint import api_key_fingerprint


def render() -> None:
    ws, user = ui.guard("key_lookup")
    st.title("Key lookup")
    st.write("Paste a key fingerprint, or an exchange and the API key's public part (fingerprinted here, "
             "not stored).")
    with st.form("key_lookup"):
        fingerprint = st.text_input("Fingerprint (64 hex digits)", key="kl_fp")
        c1, c2 = st.columns(2)
        exchange = c1.text_input("Exchange", key="kl_exchange")
        api_key = c2.text_input("API key (public part)", key="kl_key", type="password")
        submitted = st.form_submit_button("Look up", type="primary")
    if not submitted:
        return
    if not fingerprint.strip() and not api_key.strip():
        st.warning("Give a key fingerprint, or an exchange and the API key's public part.")
        return
    if not fingerprint.strip() and not exchange.strip():
        st.warning("Give the exchange the API key belongs to: the fingerprint is made from both.")
        return
    if not fingerprint.strip():
        fingerprint = ui.attempt(lambda: api_key_fingerprint(exchange, api_key)) or ""
        if not fingerprint:
            return
        st.caption(f"Fingerprint: {fingerprint}")
    found = ui.attempt(lambda: analysis.key_lookup(ws, user, fingerprint), waiting="Looking up...")
    if found is None:
        return
    leaked = [r for r in found if r["source"] == "leak"]
    if leaked:
        st.error(f"This key is in {len(leaked)} leaked dump{'s' if len(leaked) != 1 else ''}.")
    elif found:
        st.success("This key is not in any imported leak.")
    else:
        st.info("keytrace knows nothing about this key: no leak, no key record and no claim names it.")
        return
    ui.table([{"source": r["source"], "exchange": r["exchange"], "account": r["account"] or "",
               "detail": r["detail"] or "", "when (UTC)": r["when_utc"].strftime("%Y-%m-%d %H:%M")
               if r["when_utc"] is not None else "", "leak / claim": r["leak_id_or_claim"] or ""}
              for r in found], key="kl_table")


if __name__ == "__main__":
    render()
