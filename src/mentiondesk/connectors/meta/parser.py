"""Parse a Meta webhook body into ``events`` results; never raises, whatever the JSON.

A body (``object`` ``page`` or ``instagram``) batches ``entry[]`` items, one per Page or
Instagram account; each carries ``changes[]`` (``feed``, ``mention``, Instagram ``comments``,
``live_comments`` and ``mentions``) and/or ``messaging[]`` (Messenger and Instagram Direct).
The results come in the order Meta listed them; one odd item never costs the rest of the batch.

Threading: a Facebook comment's conversation is the post it sits under (``post_id``) and it
answers ``parent_id`` (the post, or the comment it replies to); an Instagram comment's is its
media. A direct message's conversation is ``dm:<account>:<customer id>``. Content Meta sends
without text (a photo comment, a sticker) gets a bracketed marker such as ``[photo]`` so the
pipeline, which needs text, still receives it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from mentiondesk.connectors.meta._json import ident, moment, obj, text
from mentiondesk.connectors.meta.events import (
    IGNORED,
    UNKNOWN_AUTHOR,
    EventBuilder,
    EventKind,
    Ignored,
    MetaEvent,
    ParseResult,
    Rejected,
    fragment,
)
from mentiondesk.domain.posts import Platform, PostKind

__all__ = ["event_from_graph_node", "parse_webhook"]

_POST_ITEMS = frozenset({"post", "status", "photo", "video", "share", "link", "album"})
_VERBS = {"add": "add", "edited": "edited", "edit": "edited", "remove": "remove"}
_VERBS |= {"hide": "hide", "unhide": "unhide"}
_COMMENT_KINDS = {
    "add": EventKind.COMMENT_ADDED,
    "edited": EventKind.COMMENT_EDITED,
    "remove": EventKind.COMMENT_REMOVED,
    "hide": EventKind.COMMENT_HIDDEN,
    "unhide": EventKind.COMMENT_UNHIDDEN,
}
_POST_KINDS = {
    "add": EventKind.POST_ADDED,
    "edited": EventKind.POST_EDITED,
    "remove": EventKind.POST_REMOVED,
    "hide": EventKind.POST_HIDDEN,
    "unhide": EventKind.POST_UNHIDDEN,
}


def parse_webhook(body: bytes | str | Any) -> list[ParseResult]:
    """Every result in a webhook body: raw bytes as received, or JSON already decoded."""
    if isinstance(body, bytes | bytearray | str):
        try:
            body = json.loads(body)
        except (ValueError, RecursionError) as exc:
            return [Rejected(f"body is not JSON: {exc}", fragment(body))]
    if not isinstance(body, dict):
        return [Rejected("body is not a JSON object", fragment(body))]
    platform = {"page": Platform.FACEBOOK, "instagram": Platform.INSTAGRAM}.get(
        str(body.get("object"))
    )
    if platform is None:
        return [Rejected(f"unknown object {body.get('object')!r}", fragment(body))]
    entries = body.get("entry")
    if not isinstance(entries, list):
        return [Rejected("no entry list", fragment(body))]
    results: list[ParseResult] = []
    for entry in entries:
        results.extend(_entry(platform, entry))
    return results


def event_from_graph_node(
    node: Any, platform: Platform, account_id: str, *, root_id: str | None = None
) -> MetaEvent | Rejected:
    """A post or comment as Graph returns it (reconcile pages, mention look-ups) as the event a
    webhook would have carried. ``root_id`` is the brand post a comment sits under."""
    node = obj(node)
    object_id = ident(node.get("id"))
    at = moment(node.get("created_time") or node.get("timestamp"))
    if object_id is None or at is None:
        return Rejected("graph object without id or time", fragment(node))
    parent = ident(obj(node.get("parent")).get("id")) or ident(node.get("parent_id"))
    media = ident(obj(node.get("media")).get("id"))
    root = root_id or media
    is_comment = root is not None and root != object_id
    author = obj(node.get("from"))
    handle = text(node.get("username")) or text(author.get("username"))
    author_id = ident(author.get("id"))
    change = EventBuilder(platform, account_id, "graph", at)
    message = text(node.get("message")) or text(node.get("text")) or text(node.get("caption"))
    post = change.post(
        post_id=object_id,
        message=message,
        fallback="[photo]" if text(node.get("full_picture")) else None,
        author_id=author_id,
        author_name=text(author.get("name")) or "",
        handle=handle,
        kind=PostKind.COMMENT if is_comment else PostKind.POST,
        conversation_id=root if is_comment else None,
        in_reply_to=(parent or root) if is_comment else None,
        url=text(node.get("permalink_url")),
    )
    kind = EventKind.COMMENT_ADDED if is_comment else EventKind.POST_ADDED
    return change.event(kind, object_id, "add", post, author_id)


# -- entries ------------------------------------------------------------------------------


def _entry(platform: Platform, entry: Any) -> Iterator[ParseResult]:
    if not isinstance(entry, dict):
        yield Rejected("entry is not an object", fragment(entry))
        return
    account_id = ident(entry.get("id"))
    if account_id is None:
        yield Rejected("entry without an id", fragment(entry))
        return
    sent_at = moment(entry.get("time"))
    known = False
    for key in ("changes", "messaging", "standby"):
        items = entry.get(key)
        if items is None:
            continue
        known = True
        if not isinstance(items, list):
            yield Rejected(f"entry {key} is not a list", fragment(entry))
            continue
        for item in items:
            yield _guarded(key, platform, account_id, sent_at, item)
    if not known:
        yield Rejected("entry has neither changes nor messaging", fragment(entry))


def _guarded(
    key: str, platform: Platform, account_id: str, sent_at: datetime | None, item: Any
) -> ParseResult:
    """One change or message; a shape the parser did not foresee becomes a rejection that says
    what broke, so one odd item never costs the rest of the batch."""
    try:
        if key == "standby":
            return Ignored("standby", IGNORED["standby"])
        if key == "messaging":
            return _message(platform, account_id, sent_at, obj(item)) or _odd(item)
        return _change(platform, account_id, sent_at, item)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as exc:
        return Rejected(f"malformed {key} item: {exc!r}", fragment(item))


def _odd(item: Any) -> Rejected:
    return Rejected("messaging item is not an object", fragment(item))


def _change(
    platform: Platform, account_id: str, sent_at: datetime | None, change: Any
) -> ParseResult:
    if not isinstance(change, dict):
        return Rejected("change is not an object", fragment(change))
    field = text(change.get("field")) or ""
    value = change.get("value")
    if not isinstance(value, dict):
        return Rejected(f"field {field!r} without a value", fragment(change))
    if platform is Platform.FACEBOOK and field in ("feed", "mention"):
        return _feed(EventBuilder(platform, account_id, field, sent_at), value)
    if platform is Platform.INSTAGRAM and field in ("comments", "live_comments"):
        return _ig_comment(EventBuilder(platform, account_id, field, sent_at), value)
    if platform is Platform.INSTAGRAM and field == "mentions":
        return _ig_mention(EventBuilder(platform, account_id, field, sent_at), value)
    return Rejected(f"unknown {platform.value} field {field!r}", fragment(change))


# -- Facebook feed and mention -------------------------------------------------------------


def _feed(c: EventBuilder, value: dict[str, Any]) -> ParseResult:
    item = text(value.get("item")) or ""
    raw_verb = text(value.get("verb")) or ""
    if c.field == "feed" and item in ("reaction", "like"):
        return Ignored("feed", IGNORED[f"feed:{item}"])
    verb = _VERBS.get(raw_verb)
    if verb is None or (item != "comment" and item not in _POST_ITEMS):
        return Rejected(f"{c.field}: item {item!r} with verb {raw_verb!r}", fragment(value))
    at = moment(value.get("created_time")) or c.sent_at
    if at is None:
        return Rejected(f"{c.field}: no time", fragment(value))
    c.at = at
    post_id = ident(value.get("post_id"))
    author = obj(value.get("from"))
    author_id = ident(author.get("id")) or ident(value.get("sender_id"))
    name = text(author.get("name")) or text(value.get("sender_name")) or ""
    message = text(value.get("message"))
    media = next((f"[{k}]" for k in ("photo", "video", "link") if text(value.get(k))), None)
    if item == "comment":
        object_id = ident(value.get("comment_id"))
        if object_id is None or post_id is None:
            return Rejected(f"{c.field}: comment without comment_id/post_id", fragment(value))
        parent = ident(value.get("parent_id")) or post_id
        kinds, post_kind = _COMMENT_KINDS, PostKind.COMMENT
        conversation: str | None = post_id
        in_reply_to: str | None = parent
        url = f"https://www.facebook.com/{post_id}?comment_id={object_id}"
    else:
        if post_id is None:
            return Rejected(f"{c.field}: {item} without post_id", fragment(value))
        object_id, kinds, post_kind = post_id, _POST_KINDS, PostKind.POST
        conversation = in_reply_to = None
        url = f"https://www.facebook.com/{post_id}"
    kind = kinds[verb]
    if c.field == "mention" and verb == "add":
        kind = EventKind.MENTION
    post = None
    if verb in ("add", "edited") and author_id is not None:
        post = c.post(
            post_id=object_id,
            message=message,
            fallback=media,
            author_id=author_id,
            author_name=name,
            handle=None,
            kind=post_kind,
            conversation_id=conversation,
            in_reply_to=in_reply_to,
            url=url,
        )
    return c.event(
        kind,
        object_id,
        verb,
        post,
        author_id,
        conversation_id=conversation,
        in_reply_to=in_reply_to,
        fetch_needed=verb in ("add", "edited") and post is None,
    )


# -- Instagram comments and mentions --------------------------------------------------------


def _ig_comment(c: EventBuilder, value: dict[str, Any]) -> ParseResult:
    comment_id = ident(value.get("id")) or ident(value.get("comment_id"))
    media_id = ident(obj(value.get("media")).get("id")) or ident(value.get("media_id"))
    if comment_id is None or media_id is None:
        return Rejected(f"{c.field}: comment without id or media", fragment(value))
    at = moment(value.get("timestamp")) or moment(value.get("created_time")) or c.sent_at
    if at is None:
        return Rejected(f"{c.field}: no time", fragment(value))
    c.at = at
    author = obj(value.get("from"))
    author_id = ident(author.get("id"))
    parent = ident(value.get("parent_id")) or media_id
    post = c.post(
        post_id=comment_id,
        message=text(value.get("text")),
        fallback=None,
        author_id=author_id or UNKNOWN_AUTHOR,
        author_name=text(author.get("username")) or "",
        handle=text(author.get("username")),
        kind=PostKind.COMMENT,
        conversation_id=media_id,
        in_reply_to=parent,
        url=None,
    )
    return c.event(
        EventKind.COMMENT_ADDED,
        comment_id,
        "add",
        post,
        author_id,
        conversation_id=media_id,
        in_reply_to=parent,
    )


def _ig_mention(c: EventBuilder, value: dict[str, Any]) -> ParseResult:
    """Instagram says only where the account was named; the text must be read from Graph."""
    media_id = ident(value.get("media_id"))
    comment_id = ident(value.get("comment_id"))
    if media_id is None:
        return Rejected("mentions: no media_id", fragment(value))
    if c.sent_at is None:
        return Rejected("mentions: no time", fragment(value))
    object_id = comment_id or media_id
    return c.event(
        EventKind.MENTION,
        object_id,
        "add",
        None,
        None,
        conversation_id=media_id,
        in_reply_to=media_id if comment_id else None,
        fetch_needed=True,
    )


# -- Messenger and Instagram Direct ----------------------------------------------------------


def _message(
    platform: Platform, account_id: str, sent_at: datetime | None, item: dict[str, Any]
) -> ParseResult | None:
    if not item:
        return None
    sender = ident(obj(item.get("sender")).get("id"))
    recipient = ident(obj(item.get("recipient")).get("id"))
    at = moment(item.get("timestamp")) or sent_at
    for key in ("reaction", "read", "delivery", "postback", "optin", "referral"):
        if key in item:
            return Ignored("messaging", IGNORED[f"messaging:{key}"])
    if sender is None or recipient is None or at is None:
        return Rejected("messaging item without sender, recipient or time", fragment(item))
    c = EventBuilder(platform, account_id, "messaging", at)
    if "message_edit" in item:
        edit = obj(item.get("message_edit"))
        mid = text(edit.get("mid"))
        if not mid:
            return Rejected("message_edit without mid", fragment(item))
        conversation = f"dm:{account_id}:{sender}"
        post = c.dm(mid, text(edit.get("text")), None, sender, conversation, None)
        key = f"{mid}:edit:{edit.get('num_edit')}"
        return c.event(
            EventKind.MESSAGE_EDITED,
            mid,
            "edited",
            post,
            sender,
            conversation_id=conversation,
            dedupe=key,
        )
    if "message" not in item:
        return Rejected("unknown messaging event", fragment(item))
    message = obj(item.get("message"))
    mid = text(message.get("mid"))
    if not mid:
        return Rejected("message without mid", fragment(item))
    echo = message.get("is_echo") is True
    customer = recipient if echo else sender
    conversation = f"dm:{account_id}:{customer}"
    reply_to = text(obj(message.get("reply_to")).get("mid"))
    if message.get("is_deleted") is True:
        return c.event(
            EventKind.MESSAGE_DELETED,
            mid,
            "remove",
            None,
            sender,
            conversation_id=conversation,
            dedupe=f"{mid}:deleted",
        )
    body = text(message.get("text"))
    if body is None and message.get("is_unsupported") is True:
        body = "[a message Meta cannot show outside its apps]"
    attachments = message.get("attachments")
    media = _attachment_marker(attachments) if body is None else None
    post = c.dm(mid, body, media, sender, conversation, reply_to)
    return c.event(
        EventKind.MESSAGE,
        mid,
        "add",
        post,
        sender,
        conversation_id=conversation,
        in_reply_to=reply_to,
        echo=echo,
        app_id=ident(message.get("app_id")),
        dedupe=mid,
    )


def _attachment_marker(attachments: Any) -> str | None:
    if not isinstance(attachments, list):
        return None
    kinds = [text(obj(a).get("type")) or "attachment" for a in attachments]
    return "[" + ", ".join(kinds) + "]" if kinds else None
