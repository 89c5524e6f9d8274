"""What Mastodon lets the brand's account do with a status, and why not (platforms.md §4.3).

A public reply threads under the status (``in_reply_to_id``) and must name the author
(``@acct``) or they are not notified; a private answer is a ``direct`` status naming them;
favourite is the like; publishing is a status of the brand's own. There is no way to hide a
reply: moderation is reporting or blocking, which is the instance's business."""

from __future__ import annotations

from dataclasses import dataclass

from mentiondesk.connectors.capability import Action, Verdict, allowed, refused

__all__ = ["StatusState", "available", "check"]


@dataclass(frozen=True, slots=True)
class StatusState:
    direct: bool = False  # a private mention
    ours: bool = False
    deleted: bool = False


def check(action: Action, status: StatusState | None = None) -> Verdict:
    status = status or StatusState()
    if action in (Action.HIDE, Action.UNHIDE):
        return refused("Mastodon cannot hide replies; report or block the account instead.")
    if action is Action.PUBLISH:
        return allowed()
    if status.deleted:
        return refused("The status was deleted on Mastodon.")
    if status.ours and action is not Action.DM:
        return refused("This status is the brand's own.")
    if action is Action.PUBLIC_REPLY and status.direct:
        return refused("A private mention is answered privately, not in public.")
    return allowed()


def available(status: StatusState | None = None) -> dict[Action, Verdict]:
    return {action: check(action, status) for action in Action}
