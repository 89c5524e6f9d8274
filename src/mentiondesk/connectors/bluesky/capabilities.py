"""What Bluesky lets the brand's account do with a post, and why not (platforms.md §5.3).

Reply (a post with root and parent references), like, publish: always. A direct message needs
an app password with access to direct messages, and the recipient's chat settings may refuse
it. A reply can be hidden only under a thread the brand started (a threadgate on its own root
post, ``hiddenReplies``)."""

from __future__ import annotations

from dataclasses import dataclass

from mentiondesk.connectors.capability import Action, Verdict, allowed, refused

__all__ = ["PostState", "available", "check"]


@dataclass(frozen=True, slots=True)
class PostState:
    ours: bool = False
    deleted: bool = False
    under_our_thread: bool = False  # the post replies in a thread the brand started
    dm_access: bool = False  # the app password may use direct messages


def check(action: Action, post: PostState | None = None) -> Verdict:
    post = post or PostState()
    if action is Action.PUBLISH:
        return allowed()
    if post.deleted:
        return refused("The post was deleted on Bluesky.")
    if action is Action.DM:
        if not post.dm_access:
            return refused(
                "The app password has no access to direct messages; create one "
                "with “Allow access to your direct messages”."
            )
        return allowed()
    if post.ours:
        return refused("This post is the brand's own.")
    if action in (Action.HIDE, Action.UNHIDE) and not post.under_our_thread:
        return refused("Bluesky hides replies only under threads the brand started.")
    return allowed()


def available(post: PostState | None = None) -> dict[Action, Verdict]:
    return {action: check(action, post) for action in Action}
