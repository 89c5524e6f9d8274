"""Is this request really from Meta? The two checks every Meta webhook endpoint makes.

- The subscription handshake: Meta calls ``GET`` with ``hub.mode=subscribe``,
  ``hub.verify_token`` (the token typed into the App Dashboard) and ``hub.challenge``; the
  endpoint answers the challenge, as plain text, only when the token matches.
- Every notification ``POST`` carries ``X-Hub-Signature-256: sha256=<hex>``, the HMAC-SHA256
  of the raw body keyed with the app secret. It must be checked on the bytes as received:
  Meta signs its escaped-unicode JSON (``\\u00e4``), so re-serialising parsed JSON would not
  match.

Both are pure functions and compare in constant time, so a caller cannot learn a secret by
timing the refusals.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

__all__ = ["SIGNATURE_HEADER", "sign", "subscription_challenge", "verify_signature"]

SIGNATURE_HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta sends with ``body``: ``sha256=`` and the lowercase hex digest."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return _PREFIX + digest


def verify_signature(body: bytes, header: str | None, app_secret: str) -> bool:
    """True only when ``header`` is the signature of exactly these bytes with this secret.

    A missing header, another scheme (the legacy ``sha1=``), or an empty secret all fail: an
    installation without an app secret must not accept unsigned webhooks."""
    if not app_secret or not header:
        return False
    header = header.strip()
    if not header.lower().startswith(_PREFIX):
        return False
    received = header[len(_PREFIX) :].lower()
    expected = sign(body, app_secret)[len(_PREFIX) :]
    return hmac.compare_digest(received.encode("ascii", "replace"), expected.encode("ascii"))


def subscription_challenge(params: Mapping[str, str], verify_token: str) -> str | None:
    """The challenge to echo back when Meta's handshake is genuine, else ``None`` (answer 403).

    ``params`` are the query parameters as received (``hub.mode``, ``hub.verify_token``,
    ``hub.challenge``; PHP-style ``hub_mode`` spellings are accepted too)."""

    def param(name: str) -> str:
        return params.get(f"hub.{name}") or params.get(f"hub_{name}") or ""

    if not verify_token or param("mode") != "subscribe":
        return None
    offered = param("verify_token")
    challenge = param("challenge")
    if not challenge:
        return None
    if not hmac.compare_digest(offered.encode("utf-8"), verify_token.encode("utf-8")):
        return None
    return challenge
