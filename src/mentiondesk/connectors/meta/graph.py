"""A small synchronous client for the Graph API calls a care desk makes, on httpx.

The base URL includes the version (``https://graph.facebook.com/v25.0``) and is always given by
the caller, so tests, the demo and staging point it at the fake server. Tokens travel in the
``Authorization`` header, never in URLs that end up in logs; with the app secret the client
adds ``appsecret_proof`` (required when the app has "Require App Secret" on).

Every failure is raised as ``errors.GraphError`` with a classified ``GraphFailure``; a timeout or
a 5xx is marked ``uncertain``, because Graph writes are not idempotent and the write may have
been carried out.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from mentiondesk.connectors.meta.errors import (
    FailureKind,
    GraphError,
    GraphFailure,
    Usage,
    classify,
    parse_usage,
)

__all__ = [
    "DEFAULT_GRAPH_URL",
    "FB_COMMENT_FIELDS",
    "FB_POST_FIELDS",
    "IG_COMMENT_FIELDS",
    "PAGE_WEBHOOK_FIELDS",
    "GraphClient",
    "LongLivedToken",
    "ManagedPage",
    "SentMessage",
]

DEFAULT_GRAPH_URL = "https://graph.facebook.com/v25.0"
PAGE_WEBHOOK_FIELDS = ("feed", "mention", "messages", "message_echoes", "message_edits")
FB_POST_FIELDS = "id,message,created_time,from,permalink_url"
FB_COMMENT_FIELDS = "id,message,created_time,from,parent{id},is_hidden,permalink_url"
IG_COMMENT_FIELDS = "id,text,timestamp,username,from,parent_id,hidden,media{id}"
MAX_PAGES = 50  # a reconcile never walks further back than this many pages of results


@dataclass(frozen=True, slots=True)
class SentMessage:
    recipient_id: str
    message_id: str


@dataclass(frozen=True, slots=True)
class LongLivedToken:
    access_token: str
    expires_in: int | None  # seconds; None when Meta gave no expiry


@dataclass(frozen=True, slots=True)
class ManagedPage:
    """A Page the logged-in person manages, with its Page token and linked Instagram account."""

    id: str
    name: str
    access_token: str
    tasks: tuple[str, ...] = ()
    instagram_account_id: str | None = None


class GraphClient:
    def __init__(
        self,
        base_url: str = DEFAULT_GRAPH_URL,
        *,
        app_secret: str | None = None,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._app_secret = app_secret
        self._http = httpx.Client(
            base_url=self.base_url + "/", timeout=timeout, transport=transport
        )
        self.last_usage = Usage()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- answering ----------------------------------------------------------------------

    def comment(self, token: str, object_id: str, text: str) -> str:
        """Reply publicly under a Facebook comment or post; the new comment's id."""
        answer = self._call("POST", f"{_seg(object_id)}/comments", token, data={"message": text})
        return _id(answer)

    def reply_instagram(self, token: str, comment_id: str, text: str) -> str:
        """Reply publicly to an Instagram comment (top-level; not when hidden)."""
        answer = self._call("POST", f"{_seg(comment_id)}/replies", token, data={"message": text})
        return _id(answer)

    def private_reply(
        self, token: str, account_id: str, object_id: str, text: str, *, to_post: bool = False
    ) -> SentMessage:
        """The one private message Meta allows to the author of a comment (or visitor post)."""
        recipient = {"post_id" if to_post else "comment_id": object_id}
        return self._message(token, account_id, {"recipient": recipient, "message": {"text": text}})

    def send_message(
        self, token: str, account_id: str, recipient_id: str, text: str, *, tag: str | None = None
    ) -> SentMessage:
        """A Messenger / Instagram Direct message; ``tag="HUMAN_AGENT"`` outside 24 hours."""
        payload: dict[str, Any] = {"recipient": {"id": recipient_id}, "message": {"text": text}}
        payload["messaging_type"] = "MESSAGE_TAG" if tag else "RESPONSE"
        if tag:
            payload["tag"] = tag
        return self._message(token, account_id, payload)

    def set_hidden(self, token: str, comment_id: str, hidden: bool, *, instagram: bool) -> None:
        """Hide or unhide a comment: ``is_hidden`` on Facebook, ``hide`` on Instagram."""
        flag = "true" if hidden else "false"
        data = {"hide": flag} if instagram else {"is_hidden": flag}
        _success(self._call("POST", _seg(comment_id), token, data=data))

    def like(self, token: str, object_id: str) -> None:
        _success(self._call("POST", f"{_seg(object_id)}/likes", token))

    def unlike(self, token: str, object_id: str) -> None:
        _success(self._call("DELETE", f"{_seg(object_id)}/likes", token))

    def publish(self, token: str, page_id: str, text: str) -> str:
        """Publish a post on the Page's feed; its id (``{page-id}_{post-id}``)."""
        return _id(self._call("POST", f"{_seg(page_id)}/feed", token, data={"message": text}))

    # -- reading ------------------------------------------------------------------------

    def get_object(self, token: str, object_id: str, fields: str) -> dict[str, Any]:
        return self._call("GET", _seg(object_id), token, params={"fields": fields})

    def feed(
        self, token: str, page_id: str, *, since: datetime | None = None, limit: int = 25
    ) -> Iterator[dict[str, Any]]:
        """The Page's feed (its posts and visitors'), newest first, following cursors."""
        params: dict[str, str] = {"fields": FB_POST_FIELDS, "limit": str(limit)}
        if since is not None:
            params["since"] = str(int(since.timestamp()))
        return self._pages(token, f"{_seg(page_id)}/feed", params)

    def comments(
        self, token: str, object_id: str, *, fields: str = FB_COMMENT_FIELDS, limit: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Every comment under a post (Facebook: replies too, flat, with ``filter=stream``)."""
        params = {"fields": fields, "limit": str(limit), "filter": "stream"}
        return self._pages(token, f"{_seg(object_id)}/comments", params)

    def replies(
        self, token: str, comment_id: str, *, fields: str = IG_COMMENT_FIELDS
    ) -> Iterator[dict[str, Any]]:
        """The replies under an Instagram comment."""
        return self._pages(token, f"{_seg(comment_id)}/replies", {"fields": fields})

    # -- connecting ---------------------------------------------------------------------

    def subscribe_app(
        self, token: str, page_id: str, fields: tuple[str, ...] = PAGE_WEBHOOK_FIELDS
    ) -> None:
        """Install the app on the Page so its webhooks deliver these fields."""
        data = {"subscribed_fields": ",".join(fields)}
        _success(self._call("POST", f"{_seg(page_id)}/subscribed_apps", token, data=data))

    def subscribed_apps(self, token: str, page_id: str) -> list[dict[str, Any]]:
        answer = self._call("GET", f"{_seg(page_id)}/subscribed_apps", token)
        data = answer.get("data")
        return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []

    def exchange_token(self, app_id: str, app_secret: str, short_token: str) -> LongLivedToken:
        """Swap a short-lived user token (from the login dialog) for a ~60-day one."""
        params = {
            "grant_type": "fb_exchange_token",
            "client_id": app_id,
            "client_secret": app_secret,
            "fb_exchange_token": short_token,
        }
        answer = self._call("GET", "oauth/access_token", None, params=params)
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise GraphError(GraphFailure(FailureKind.REFUSED, "Meta returned no access_token"))
        expires = answer.get("expires_in")
        return LongLivedToken(token, expires if isinstance(expires, int) else None)

    def exchange_code(
        self, app_id: str, app_secret: str, redirect_uri: str, code: str
    ) -> LongLivedToken:
        """Swap the ``code`` the login dialog redirected with for a (short-lived) user token."""
        params = {
            "client_id": app_id,
            "client_secret": app_secret,
            "redirect_uri": redirect_uri,
            "code": code,
        }
        answer = self._call("GET", "oauth/access_token", None, params=params)
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise GraphError(GraphFailure(FailureKind.REFUSED, "Meta returned no access_token"))
        expires = answer.get("expires_in")
        return LongLivedToken(token, expires if isinstance(expires, int) else None)

    def managed_pages(self, user_token: str) -> list[ManagedPage]:
        """The Pages the person behind ``user_token`` manages, each with its Page token."""
        fields = "id,name,access_token,tasks,instagram_business_account"
        pages = []
        for node in self._pages(user_token, "me/accounts", {"fields": fields}):
            page_id, token = node.get("id"), node.get("access_token")
            if not isinstance(page_id, str) or not isinstance(token, str):
                continue
            ig = node.get("instagram_business_account")
            ig_id = ig.get("id") if isinstance(ig, dict) else None
            tasks = _list(node.get("tasks"))
            pages.append(
                ManagedPage(
                    page_id,
                    str(node.get("name") or ""),
                    token,
                    tuple(str(t) for t in tasks),
                    ig_id if isinstance(ig_id, str) else None,
                )
            )
        return pages

    # -- plumbing -----------------------------------------------------------------------

    def _message(self, token: str, account_id: str, payload: dict[str, Any]) -> SentMessage:
        answer = self._call("POST", f"{_seg(account_id)}/messages", token, json=payload)
        message_id = answer.get("message_id")
        if not isinstance(message_id, str) or not message_id:
            raise GraphError(GraphFailure(FailureKind.REFUSED, "Meta returned no message_id"))
        return SentMessage(str(answer.get("recipient_id") or ""), message_id)

    def _pages(self, token: str, path: str, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        after: str | None = None
        for _ in range(MAX_PAGES):
            query = dict(params) if after is None else {**params, "after": after}
            answer = self._call("GET", path, token, params=query)
            yield from (d for d in _list(answer.get("data")) if isinstance(d, dict))
            paging = _dict(answer.get("paging"))
            after = _dict(paging.get("cursors")).get("after")
            if not paging.get("next") or not isinstance(after, str) or not after:
                return

    def _call(
        self,
        method: str,
        path: str,
        token: str | None,
        *,
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        query = dict(params or {})
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
            if self._app_secret:
                query["appsecret_proof"] = hmac.new(
                    self._app_secret.encode(), token.encode(), hashlib.sha256
                ).hexdigest()
        try:
            response = self._http.request(
                method, path, params=query, data=data, json=json, headers=headers
            )
        except httpx.TimeoutException as exc:
            raise GraphError(_no_answer(f"Meta did not answer in time ({exc!r})", True)) from exc
        except httpx.TransportError as exc:
            # Nothing was sent when the connection could not even be made.
            uncertain = not isinstance(exc, httpx.ConnectError)
            raise GraphError(_no_answer(f"could not reach Meta ({exc!r})", uncertain)) from exc
        self.last_usage = parse_usage(response.headers)
        try:
            body = response.json()
        except ValueError:
            body = None
        failure = classify(response.status_code, response.headers, body)
        if failure is not None:
            raise GraphError(failure)
        if not isinstance(body, dict):
            raise GraphError(_no_answer(f"HTTP {response.status_code} without JSON", True))
        return body


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _no_answer(message: str, uncertain: bool) -> GraphFailure:
    return GraphFailure(FailureKind.SERVER, message, uncertain=uncertain)


def _seg(object_id: str) -> str:
    """A Graph id as one path segment (ids are digits and underscores; anything else is
    escaped rather than allowed to walk the path)."""
    if object_id.strip(".") == "":
        raise GraphError(GraphFailure(FailureKind.REFUSED, f"not a Graph id: {object_id!r}"))
    return quote(object_id, safe="")


def _id(answer: dict[str, Any]) -> str:
    value = answer.get("id")
    if not isinstance(value, str) or not value:
        raise GraphError(GraphFailure(FailureKind.REFUSED, "Meta returned no id"))
    return value


def _success(answer: dict[str, Any]) -> None:
    """Meta answers ``{"success": true}``; its own docs also show the string ``"true"``."""
    if answer.get("success") not in (True, "true"):
        raise GraphError(GraphFailure(FailureKind.REFUSED, f"Meta did not confirm: {answer}"))
