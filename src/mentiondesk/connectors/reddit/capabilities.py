"""What Reddit lets the brand's account do, and why not (platforms.md §6.4).

Reply under a post, comment or message; a private message to the author; publish a self post.
Votes must be cast by people, not software (Reddit's rules), so there is no like. Hiding or
removing a comment needs moderator rights in that subreddit."""

from __future__ import annotations

from dataclasses import dataclass

from mentiondesk.connectors.capability import Action, Verdict, allowed, refused

__all__ = ["ThingState", "available", "check"]


@dataclass(frozen=True, slots=True)
class ThingState:
    deleted: bool = False
    locked: bool = False  # the thread is locked or archived
    ours: bool = False
    moderator: bool = False  # the brand's account moderates the subreddit


def check(action: Action, thing: ThingState | None = None) -> Verdict:
    thing = thing or ThingState()
    if action is Action.LIKE:
        return refused("Reddit's rules forbid automated votes; vote on reddit.com yourself.")
    if action in (Action.HIDE, Action.UNHIDE):
        if not thing.moderator:
            return refused("Only the subreddit's moderators can remove a comment on Reddit.")
        return refused("Moderator removal is not available in mentiondesk yet.")
    if action is Action.PUBLISH:
        return allowed()
    if thing.deleted:
        return refused("The post was deleted or removed on Reddit.")
    if action is Action.PUBLIC_REPLY and thing.locked:
        return refused("The thread is locked or archived; Reddit accepts no replies.")
    if thing.ours and action is not Action.DM:
        return refused("This is the brand's own post.")
    return allowed()


def available(thing: ThingState | None = None) -> dict[Action, Verdict]:
    return {action: check(action, thing) for action in Action}
