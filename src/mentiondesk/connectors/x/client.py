"""A client for X API v2 as the brand's account, counting every call against the budget.

Reads use ``since_id`` polling as X documents it: ask with ``since_id`` = the newest id seen,
follow ``next_token`` with the same ``since_id`` until it is absent, and keep the first page's
``meta.newest_id`` as the next ``since_id``. The mentions timeline (an owned read, the cheapest)
and writes use the OAuth 2.0 user-context token; recent search uses the app's bearer token.

With a ``UserToken`` (a refresh token), the user token is refreshed before it expires and once
on a 401 (``connectors/x/oauth.py``); ``on_refresh`` hears each new pair, to store it.

Before each call the ``Budget`` must allow at least its smallest cost, else the call is refused
(``code="budget"``) without reaching X; after a read, each post returned is charged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from mentiondesk.connectors.http import Clock, PlatformHTTP, utc_now
from mentiondesk.connectors.inbound import InboundEvent, ParseResult, ident, obj, text
from mentiondesk.connectors.refusals import Failure, FailureKind, PlatformRefused, TokenInvalid
from mentiondesk.connectors.x.budget import Budget, Cost, Price, reply_price
from mentiondesk.connectors.x.errors import RateLimit, classify, rate_limit
from mentiondesk.connectors.x.oauth import UserToken, refreshed_token
from mentiondesk.connectors.x.parser import parse_page

__all__ = ["API_URL", "MAX_PAGES", "Page", "XClient"]

API_URL = "https://api.x.com"
MAX_PAGES = 5
FIELDS = {
    "tweet.fields": "created_at,author_id,conversation_id,referenced_tweets,entities,lang,"
    "edit_history_tweet_ids",
    "expansions": "author_id,referenced_tweets.id.author_id",
    "user.fields": "username,name,public_metrics",
    "max_results": "100",
}


@dataclass(slots=True)
class Page:
    results: list[ParseResult] = field(default_factory=list)
    cursor: str | None = None  # the next ``since_id``

    @property
    def events(self) -> list[InboundEvent]:
        return [r for r in self.results if isinstance(r, InboundEvent)]


class XClient:
    def __init__(
        self,
        bearer_token: str,
        user_token: str,
        *,
        api_url: str = API_URL,
        budget: Budget | None = None,
        user_id: str | None = None,
        timeout: float = 10.0,
        clock: Clock = utc_now,
        transport: httpx.BaseTransport | None = None,
        refresh: UserToken | None = None,
        on_refresh: Callable[[UserToken], None] | None = None,
    ) -> None:
        self.http = PlatformHTTP(
            api_url, classify, timeout=timeout, clock=clock, transport=transport
        )
        self._app = {"Authorization": f"Bearer {bearer_token}"}
        self._user = {"Authorization": f"Bearer {user_token}"}
        self.budget = budget
        self.user_id = user_id
        self.token = refresh
        self.on_refresh = on_refresh

    def adopt(self, token: UserToken) -> None:
        """Use a pair another process refreshed (and stored) since this client was built."""
        self.token = token
        self._user = {"Authorization": f"Bearer {token.access}"}

    def refresh_user_token(self) -> UserToken:
        """Trade the refresh token for a new pair now; ``on_refresh`` hears it."""
        assert self.token is not None
        token = refreshed_token(self.http, self.token, self.http.clock())
        self.adopt(token)
        if self.on_refresh is not None:
            self.on_refresh(token)
        return token

    @property
    def rate_limit(self) -> RateLimit | None:
        last = self.http.last_response
        return rate_limit(last.headers) if last is not None else None

    def me(self) -> dict[str, Any]:
        body = self._call("GET", "/2/users/me", Cost(Price.USER_READ), user=True)
        data = obj(obj(body).get("data"))
        self.user_id = ident(data.get("id"))
        return data

    # -- reads --------------------------------------------------------------------------

    def mentions(self, since_id: str | None) -> Page:
        if self.user_id is None:
            self.me()
        return self._poll(
            f"/2/users/{self.user_id}/mentions",
            {},
            since_id,
            "mentions",
            Price.OWNED_READ,
            user=True,
        )

    def search(self, query: str, since_id: str | None) -> Page:
        """Recent search (last 7 days); ``query`` in X's syntax, at most 512 characters."""
        return self._poll(
            "/2/tweets/search/recent",
            {"query": query},
            since_id,
            "search",
            Price.POST_READ,
            user=False,
        )

    def _poll(
        self,
        path: str,
        params: dict[str, str],
        since_id: str | None,
        source: str,
        price: Price,
        *,
        user: bool,
    ) -> Page:
        page = Page(cursor=since_id)
        token: str | None = None
        for number in range(MAX_PAGES):
            query = FIELDS | params
            if since_id is not None:
                query["since_id"] = since_id
            if token is not None:
                query["pagination_token" if user else "next_token"] = token
            body = obj(self._call("GET", path, Cost(price), user=user, params=query))
            meta = obj(body.get("meta"))
            count = meta.get("result_count")
            if self.budget is not None and isinstance(count, int) and count > 0:
                self.budget.charge(Cost(price, count), self.http.clock())
            page.results.extend(parse_page(body, source=source, brand_user_id=self.user_id))
            if number == 0 and (newest := ident(meta.get("newest_id"))) is not None:
                page.cursor = newest
            token = text(meta.get("next_token"))
            if token is None:
                break
        page.results.sort(key=_order)
        return page

    # -- writes -------------------------------------------------------------------------

    def reply(self, in_reply_to: str, text_: str) -> str:
        body = {"text": text_, "reply": {"in_reply_to_tweet_id": in_reply_to}}
        return _created(
            self._call(
                "POST", "/2/tweets", Cost(reply_price(text_)), user=True, json=body, write=True
            )
        )

    def post(self, text_: str) -> str:
        price = Price.POST_CREATE_WITH_URL if "://" in text_ else Price.POST_CREATE
        return _created(
            self._call(
                "POST", "/2/tweets", Cost(price), user=True, json={"text": text_}, write=True
            )
        )

    def send_dm(self, participant_id: str, text_: str) -> str:
        body = self._call(
            "POST",
            f"/2/dm_conversations/with/{participant_id}/messages",
            Cost(Price.DM_CREATE),
            user=True,
            json={"text": text_},
            write=True,
        )
        return _created(body, "dm_event_id", "DM id")

    def hide_reply(self, post_id: str, hidden: bool = True) -> None:
        self._call(
            "PUT",
            f"/2/tweets/{post_id}/hidden",
            Cost(Price.HIDE_REPLY),
            user=True,
            json={"hidden": hidden},
            write=True,
        )

    def _call(
        self, method: str, path: str, cost: Cost, *, user: bool, write: bool = False, **options: Any
    ) -> Any:
        now = self.http.clock()
        if self.budget is not None and not self.budget.allows(cost, now):
            raise PlatformRefused(
                Failure(
                    FailureKind.FORBIDDEN,
                    f"the monthly X budget of ${self.budget.monthly} is spent; raise it on the "
                    "Channels page or wait for next month",
                    code="budget",
                )
            )
        if user and self.token is not None and self.token.due(now):
            self.refresh_user_token()
        try:
            response = self.http.request(
                method, path, headers=self._user if user else self._app, write=write, **options
            )
        except TokenInvalid:
            if not user or self.token is None:
                raise
            self.refresh_user_token()  # revoked early or expired: one new pair, one more try
            response = self.http.request(method, path, headers=self._user, write=write, **options)
        if self.budget is not None and write:
            self.budget.charge(cost, now)
        return response.json() if response.content else {}

    def close(self) -> None:
        self.http.close()


def _order(result: ParseResult) -> int:
    if isinstance(result, InboundEvent) and result.platform_post_id.isdigit():
        return int(result.platform_post_id)
    return 0


def _created(body: Any, key: str = "id", what: str = "post id") -> str:
    """The id X gave what it created; an answer without one leaves the write uncertain."""
    created = ident(obj(obj(body).get("data")).get(key))
    if created is None:
        raise PlatformRefused(
            Failure(FailureKind.SERVER, f"X answered without a {what}", uncertain=True)
        )
    return created
