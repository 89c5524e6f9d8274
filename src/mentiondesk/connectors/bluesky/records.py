"""Bluesky posts as the desk's raw posts, from a notification, a post view or a Jetstream
commit. A post's id is its ``at://`` URI; its thread is the URI of the reply's root."""

from __future__ import annotations

from typing import Any

from mentiondesk.connectors.inbound import moment, obj, raw_post, text
from mentiondesk.domain.posts import Platform, PostKind

__all__ = ["APP_URL", "MENTION_FEATURE", "mentions_did", "post_from_record", "web_url"]

APP_URL = "https://bsky.app"
MENTION_FEATURE = "app.bsky.richtext.facet#mention"


def web_url(uri: str, handle: str | None = None) -> str | None:
    """``at://did/app.bsky.feed.post/rkey`` → the post's page on bsky.app."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3:
        return None
    return f"{APP_URL}/profile/{handle or parts[0]}/post/{parts[2]}"


def mentions_did(record: dict[str, Any], did: str) -> bool:
    """Whether the post's rich text tags ``did`` (a real @mention, not just the name)."""
    for facet in record.get("facets") or ():
        for raw in obj(facet).get("features") or ():
            feature = obj(raw)
            if feature.get("$type") == MENTION_FEATURE and feature.get("did") == did:
                return True
    return False


def post_from_record(
    uri: str,
    record: dict[str, Any],
    *,
    author: str,
    author_name: str = "",
    to_brand: bool = False,
) -> dict[str, Any] | None:
    """The raw post for an ``app.bsky.feed.post`` record, or ``None`` when it has no usable
    text or time."""
    body = text(record.get("text"))
    at = moment(record.get("createdAt"))
    if at is None:
        return None
    if body is None:
        embed = obj(record.get("embed"))
        body = "[image]" if "images" in str(embed.get("$type", "")) else None
    if body is None:
        return None
    reply = obj(record.get("reply"))
    parent = text(obj(reply.get("parent")).get("uri"))
    root = text(obj(reply.get("root")).get("uri"))
    langs = record.get("langs")
    lang = langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else None
    return raw_post(
        platform=Platform.BLUESKY,
        post_id=uri,
        text=body,
        created_at=at,
        author_handle=author,
        author_name=author_name,
        kind=PostKind.COMMENT if parent else PostKind.POST,
        conversation_id=root,
        in_reply_to=parent,
        url=web_url(uri, author if "." in author else None),
        lang=lang,
        to_brand=to_brand,
    )
