"""Victims: file a claim (contact details, exchange, UID, the API key's public part, what happened, the loss)."""

from __future__ import annotations

import streamlit as st

from app import claims, ui

EXCHANGES = ["binance", "kucoin", "coinbase", "okx", "ftx", "kraken", "bybit", "huobi", "other"]
FIELDS = ("cn_name", "cn_email", "cn_phone", "cn_exchange_other", "cn_account", "cn_api_key", "cn_statement",
          "cn_loss")
FILED = "cn_filed"  # the claim just filed: its form starts empty on the next run and says what happened


def _after_filing() -> None:
    """After a claim was filed: empty the form (before its widgets exist, as Streamlit requires), so that it
    cannot be sent again as it was, and say once what was filed."""
    filed = st.session_state.pop(FILED, None)
    if filed is None:
        return
    for key in FIELDS:
        st.session_state[key] = ""
    st.session_state["cn_exchange"] = EXCHANGES[0]
    st.success(f"Claim {filed['id']} filed. Next: upload your exchange exports and prove your wallet "
               "on the page 'Follow my claims'.")
    if filed["key"]:
        st.caption("Your API key was reduced to its fingerprint; the key itself was not stored.")
    st.page_link("views/my_claims.py", label="Follow my claims", icon=":material/fact_check:")


def render() -> None:
    ws, user = ui.guard("claim_new")
    st.title("File a claim")
    st.write("Tell us what happened to your exchange account. Investigators compare your account's trades "
             "with the leaked-key data and the attack patterns of the incident.")
    _after_filing()
    # advice, not a warning: what to do about a secret that was typed (remove it, revoke it) is said, as a
    # warning, only when one is found
    st.info("Never enter your API **secret**, a private key or a wallet seed phrase: keytrace never needs "
               "them (a claim is verified with the API key's public part, your exchange exports and a wallet "
               "signature only) and refuses them.", icon=":material/shield:")
    with st.form("claim_new"):
        st.markdown("**How can we reach you?**")
        c1, c2, c3 = st.columns(3)
        name = c1.text_input("Your name", key="cn_name")
        email = c2.text_input("E-mail", key="cn_email")
        phone = c3.text_input("Phone", key="cn_phone")
        st.markdown("**Your exchange account**")
        c4, c5 = st.columns(2)
        exchange = c4.selectbox("Exchange", EXCHANGES, key="cn_exchange")
        other = c4.text_input("Exchange name, if other", key="cn_exchange_other")
        account = c5.text_input("Your UID (account number) on that exchange", key="cn_account")
        api_key = st.text_input(
            "The API key you gave 3Commas: its public part only (optional)", key="cn_api_key",
            help="The public 'API Key' string, not the 'Secret Key'. keytrace keeps only its fingerprint, "
                 "which is compared with the fingerprints of the leaked keys.")
        statement = st.text_area("What happened?", key="cn_statement", height=150,
                                 help="When you noticed it, which coins were sold and bought, what you did.")
        loss = st.text_input("The loss you believe you suffered, in US dollars", key="cn_loss",
                             placeholder="e.g. 12500.00")
        submitted = st.form_submit_button("File my claim", type="primary")
    if not submitted:
        return
    chosen = other if exchange == "other" else exchange
    claim_id = ui.attempt(lambda: claims.file_claim(
        ws, user, exchange=chosen, account=account, api_key=api_key, contact_name=name, contact_email=email,
        contact_phone=phone, statement=statement, claimed_loss_usd=loss), waiting=ui.SAVING)
    if claim_id is None:
        return
    st.session_state["kt_claim"] = claim_id
    st.session_state[FILED] = {"id": claim_id, "key": bool(api_key.strip())}
    st.rerun()


if __name__ == "__main__":
    render()
