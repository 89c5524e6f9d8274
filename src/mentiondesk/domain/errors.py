"""The exception tree that services raise and shells translate into messages.

DomainError
 ├── InvalidInput        -- a payload or argument is malformed (names the field)
 ├── NotFound            -- the thing does not exist *for this user* (also hides other tenants)
 ├── PermissionDenied    -- the user's role in the workspace does not allow the action
 ├── InvalidTransition   -- the case/post cannot move to that state from where it is
 └── ConcurrentChange    -- somebody changed the record since the caller read it
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose."""


class InvalidInput(DomainError):
    """A payload or argument is malformed; ``field`` names the culprit."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFound(DomainError):
    """Missing, or not visible to the caller (the two are deliberately indistinguishable)."""


class PermissionDenied(DomainError):
    """The caller's role in this workspace does not allow the action."""


class InvalidTransition(DomainError):
    """The state machine refuses the move; the message says why."""


class ConcurrentChange(DomainError):
    """Optimistic concurrency check failed: someone changed this record meanwhile."""
