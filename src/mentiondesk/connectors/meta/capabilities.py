"""What Facebook and Instagram let a Page do with an item, as data, and why an action is not
possible right now.

The composer greys out what ``check`` refuses and shows its reason; the outbox can ask the
same before sending. The rules are Meta's policies (platforms.md §1.6, §2.3):

- a public reply goes under a comment or post; Instagram refuses replies to hidden comments;
- a private reply is one message per comment (or Facebook visitor post), within 7 days of it;
- a direct message may follow the customer's last message within 24 hours, or within 7 days
  with the ``HUMAN_AGENT`` tag (a feature Meta must have granted the app);
- hide and unhide work on comments; like exists on Facebook only;
- a Facebook Page can publish text; Instagram publishes media only (an image is required).

Everything here is pure: the caller passes the item's state and the time. Verdicts are the
shared ``connectors.capability.Verdict``; ``Action`` is Meta's own set, since a private reply to
a comment and a direct message are different things on Meta.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from mentiondesk.connectors.capability import Verdict
from mentiondesk.domain.posts import Platform, PostKind

__all__ = [
    "CAPABILITIES",
    "HUMAN_AGENT_TAG",
    "Action",
    "Capabilities",
    "ItemState",
    "Verdict",
    "available",
    "check",
    "check_publish",
]

HUMAN_AGENT_TAG = "HUMAN_AGENT"


class Action(StrEnum):
    PUBLIC_REPLY = "public_reply"
    PRIVATE_REPLY = "private_reply"
    DM = "dm"
    HIDE = "hide"
    UNHIDE = "unhide"
    LIKE = "like"


@dataclass(frozen=True, slots=True)
class Capabilities:
    platform: Platform
    public_reply: bool
    reply_to_hidden: bool
    private_reply_window: timedelta  # one private reply per comment, within this time
    private_reply_to_posts: bool  # visitor posts, not only comments
    dm_window: timedelta
    dm_human_agent_window: timedelta
    hide: bool
    like: bool
    publish_text: bool  # a text-only post; Instagram needs media


CAPABILITIES: dict[Platform, Capabilities] = {
    Platform.FACEBOOK: Capabilities(
        platform=Platform.FACEBOOK,
        public_reply=True,
        reply_to_hidden=True,
        private_reply_window=timedelta(days=7),
        private_reply_to_posts=True,
        dm_window=timedelta(hours=24),
        dm_human_agent_window=timedelta(days=7),
        hide=True,
        like=True,
        publish_text=True,
    ),
    Platform.INSTAGRAM: Capabilities(
        platform=Platform.INSTAGRAM,
        public_reply=True,
        reply_to_hidden=False,
        private_reply_window=timedelta(days=7),
        private_reply_to_posts=False,
        dm_window=timedelta(hours=24),
        dm_human_agent_window=timedelta(days=7),
        hide=True,
        like=False,
        publish_text=False,
    ),
}


@dataclass(frozen=True, slots=True)
class ItemState:
    """What the desk knows about the customer's item an action would be about."""

    platform: Platform
    kind: PostKind
    created_at: datetime
    ours: bool = False  # the brand's own post, comment or message
    hidden: bool = False
    removed: bool = False  # deleted on the platform
    private_reply_sent: bool = False
    last_customer_message_at: datetime | None = None  # for DMs: opens the messaging window


def check(action: Action, item: ItemState, now: datetime, *, human_agent: bool = False) -> Verdict:
    """May the Page do ``action`` on ``item`` at ``now``? ``human_agent``: the app holds Meta's
    Human Agent feature, which stretches the DM window to 7 days."""
    caps = CAPABILITIES.get(item.platform)
    name = item.platform.value.capitalize()
    if caps is None:
        return _no(f"{item.platform.value} is not a Meta platform")
    if item.removed:
        return _no(f"The {_noun(item)} was deleted on {name}.")
    if item.ours and action is not Action.DM:
        return _no(f"This {_noun(item)} is the brand's own.")
    if action is Action.DM:
        return _dm(caps, item, now, human_agent)
    if item.kind is PostKind.DM:
        if action in (Action.PUBLIC_REPLY, Action.PRIVATE_REPLY):
            return _no("Only a direct message answers a direct message.")
        return _no("Direct messages cannot be hidden or liked.")
    if action is Action.PUBLIC_REPLY:
        if item.hidden and not caps.reply_to_hidden:
            return _no(f"{name} does not allow replies to hidden comments; unhide it first.")
        return Verdict(True)
    if action is Action.PRIVATE_REPLY:
        return _private_reply(caps, item, now)
    if action in (Action.HIDE, Action.UNHIDE):
        if item.kind is not PostKind.COMMENT:
            return _no("Only comments can be hidden.")
        if action is Action.HIDE and item.hidden:
            return _no("The comment is already hidden.")
        if action is Action.UNHIDE and not item.hidden:
            return _no("The comment is not hidden.")
        return Verdict(True)
    if not caps.like:
        return _no(f"{name} has no like in its API.")
    return Verdict(True)


def available(
    item: ItemState, now: datetime, *, human_agent: bool = False
) -> dict[Action, Verdict]:
    """Every action with its verdict, in the order the composer shows them."""
    return {action: check(action, item, now, human_agent=human_agent) for action in Action}


def check_publish(platform: Platform, *, has_media: bool = False) -> Verdict:
    """May the brand publish its own post (opening and closing posts) on this platform?"""
    caps = CAPABILITIES.get(platform)
    if caps is None:
        return _no(f"{platform.value} is not a Meta platform")
    if not caps.publish_text and not has_media:
        return _no(f"{platform.value.capitalize()} publishes only posts with an image.")
    return Verdict(True)


def _private_reply(caps: Capabilities, item: ItemState, now: datetime) -> Verdict:
    if item.kind is PostKind.POST and not caps.private_reply_to_posts:
        return _no("Instagram sends private replies to comments only.")
    if item.private_reply_sent:
        return _no(f"A private reply was already sent; Meta allows one per {_noun(item)}.")
    until = item.created_at + caps.private_reply_window
    if now >= until:
        return _no(f"Private replies are possible for 7 days; this {_noun(item)} is older.")
    return Verdict(True, until=until)


def _dm(caps: Capabilities, item: ItemState, now: datetime, human_agent: bool) -> Verdict:
    if item.kind is not PostKind.DM:
        return _no("Direct messages answer conversations; use a private reply for a comment.")
    last = item.last_customer_message_at
    if last is None:
        return _no("The customer has not written yet, so Meta does not allow a message.")
    if now < last + caps.dm_window:
        return Verdict(True, until=last + caps.dm_window)
    if human_agent and now < last + caps.dm_human_agent_window:
        return Verdict(True, tag=HUMAN_AGENT_TAG, until=last + caps.dm_human_agent_window)
    if human_agent:
        return _no("The customer's last message is more than 7 days old.")
    return _no("The 24-hour messaging window has closed (7 days needs Meta's Human Agent tag).")


def _noun(item: ItemState) -> str:
    return {PostKind.COMMENT: "comment", PostKind.POST: "post", PostKind.DM: "message"}[item.kind]


def _no(reason: str) -> Verdict:
    return Verdict(False, reason)
