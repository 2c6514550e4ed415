"""RPC endpoints without their credentials.

Hosted nodes put the API key in the URL: as user info (``https://user:key@host``), as a path segment
(``/v3/<key>``, ``/v2/<key>``) or in the query string (``?apikey=...``). :func:`public_endpoint` keeps
scheme, host, port and the harmless part of the path; that form is the only one ever stored, logged or
shown. :func:`scrub` removes every secret fragment of a URL from a message (exception texts of HTTP
libraries quote the full URL).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_KEYLIKE = re.compile(r"^[A-Za-z0-9_\-]{16,}$")
_VERSION = re.compile(r"^v\d+$")


def _secret_segment(seg: str) -> bool:
    if not seg:
        return False
    if _KEYLIKE.match(seg) and any(c.isdigit() for c in seg):
        return True
    return bool(re.fullmatch(r"(0x)?[0-9a-fA-F]{20,}", seg))


def public_endpoint(url: str) -> str:
    """``url`` with user info, query, fragment and key-like path segments removed."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host + (f":{port}" if port else "")
    kept: list[str] = []
    for seg in parts.path.split("/"):
        if _secret_segment(unquote(seg)):
            kept.append("***")
        else:
            kept.append(seg)
    path = "/".join(kept).rstrip("/")
    scheme = parts.scheme or "http"
    return f"{scheme}://{netloc}{path}"


def secret_fragments(url: str) -> list[str]:
    """The pieces of ``url`` that :func:`public_endpoint` drops (longest first)."""
    parts = urlsplit(url.strip())
    out: list[str] = []
    if parts.username:
        out.append(parts.username)
    if parts.password:
        out.append(parts.password)
    if parts.query:
        out.append(parts.query)
        out.extend(v for kv in parts.query.split("&") for v in kv.split("=")[1:] if v)
    if parts.fragment:
        out.append(parts.fragment)
    out.extend(seg for seg in parts.path.split("/") if _secret_segment(unquote(seg)))
    return sorted({f for f in out if f}, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """``text`` with the raw URL and each of its secret fragments replaced."""
    text = text.replace(url, public_endpoint(url))
    for frag in secret_fragments(url):
        if len(frag) >= 3:
            text = text.replace(frag, "***")
    return text
