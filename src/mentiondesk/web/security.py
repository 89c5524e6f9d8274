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
TIMESTAMP_HEADER = "x-mentiondesk-timestamp"
SIGNATURE_TOLERANCE_SECONDS = 300


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison that treats a missing token as a mismatch."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def sign_body(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header value for ``body`` sent at ``timestamp`` (Unix seconds):
    ``sha256=<hex HMAC-SHA256 of "{timestamp}." + body>``. Signing the time with the body
    means a captured request cannot be replayed once it is older than the tolerance."""
    verifier = SignatureVerifier(secret, timestamp)
    verifier.update(body)
    return verifier.header()


def signed_headers(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """Both headers a sender puts on a webhook call."""
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign_body(secret, body, timestamp),
    }


class SignatureVerifier:
    """HMAC-SHA256 over ``"{timestamp}."`` and the body, fed chunk by chunk as it arrives,
    so a body is authenticated without ever being held whole before its size is known."""

    def __init__(self, secret: str, timestamp: int) -> None:
        self._mac = hmac.new(secret.encode(), f"{timestamp}.".encode(), hashlib.sha256)

    def update(self, chunk: bytes) -> None:
        self._mac.update(chunk)

    def header(self) -> str:
        return "sha256=" + self._mac.hexdigest()

    def matches(self, header: str | None) -> bool:
        return tokens_match(self.header(), (header or "").strip())


def timestamp_problem(header: str | None, now: float) -> str | None:
    """Why the timestamp header makes a webhook call unacceptable, or ``None`` if it is fresh:
    missing, not Unix seconds, or more than the tolerance away from ``now`` either way."""
    if not header or not header.strip():
        return "missing X-Mentiondesk-Timestamp header (Unix seconds)"
    text = header.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 12):
        return "X-Mentiondesk-Timestamp must be Unix seconds"
    skew = int(text) - now
    if skew < -SIGNATURE_TOLERANCE_SECONDS:
        return "timestamp is older than 5 minutes: sign each request when you send it"
    if skew > SIGNATURE_TOLERANCE_SECONDS:
        return "timestamp is more than 5 minutes in the future: check the sender's clock"
    return None
