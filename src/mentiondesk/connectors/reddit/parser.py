"""Reddit listings as ``inbound`` results; never raises.

A listing (``{"kind": "Listing", "data": {"children": [...]}}``) holds things: ``t1`` comments,
``t3`` posts (links or self posts), ``t4`` private messages. From the inbox, a comment is a
``mention`` (``/message/mentions``) or a ``reply``; a message is a ``dm``. From subreddits and
search, things are ``post`` events for the listening matcher. A thing whose body is
``[deleted]`` or ``[removed]`` becomes a ``deleted`` event. Ids are fullnames (``t1_abc``);
a comment's thread is its post (``link_id``), and it answers ``parent_id``.
"""

from __future__ import annotations

from typing import Any

from mentiondesk.connectors.inbound import (
    Ignored,
    InboundEvent,
    ParseResult,
    Rejected,
    fragment,
    ident,
    moment,
    obj,
    raw_post,
    text,
)
from mentiondesk.domain.posts import Platform, PostKind

__all__ = ["WWW", "listing", "parse_thing"]

WWW = "https://www.reddit.com"
_GONE = frozenset({"[deleted]", "[removed]"})


def listing(body: Any) -> tuple[list[Any], str | None, str | None]:
    """The children of a listing and its ``after``/``before`` cursors."""
    data = obj(obj(body).get("data"))
    children = data.get("children")
    return (
        children if isinstance(children, list) else [],
        text(data.get("after")),
        text(data.get("before")),
    )


def parse_thing(thing: Any, *, source: str, brand_username: str | None = None) -> ParseResult:
    """One listing child. ``source``: ``mentions``, ``inbox`` or ``listening``."""
    kind = text(obj(thing).get("kind"))
    data = obj(obj(thing).get("data"))
    name = ident(data.get("name"))
    at = moment(data.get("created_utc"))
    if kind not in ("t1", "t3", "t4"):
        return Rejected(f"unknown thing kind {kind!r}", fragment(thing))
    if name is None or at is None:
        return Rejected("thing without name or created_utc", fragment(thing))
    author = text(data.get("author")) or "[deleted]"
    body = text(data.get("body")) if kind != "t3" else _post_text(data)
    if body is None:
        return Rejected("thing without text", fragment(thing))
    if body.strip() in _GONE:
        return InboundEvent("deleted", Platform.REDDIT, name, at, f"{name}:deleted")
    conversation: str | None
    parent: str | None
    if kind == "t4":
        event, post_kind, conversation, parent = "dm", PostKind.DM, f"dm:{author}", None
    elif kind == "t1":
        if source == "mentions":
            event = "mention"
        elif source == "inbox":
            event = "reply"
        else:
            event = "post"
        post_kind, conversation, parent = (
            PostKind.COMMENT,
            text(data.get("link_id")),
            text(data.get("parent_id")),
        )
    else:
        if source == "inbox":
            return Ignored("t3", "a post in the inbox is a subreddit notice")
        event, post_kind, conversation, parent = "post", PostKind.POST, None, None
    permalink = text(data.get("permalink")) or text(data.get("context"))
    post = raw_post(
        platform=Platform.REDDIT,
        post_id=name,
        text=body,
        created_at=at,
        author_handle=author,
        kind=post_kind,
        conversation_id=conversation,
        in_reply_to=parent,
        url=WWW + permalink if permalink and permalink.startswith("/") else permalink,
        to_brand=source in ("mentions", "inbox"),
    )
    ours = brand_username is not None and author.lower() == brand_username.lower()
    edited = data.get("edited")
    key = (
        name
        if not isinstance(edited, int | float) or isinstance(edited, bool)
        else f"{name}:edited:{edited}"
    )
    return InboundEvent(event, Platform.REDDIT, name, at, key, post, ours=ours, cursor=name)


def _post_text(data: dict[str, Any]) -> str | None:
    title = text(data.get("title"))
    selftext = text(data.get("selftext"))
    if selftext in _GONE:
        return selftext
    if title and selftext:
        return f"{title}\n\n{selftext}"
    return title or selftext
