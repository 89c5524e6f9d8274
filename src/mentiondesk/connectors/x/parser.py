"""X API v2 responses as ``inbound`` results; never raises.

A page is ``{"data": [posts], "includes": {"users": [...]}, "meta": {...}, "errors": [...]}``;
posts name their author by ``author_id``, resolved through ``includes.users``. From the
mentions timeline a post is a ``mention`` (``to_brand``); from search a ``post`` for the
listening matcher. Partial errors beside ``data`` are rejected entries, the rest still parsed.
An edited post has a new id; ``edit_history_tweet_ids[0]`` is the original, and the dedupe key
is the original id plus the version.
"""

from __future__ import annotations

from typing import Any

from mentiondesk.connectors.inbound import (
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

__all__ = ["parse_page", "parse_post", "summoned_by"]


def summoned_by(post: dict[str, Any], brand_user_id: str) -> bool:
    """Whether the post's author mentioned the brand or quoted one of its posts — the only
    posts X lets the brand answer programmatically."""
    entities = obj(post.get("entities"))
    for mention in entities.get("mentions") or ():
        if ident(obj(mention).get("id")) == brand_user_id:
            return True
    for raw in post.get("referenced_tweets") or ():
        ref = obj(raw)
        if ref.get("type") == "quoted" and ident(ref.get("author_id")) == brand_user_id:
            return True
    return False


def parse_page(body: Any, *, source: str, brand_user_id: str | None = None) -> list[ParseResult]:
    page = obj(body)
    users = {
        ident(obj(u).get("id")): obj(u)
        for u in obj(page.get("includes")).get("users") or ()
        if isinstance(u, dict)
    }
    results: list[ParseResult] = [
        Rejected(f"X reported a partial error: {_detail(e)}", fragment(e))
        for e in page.get("errors") or ()
        if isinstance(e, dict)
    ]
    posts = page.get("data")
    if posts is not None and not isinstance(posts, list):
        return [*results, Rejected("data is not a list", fragment(body))]
    for post in posts or ():
        results.append(parse_post(post, users, source=source, brand_user_id=brand_user_id))
    results.sort(
        key=lambda r: (
            int(r.platform_post_id)
            if isinstance(r, InboundEvent) and r.platform_post_id.isdigit()
            else 0
        )
    )
    return results


def parse_post(
    post: Any,
    users: dict[str | None, dict[str, Any]],
    *,
    source: str,
    brand_user_id: str | None = None,
) -> ParseResult:
    data = obj(post)
    post_id = ident(data.get("id"))
    body = text(data.get("text"))
    at = moment(data.get("created_at"))
    author_id = ident(data.get("author_id"))
    if post_id is None or body is None or at is None or author_id is None:
        return Rejected("post without id, text, created_at or author_id", fragment(post))
    user = users.get(author_id, {})
    handle = text(user.get("username")) or author_id
    replied = next(
        (
            ident(obj(r).get("id"))
            for r in data.get("referenced_tweets") or ()
            if obj(r).get("type") == "replied_to"
        ),
        None,
    )
    conversation = ident(data.get("conversation_id"))
    history = data.get("edit_history_tweet_ids") or data.get("edit_history_post_ids") or []
    original = ident(history[0]) if isinstance(history, list) and history else post_id
    metrics = obj(user.get("public_metrics"))
    followers = metrics.get("followers_count")
    raw = raw_post(
        platform=Platform.X,
        post_id=post_id,
        text=body,
        created_at=at,
        author_handle=handle,
        author_name=text(user.get("name")) or "",
        kind=PostKind.COMMENT if replied else PostKind.POST,
        conversation_id=conversation if conversation != post_id else None,
        in_reply_to=replied,
        url=f"https://x.com/{handle}/status/{post_id}",
        lang=text(data.get("lang")),
        to_brand=source == "mentions",
        followers=followers
        if isinstance(followers, int) and not isinstance(followers, bool)
        else None,
    )
    raw_summoned = brand_user_id is not None and summoned_by(data, brand_user_id)
    kind = "mention" if source == "mentions" else "post"
    ours = brand_user_id is not None and author_id == brand_user_id
    event = InboundEvent(
        kind, Platform.X, post_id, at, f"post:{original}:{post_id}", raw, ours=ours, cursor=post_id
    )
    if raw_summoned:
        raw["meta"] = {"x_summoned": True}
    return event


def _detail(error: dict[str, Any]) -> str:
    return text(error.get("detail")) or text(error.get("title")) or "unknown"
