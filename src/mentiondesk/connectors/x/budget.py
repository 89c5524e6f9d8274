"""What X's pay-per-use API costs, counted against a monthly budget; pure.

Prices are X's pay-per-use unit prices (platforms.md §3.1, from X's pricing page, February and
April 2026): reads are charged per resource returned, writes per request. ``Budget`` keeps the
month's spending; ``allows(cost)`` says whether a call still fits, ``pace`` how much to stretch
the polling interval as the cap nears (×1 below 80%, then slower, stopped at the cap), so a
workspace sees polling slow down and stop on the Channels page instead of an invoice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

__all__ = ["PRICES", "Budget", "Cost", "Price", "reply_price"]

SLOW_FROM = Decimal("0.8")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


class Price(StrEnum):
    POST_READ = "post_read"  # per post returned (search, lookup)
    OWNED_READ = "owned_read"  # per post returned from the brand's own mentions timeline
    USER_READ = "user_read"
    DM_READ = "dm_read"
    POST_CREATE = "post_create"
    POST_CREATE_SUMMONED = "post_create_summoned"  # a reply to someone who summoned the brand
    POST_CREATE_WITH_URL = "post_create_with_url"
    DM_CREATE = "dm_create"
    HIDE_REPLY = "hide_reply"


PRICES: dict[Price, Decimal] = {
    Price.POST_READ: Decimal("0.005"),
    Price.OWNED_READ: Decimal("0.001"),
    Price.USER_READ: Decimal("0.010"),
    Price.DM_READ: Decimal("0.010"),
    Price.POST_CREATE: Decimal("0.015"),
    Price.POST_CREATE_SUMMONED: Decimal("0.010"),
    Price.POST_CREATE_WITH_URL: Decimal("0.200"),
    Price.DM_CREATE: Decimal("0.015"),
    Price.HIDE_REPLY: Decimal("0"),  # not priced separately in X's table
}


def reply_price(text: str) -> Price:
    """A reply with a link costs the link price; otherwise the summoned-reply price."""
    return Price.POST_CREATE_WITH_URL if _URL.search(text) else Price.POST_CREATE_SUMMONED


@dataclass(frozen=True, slots=True)
class Cost:
    price: Price
    units: int = 1

    @property
    def usd(self) -> Decimal:
        return PRICES[self.price] * self.units


class Budget:
    """The month's spending against ``monthly_usd``; ``month`` is ``YYYY-MM`` (UTC)."""

    def __init__(
        self,
        monthly_usd: Decimal | float | str,
        *,
        spent: Decimal | str = "0",
        month: str | None = None,
    ) -> None:
        self.monthly = Decimal(str(monthly_usd))
        self.spent = Decimal(str(spent))
        self.month = month
        self.calls: dict[Price, int] = {}

    def roll(self, now: datetime) -> None:
        """Start a new month's count when ``now`` is in another month."""
        month = now.strftime("%Y-%m")
        if self.month != month:
            self.month, self.spent, self.calls = month, Decimal("0"), {}

    def allows(self, cost: Cost, now: datetime) -> bool:
        self.roll(now)
        return self.spent + cost.usd <= self.monthly

    def charge(self, cost: Cost, now: datetime) -> None:
        self.roll(now)
        self.spent += cost.usd
        self.calls[cost.price] = self.calls.get(cost.price, 0) + cost.units

    @property
    def remaining(self) -> Decimal:
        return max(self.monthly - self.spent, Decimal("0"))

    @property
    def stopped(self) -> bool:
        return self.spent >= self.monthly

    def pace(self) -> float | None:
        """Factor to stretch the polling interval by; ``None``: stop polling (cap reached)."""
        if self.monthly <= 0 or self.stopped:
            return None
        used = self.spent / self.monthly
        if used < SLOW_FROM:
            return 1.0
        return float(1 + (used - SLOW_FROM) / (1 - SLOW_FROM) * 9)  # up to ×10 near the cap
