"""What a feed lets the desk do: nothing but listen. Answers happen on the site itself, so the
composer shows the entry's link instead of a reply box."""

from __future__ import annotations

from mentiondesk.connectors.capability import Action, Verdict, refused

__all__ = ["available", "check"]


def check(action: Action, link: str | None = None) -> Verdict:
    where = f" ({link})" if link else ""
    if action is Action.PUBLISH:
        return refused("A feed cannot be published to; post on the site itself.")
    return refused(f"RSS and Atom feeds are listen-only: answer on the site{where}.")


def available(link: str | None = None) -> dict[Action, Verdict]:
    return {action: check(action, link) for action in Action}
