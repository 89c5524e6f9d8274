"""What the case page needs from the channel a case came in on: the brand post the comments
sit under, and which answers and moderation actions the platform allows now (greyed out with
the reason otherwise), read from the platform's capability rules (Meta's; X's summoned-only
replies; feeds, which are listen-only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mentiondesk.connectors.capability import Action as OpenAction
from mentiondesk.connectors.capability import Verdict
from mentiondesk.connectors.meta.capabilities import CAPABILITIES, Action, ItemState, check
from mentiondesk.connectors.rss import capabilities as rss_capabilities
from mentiondesk.connectors.x import capabilities as x_capabilities
from mentiondesk.desk.inbox import CaseView
from mentiondesk.domain.posts import Platform, Post, PostKind
from mentiondesk.domain.replies import DeliveryStatus, ReplyVisibility
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["CaseChannelView", "case_channel_view"]

_ANSWERED = {DeliveryStatus.QUEUED, DeliveryStatus.SENT, DeliveryStatus.SIMULATED}


@dataclass(frozen=True, slots=True)
class CaseChannelView:
    brand_post: Post | None = None  # the brand's post the customer commented under
    public: Verdict = field(default_factory=lambda: Verdict(True))
    private: Verdict = field(default_factory=lambda: Verdict(True))
    private_label: str = "Private message"
    moderation: dict[int, dict[str, Verdict]] = field(default_factory=dict)  # post id → action


def case_channel_view(
    uow: UnitOfWork, view: CaseView, now: datetime, *, human_agent: bool = False
) -> CaseChannelView:
    """Verdicts for the case's latest customer post on Facebook or Instagram; every other
    platform keeps the composer as it is."""
    case = view.case
    customer = [e.post for e in view.thread if e.post is not None and not e.post.extra.get("ours")]
    if customer and case.platform in _OPEN:
        return _open_channel_view(customer[-1])
    if case.platform not in CAPABILITIES or not customer:
        return CaseChannelView()
    latest = customer[-1]
    brand_post = None
    root = latest.inbound.conversation_id
    if root and latest.inbound.kind is PostKind.COMMENT:
        found = uow.posts.find_id(case.workspace_id, case.platform, root)
        brand_post = uow.posts.get(case.workspace_id, found) if found else None
    replies = [e.reply for e in view.thread if e.reply is not None]
    privately = {
        r.in_reply_to_post_id
        for r in replies
        if r.visibility is ReplyVisibility.PRIVATE and r.status in _ANSWERED
    }
    moderation = {
        post.id: {
            "hide": check(Action.HIDE, _state(post, privately, customer), now),
            "like": check(Action.LIKE, _state(post, privately, customer), now),
        }
        for post in customer
    }
    item = _state(latest, privately, customer)
    if latest.inbound.kind is PostKind.DM:
        private = check(Action.DM, item, now, human_agent=human_agent)
        label = "Direct message"
    else:
        private = check(Action.PRIVATE_REPLY, item, now)
        label = "Private reply (once per comment, within 7 days)"
    public = check(Action.PUBLIC_REPLY, item, now)
    return CaseChannelView(brand_post, public, private, label, moderation)


_OPEN = (Platform.X, Platform.BLOG, Platform.FORUM)


def _open_channel_view(latest: Post) -> CaseChannelView:
    """X answers only authors who summoned the brand; a feed answers nowhere (the entry's
    link is where to answer)."""
    platform = latest.inbound.platform
    if platform is Platform.X:
        state = x_capabilities.PostState(summoned=bool(latest.extra.get("x_summoned")))
        public = x_capabilities.check(OpenAction.PUBLIC_REPLY, state)
        return CaseChannelView(public=public, private_label="Direct message")
    refusal = rss_capabilities.check(OpenAction.PUBLIC_REPLY, latest.inbound.url)
    return CaseChannelView(public=refusal, private=refusal)


def _state(post: Post, privately: set[int | None], customer: list[Post]) -> ItemState:
    last_message = max(
        (p.inbound.created_at for p in customer if p.inbound.kind is PostKind.DM), default=None
    )
    return ItemState(
        platform=post.inbound.platform,
        kind=post.inbound.kind,
        created_at=post.inbound.created_at,
        hidden=post.hidden,
        removed=bool(post.extra.get("deleted_by_author")),
        private_reply_sent=post.id in privately,
        last_customer_message_at=last_message,
    )
