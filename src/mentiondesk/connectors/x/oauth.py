"""Keeping X's OAuth 2.0 user-context token alive with the ``refresh_token`` grant.

A user token lives two hours; with the ``offline.access`` scope X also gives a refresh token,
good for one use: ``POST /2/oauth2/token`` with ``grant_type=refresh_token`` answers a new
access token, its ``expires_in`` and a new refresh token. A confidential client authenticates
with HTTP Basic (client id and secret); a public one sends its ``client_id`` in the form.
The client refreshes a few minutes before the expiry and once more on a 401; the caller stores
what came back (``on_refresh``), since the old refresh token no longer works.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mentiondesk.connectors.http import PlatformHTTP
from mentiondesk.connectors.inbound import obj, text
from mentiondesk.connectors.refusals import Failure, FailureKind, PlatformRefused, TokenInvalid

__all__ = ["EARLY", "TOKEN_PATH", "UserToken", "refreshed_token"]

TOKEN_PATH = "/2/oauth2/token"
EARLY = timedelta(minutes=5)  # refresh this long before X's expiry


@dataclass(frozen=True, slots=True)
class UserToken:
    access: str
    refresh: str
    client_id: str
    client_secret: str = ""
    expires_at: datetime | None = None  # unknown until the first refresh

    def due(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at - EARLY <= now


def refreshed_token(http: PlatformHTTP, token: UserToken, now: datetime) -> UserToken:
    """The next token pair; ``TokenInvalid`` (reconnect the channel) when X refuses it."""
    form = {"grant_type": "refresh_token", "refresh_token": token.refresh}
    auth = (token.client_id, token.client_secret) if token.client_secret else None
    if auth is None:
        form["client_id"] = token.client_id
    try:
        body = obj(http.request("POST", TOKEN_PATH, data=form, auth=auth).json())
    except PlatformRefused as exc:
        if exc.failure.kind in (FailureKind.SERVER, FailureKind.RATE_LIMITED):
            raise
        reason = f"X refused to refresh the user token ({exc.reason}); reconnect the channel"
        raise TokenInvalid(Failure(FailureKind.TOKEN_INVALID, reason)) from exc
    access = text(body.get("access_token"))
    if access is None:
        failure = Failure(FailureKind.SERVER, "X's token answer had no access_token")
        raise PlatformRefused(failure)
    expires_in = body.get("expires_in")
    seconds = float(expires_in) if isinstance(expires_in, int | float) else 7200.0
    return replace(
        token,
        access=access,
        refresh=text(body.get("refresh_token")) or token.refresh,
        expires_at=now + timedelta(seconds=seconds),
    )
