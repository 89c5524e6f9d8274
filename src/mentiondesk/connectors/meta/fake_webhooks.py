"""Webhook bodies shaped like Meta's, and a sender that signs and delivers them as Meta does.

Meta serialises with escaped unicode (``"\\u00e4"``), batches entries, and signs the exact bytes
it sends with the app secret (``X-Hub-Signature-256``). ``deliver`` does the same, so a webhook
endpoint tested with it meets the real thing's bytes. The builders follow the documented
shapes (platforms.md §1.4, §1.5, §2.2).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx

from mentiondesk.connectors.meta.signature import SIGNATURE_HEADER, sign

__all__ = [
    "batch",
    "comment",
    "deliver",
    "encode",
    "entry",
    "handshake",
    "ig_comment",
    "ig_mention",
    "message",
    "visitor_post",
]


def encode(body: dict[str, Any]) -> bytes:
    """The bytes Meta would send: compact JSON with every non-ASCII character escaped."""
    return json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def batch(obj: str, *entries: dict[str, Any]) -> dict[str, Any]:
    """One delivery carrying several entries (``object`` is ``page`` or ``instagram``)."""
    return {"object": obj, "entry": list(entries)}


def entry(
    account_id: str,
    at: datetime,
    *,
    changes: list[dict[str, Any]] | None = None,
    messaging: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An entry: ``time`` in seconds for ``changes``, milliseconds for ``messaging``."""
    out: dict[str, Any] = {"id": account_id}
    if messaging is not None:
        out["time"] = int(at.timestamp() * 1000)
        out["messaging"] = messaging
    else:
        out["time"] = int(at.timestamp())
        out["changes"] = changes or []
    return out


def comment(
    *,
    comment_id: str,
    post_id: str,
    message: str | None,
    author_id: str,
    author_name: str,
    at: datetime,
    parent_id: str | None = None,
    verb: str = "add",
    field: str = "feed",
) -> dict[str, Any]:
    """A ``feed`` change about a comment (``verb`` add, edited, hide, unhide, remove)."""
    value: dict[str, Any] = {
        "item": "comment",
        "verb": verb,
        "comment_id": comment_id,
        "post_id": post_id,
        "parent_id": parent_id or post_id,
        "from": {"id": author_id, "name": author_name},
    }
    if verb != "remove":
        value["created_time"] = int(at.timestamp())
        if message is not None:
            value["message"] = message
    return {"field": field, "value": value}


def visitor_post(
    *, post_id: str, message: str, author_id: str, author_name: str, at: datetime
) -> dict[str, Any]:
    value = {
        "item": "post",
        "verb": "add",
        "post_id": post_id,
        "is_hidden": False,
        "from": {"id": author_id, "name": author_name},
        "created_time": int(at.timestamp()),
        "message": message,
    }
    return {"field": "feed", "value": value}


def message(
    *, sender: str, recipient: str, mid: str, text: str, at: datetime, echo: bool = False
) -> dict[str, Any]:
    """A ``messaging`` item; with ``echo`` it is the Page's own message coming back."""
    body: dict[str, Any] = {"mid": mid, "text": text}
    if echo:
        body["is_echo"] = True
    return {
        "sender": {"id": sender},
        "recipient": {"id": recipient},
        "timestamp": int(at.timestamp() * 1000),
        "message": body,
    }


def ig_comment(
    *,
    comment_id: str,
    media_id: str,
    text: str,
    author_id: str,
    username: str,
    parent_id: str | None = None,
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": comment_id,
        "from": {"id": author_id, "username": username},
        "text": text,
        "media": {"id": media_id, "media_product_type": "FEED"},
    }
    if parent_id:
        value["parent_id"] = parent_id
    return {"field": "comments", "value": value}


def ig_mention(*, media_id: str, comment_id: str | None = None) -> dict[str, Any]:
    value = {"media_id": media_id} | ({"comment_id": comment_id} if comment_id else {})
    return {"field": "mentions", "value": value}


def deliver(
    url: str,
    body: dict[str, Any],
    app_secret: str,
    *,
    signature: str | None = None,
    timeout: float = 10.0,
) -> httpx.Response:
    """POST ``body`` to ``url`` the way Meta does; ``signature`` overrides the header (to test
    refusals)."""
    raw = encode(body)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(raw, app_secret) if signature is None else signature,
    }
    return httpx.post(url, content=raw, headers=headers, timeout=timeout)


def handshake(
    url: str, verify_token: str, challenge: str = "1158201444", *, timeout: float = 10.0
) -> httpx.Response:
    """Meta's subscription check: ``GET`` with ``hub.mode``, ``hub.verify_token``,
    ``hub.challenge``; a genuine endpoint answers 200 with the challenge as plain text."""
    params = {"hub.mode": "subscribe", "hub.verify_token": verify_token, "hub.challenge": challenge}
    return httpx.get(url, params=params, timeout=timeout)
