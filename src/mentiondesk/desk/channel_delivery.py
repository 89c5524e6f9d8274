"""Which connector carries an outbox row: the workspace's channel account for the row's
platform, built once per account (and token) by the composition root's ``build``.

A workspace without an account for a platform keeps the platform's default connector (the
development channel, which records and says "simulated"), and so do development channel
accounts (the demo's). A paused account holds its rows (no attempt is spent) until resumed; a
disconnected one refuses them with the reason Meta gave. When Meta refuses an account's token
(code 190), the account is marked disconnected right away, so the Channels page tells the
admins.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from mentiondesk.connectors.base import (
    Connector,
    Delivered,
    DeliveryFailed,
    ModerationTarget,
    Moderator,
    OutgoingPost,
    OutgoingReply,
    Publisher,
)
from mentiondesk.connectors.refusals import TokenInvalid
from mentiondesk.connectors.x.budget import Budget
from mentiondesk.desk.channels import do_mark_disconnected
from mentiondesk.desk.open_clients import synced_budget
from mentiondesk.domain.channels import ChannelAccount, ChannelState
from mentiondesk.domain.outbox import OutboxItem
from mentiondesk.domain.posts import Platform
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["PAUSED_RETRY_SECONDS", "ChannelConnectors"]

PAUSED_RETRY_SECONDS = 600.0

Build = Callable[[ChannelAccount], Connector]
_T = TypeVar("_T")


class ChannelConnectors:
    """``route(uow, item)`` for the ``OutboxWorker``: a connector, or ``None`` for the
    platform's default one."""

    def __init__(
        self,
        build: Build,
        clock: Callable[[], datetime],
        close: Callable[[], None] | None = None,
    ) -> None:
        self._build = build
        self._clock = clock
        self._close = close
        self._built: dict[tuple[int, str], Connector] = {}
        self._lock = threading.Lock()

    def hold(self, uow: UnitOfWork, item: OutboxItem) -> float:
        """For the ``OutboxWorker``: a paused channel's rows wait, without spending an
        attempt, until it is resumed (checked every ``PAUSED_RETRY_SECONDS``)."""
        account = self._account(uow, item)
        if account is not None and account.state is ChannelState.PAUSED:
            return PAUSED_RETRY_SECONDS
        return 0.0

    def route(self, uow: UnitOfWork, item: OutboxItem) -> Connector | None:
        account = self._account(uow, item)
        if account is None:
            return None
        platform = account.platform
        if account.state is ChannelState.PAUSED:
            raise DeliveryFailed(
                f"the {platform.value} channel {account.name} is paused",
                retry_after=PAUSED_RETRY_SECONDS,
            )
        if account.state is ChannelState.DISCONNECTED:
            raise DeliveryFailed(
                f"the {platform.value} channel {account.name} is disconnected: "
                f"{account.state_reason or 'reconnect it on the Channels page'}"
            )
        connector = self._connector(account)
        budget = getattr(getattr(connector, "client", None), "budget", None)
        if isinstance(budget, Budget):  # X: every write counts against the stored month
            synced_budget(budget, account)
        return _watched(connector, account.id, uow, self._clock, budget)

    def _account(self, uow: UnitOfWork, item: OutboxItem) -> ChannelAccount | None:
        platform = Platform._value2member_map_.get(item.channel)
        if not isinstance(platform, Platform):
            return None
        accounts = [
            a
            for a in uow.channels.for_workspace(item.workspace_id)
            if a.platform is platform and not a.development
        ]
        return self._chosen(uow, item, accounts) if accounts else None

    def close(self) -> None:
        """Release what the connectors hold (each open channel's client, the shared Graph
        client's connections)."""
        with self._lock:
            built, self._built = list(self._built.values()), {}
        for connector in built:
            _release(connector)
        if self._close is not None:
            self._close()

    def _connector(self, account: ChannelAccount) -> Connector:
        key = (account.id, account.token)
        with self._lock:
            if key not in self._built:
                for old in [k for k in self._built if k[0] == account.id]:
                    _release(self._built.pop(old))
                self._built[key] = self._build(account)
            return self._built[key]

    @staticmethod
    def _chosen(
        uow: UnitOfWork, item: OutboxItem, accounts: list[ChannelAccount]
    ) -> ChannelAccount:
        """The account the customer's post came in on, else the workspace's first."""
        if item.post_id is not None:
            post = uow.posts.get(item.workspace_id, item.post_id)
            heard_on = post.extra.get("channel_account") if post else None
            for account in accounts:
                if account.external_id == heard_on:
                    return account
        return accounts[0]


def _release(connector: Connector) -> None:
    """Close an open channel's client (Meta's connectors share one, closed apart)."""
    client = getattr(connector, "client", None)
    close = getattr(client, "close", None)
    if callable(close):
        close()


class _Watched:
    """A channel's connector that marks its account disconnected when the platform refuses
    its credentials, then lets the refusal through to the outbox; X's spending is counted
    against the channel's month."""

    def __init__(
        self,
        inner: Connector,
        account_id: int,
        uow: UnitOfWork,
        clock: Callable[[], datetime],
        budget: Budget | None = None,
    ) -> None:
        self._inner: Any = inner
        self._budget = budget
        self._account_id = account_id
        self._uow = uow
        self._clock = clock
        self.platform = inner.platform

    def send(self, reply: OutgoingReply) -> Delivered:
        return self._watch(lambda: self._inner.send(reply))

    def _watch(self, call: Callable[[], _T]) -> _T:
        spent = self._budget.spent if self._budget is not None else None
        try:
            return call()
        except TokenInvalid as exc:
            do_mark_disconnected(self._uow, self._account_id, exc.reason, now=self._clock())
            raise
        finally:
            budget = self._budget
            if budget is not None and spent is not None and budget.month and budget.spent != spent:
                self._uow.channels.add_spend(self._account_id, budget.spent - spent, budget.month)


class _WatchedModerator(_Watched):
    def hide(self, target: ModerationTarget) -> None:
        self._watch(lambda: self._inner.hide(target))

    def unhide(self, target: ModerationTarget) -> None:
        self._watch(lambda: self._inner.unhide(target))

    def like(self, target: ModerationTarget) -> None:
        self._watch(lambda: self._inner.like(target))


class _WatchedPublisher(_Watched):
    def publish(self, post: OutgoingPost) -> Delivered:
        return self._watch(lambda: self._inner.publish(post))


class _WatchedBoth(_WatchedModerator, _WatchedPublisher):
    pass


def _watched(
    inner: Connector,
    account_id: int,
    uow: UnitOfWork,
    clock: Callable[[], datetime],
    budget: Budget | None,
) -> _Watched:
    """Wrap ``inner`` offering only what it can do, so the outbox still tells a platform
    that cannot moderate (Reddit, feeds) or publish (feeds) from one that can."""
    moderates, publishes = isinstance(inner, Moderator), isinstance(inner, Publisher)
    kind = {
        (True, True): _WatchedBoth,
        (True, False): _WatchedModerator,
        (False, True): _WatchedPublisher,
        (False, False): _Watched,
    }[(moderates, publishes)]
    return kind(inner, account_id, uow, clock, budget)
