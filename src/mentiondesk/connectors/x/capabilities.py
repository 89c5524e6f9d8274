"""What X lets the brand do with a post, and why not (platforms.md §3.1, §3.6).

Since 23 February 2026, programmatic replies are allowed only when the post's author summoned
the brand — @mentioned it or quoted one of its posts; X rejects any other reply with 403.
Likes were removed from self-serve API access in April 2026. A reply can be hidden only under
the brand's own posts. Every action costs money against the monthly budget."""

from __future__ import annotations

from dataclasses import dataclass

from mentiondesk.connectors.capability import Action, Verdict, allowed, refused

__all__ = ["PostState", "available", "check"]


@dataclass(frozen=True, slots=True)
class PostState:
    summoned: bool = False  # the author mentioned or quoted the brand
    under_our_post: bool = False  # a reply in a conversation the brand started
    ours: bool = False
    deleted: bool = False
    budget_left: bool = True


def check(action: Action, post: PostState | None = None) -> Verdict:
    post = post or PostState()
    if not post.budget_left:
        return refused("The workspace's monthly X budget is spent.")
    if action is Action.LIKE:
        return refused("X removed likes from self-serve API access (April 2026).")
    if action is Action.PUBLISH:
        return allowed()
    if post.deleted:
        return refused("The post was deleted on X.")
    if post.ours and action is not Action.DM:
        return refused("This post is the brand's own.")
    if action is Action.PUBLIC_REPLY and not post.summoned:
        return refused(
            "X allows replies only when the author mentioned or quoted the brand; "
            "answer by direct message or open the post on X."
        )
    if action in (Action.HIDE, Action.UNHIDE) and not post.under_our_post:
        return refused("X hides replies only under the brand's own posts.")
    return allowed()


def available(post: PostState | None = None) -> dict[Action, Verdict]:
    return {action: check(action, post) for action in Action}
