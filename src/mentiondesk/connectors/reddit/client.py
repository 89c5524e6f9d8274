"""A Reddit client for one script app acting as the brand's account.

The token comes from ``POST {www}/api/v1/access_token`` (HTTP Basic with the app's id and
secret, ``grant_type=password``) and is kept until shortly before ``expires_in``; a 401 renews
it once. API calls go to ``{oauth}`` with ``Authorization: bearer``, ``raw_json=1`` and a
descriptive User-Agent, as Reddit requires. Reads walk forward with ``before`` (the fullname of
the newest thing seen) and return the things oldest first with the new cursor. Reddit API
access needs Reddit's approval for each operator (since November 2025).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from mentiondesk.connectors.http import Clock, PlatformHTTP, utc_now
from mentiondesk.connectors.inbound import InboundEvent, ParseResult, obj, text
from mentiondesk.connectors.reddit.errors import RateLimit, classify, rate_limit
from mentiondesk.connectors.reddit.parser import listing, parse_thing
from mentiondesk.connectors.refusals import Failure, FailureKind, PlatformRefused, TokenInvalid

__all__ = ["OAUTH_URL", "WWW_URL", "Page", "RedditClient"]

OAUTH_URL = "https://oauth.reddit.com"
WWW_URL = "https://www.reddit.com"
_EARLY = timedelta(minutes=5)


READ_BATCH = 100  # fullnames per read_message call


@dataclass(slots=True)
class Page:
    results: list[ParseResult] = field(default_factory=list)
    cursor: str | None = None  # the newest fullname read; pass it back as ``before``

    @property
    def events(self) -> list[InboundEvent]:
        return [r for r in self.results if isinstance(r, InboundEvent)]


class RedditClient:
    def __init__(
        self,
        client_id: str,
        client_secret: str,
        username: str,
        password: str,
        *,
        oauth_url: str = OAUTH_URL,
        www_url: str = WWW_URL,
        version: str = "1",
        timeout: float = 10.0,
        clock: Clock = utc_now,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.username = username
        self._credentials = (client_id, client_secret)
        self._password = password
        agent = f"server:mentiondesk:{version} (by /u/{username})"

        def http(url: str) -> PlatformHTTP:
            return PlatformHTTP(
                url,
                classify,
                timeout=timeout,
                clock=clock,
                transport=transport,
                headers={"User-Agent": agent},
            )

        self.api, self.www = http(oauth_url), http(www_url)
        self._token: str | None = None
        self._expires: datetime | None = None
        self.tokens_fetched = 0

    @property
    def rate_limit(self) -> RateLimit | None:
        last = self.api.last_response
        return rate_limit(last.headers) if last is not None else None

    def token(self) -> str:
        now = self.api.clock()
        if self._token is None or self._expires is None or now >= self._expires:
            body = obj(
                self.www.request(
                    "POST",
                    "/api/v1/access_token",
                    auth=self._credentials,
                    data={
                        "grant_type": "password",
                        "username": self.username,
                        "password": self._password,
                    },
                ).json()
            )
            token = text(body.get("access_token"))
            if token is None:
                raise TokenInvalid(Failure(FailureKind.TOKEN_INVALID, "Reddit returned no token"))
            expires_in = body.get("expires_in")
            seconds = float(expires_in) if isinstance(expires_in, int | float) else 3600.0
            self._token, self._expires = token, now + timedelta(seconds=seconds) - _EARLY
            self.tokens_fetched += 1
        return self._token

    def call(self, method: str, path: str, *, write: bool = False, **options: Any) -> Any:
        for attempt in (1, 2):
            headers = {"Authorization": f"bearer {self.token()}"}
            try:
                return self.api.request(
                    method, path, headers=headers, write=write, **options
                ).json()
            except TokenInvalid:
                if attempt == 2:
                    raise
                self._token = None
        raise AssertionError("unreachable")

    # -- reads --------------------------------------------------------------------------

    def mentions(self, before: str | None) -> Page:
        return self._walk("/message/mentions", before, "mentions")

    def inbox(self, before: str | None) -> Page:
        """Replies to the brand's comments and posts, and private messages."""
        return self._walk("/message/inbox", before, "inbox")

    def new_posts(self, subreddit: str, before: str | None) -> Page:
        return self._walk(f"/r/{subreddit}/new", before, "listening")

    def new_comments(self, subreddit: str, before: str | None) -> Page:
        return self._walk(f"/r/{subreddit}/comments", before, "listening")

    def search(self, query: str, before: str | None) -> Page:
        params = {"q": query, "sort": "new", "t": "day", "type": "link,comment"}
        return self._walk("/search", before, "listening", params)

    def _walk(
        self, path: str, before: str | None, source: str, params: dict[str, str] | None = None
    ) -> Page:
        query: dict[str, Any] = {"limit": 100, "raw_json": 1} | (params or {})
        if before is not None:
            query["before"] = before
        children, _, _ = listing(self.call("GET", path, params=query))
        children.reverse()  # newest first on the wire; out oldest first
        page = Page(cursor=before)
        for child in children:
            page.results.append(parse_thing(child, source=source, brand_username=self.username))
        if children:
            page.cursor = text(obj(obj(children[-1]).get("data")).get("name")) or before
        return page

    # -- writes -------------------------------------------------------------------------

    def comment(self, thing_id: str, markdown: str) -> str:
        """Reply under a post, comment or message; returns the new comment's fullname."""
        body = obj(
            self.call(
                "POST",
                "/api/comment",
                write=True,
                data={"api_type": "json", "thing_id": thing_id, "text": markdown},
            )
        )
        things = obj(obj(obj(body).get("json")).get("data")).get("things")
        if isinstance(things, list) and things:
            name = text(obj(obj(things[0]).get("data")).get("name"))
            if name is not None:
                return name
        raise PlatformRefused(
            Failure(FailureKind.SERVER, "Reddit answered without the comment", uncertain=True)
        )

    def compose(self, to: str, subject: str, markdown: str) -> None:
        self.call(
            "POST",
            "/api/compose",
            write=True,
            data={"api_type": "json", "to": to, "subject": subject, "text": markdown},
        )

    def mark_read(self, fullnames: list[str]) -> None:
        """Mark inbox items (mentions, replies, messages) read, as a person reading them in
        the inbox would: ``POST /api/read_message`` with comma-separated fullnames."""
        for start in range(0, len(fullnames), READ_BATCH):
            batch = ",".join(fullnames[start : start + READ_BATCH])
            self.call("POST", "/api/read_message", write=True, data={"id": batch})

    def close(self) -> None:
        self.api.close()
        self.www.close()
