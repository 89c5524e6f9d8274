"""Cookie sessions, CSRF tokens and webhook signatures — the web's security primitives."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SESSION_COOKIE = "md_session"
LOGIN_CSRF_COOKIE = "md_login_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SIGNATURE_HEADER = "x-mentiondesk-signature"


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison that treats a missing token as a mismatch."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def sign_body(secret: str, body: bytes) -> str:
    """The signature header value a sender puts on a webhook body: ``sha256=<hex>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    return tokens_match(sign_body(secret, body), (header or "").strip())
