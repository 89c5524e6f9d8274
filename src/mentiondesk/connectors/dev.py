"""The development connector: delivers nowhere and records exactly what would have been sent.

Used by the demo and the tests for every platform that has no real connector yet, so that both
follow the same code path as production delivery."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict
from pathlib import Path

from mentiondesk.connectors.base import (
    Delivered,
    DeliveryFailed,
    ModerationTarget,
    OutgoingPost,
    OutgoingReply,
)
from mentiondesk.domain.posts import Platform


class DevConnector:
    simulated = True  # delivers nowhere: what it takes is shown as simulated, never sent

    def __init__(self, platform: Platform, log_path: Path | None = None) -> None:
        self.platform = platform
        self.sent: list[OutgoingReply] = []
        self.moderated: list[tuple[str, ModerationTarget]] = []
        self.published: list[OutgoingPost] = []
        self._by_key: dict[str, Delivered] = {}
        self._log_path = log_path
        self._lock = threading.Lock()

    def send(self, reply: OutgoingReply) -> Delivered:
        with self._lock:
            if reply.idempotency_key in self._by_key:
                return self._by_key[reply.idempotency_key]
            delivered = Delivered(f"dev-{self.platform.value}-{len(self._by_key) + 1}")
            self._by_key[reply.idempotency_key] = delivered
            self.sent.append(reply)
            self._log({**asdict(reply), "platform_reply_id": delivered.platform_reply_id})
            return delivered

    def publish(self, post: OutgoingPost) -> Delivered:
        with self._lock:
            if post.idempotency_key in self._by_key:
                return self._by_key[post.idempotency_key]
            delivered = Delivered(f"dev-{self.platform.value}-post-{len(self._by_key) + 1}")
            self._by_key[post.idempotency_key] = delivered
            self.published.append(post)
            self._log({"published": asdict(post), "platform_post_id": delivered.platform_reply_id})
            return delivered

    def hide(self, target: ModerationTarget) -> None:
        self._moderate("hide", target)

    def unhide(self, target: ModerationTarget) -> None:
        self._moderate("unhide", target)

    def like(self, target: ModerationTarget) -> None:
        self._moderate("like", target)

    def _moderate(self, action: str, target: ModerationTarget) -> None:
        with self._lock:
            self.moderated.append((action, target))
            self._log({"moderation": action, **asdict(target)})

    def _log(self, record: dict[str, object]) -> None:
        if self._log_path is not None:
            self._log_path.parent.mkdir(parents=True, exist_ok=True)
            with self._log_path.open("a", encoding="utf-8") as log:
                log.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


class FlakyConnector(DevConnector):
    """A development connector that refuses the first ``failures`` attempts of every reply the
    way a rate-limited platform does (a 429 with Retry-After), then delivers it.

    With ``retry_after=None`` the refusals are final (no Retry-After, not transient), which is
    how tests and the demo exercise the ``failed`` path."""

    def __init__(
        self,
        platform: Platform,
        *,
        failures: int = 2,
        retry_after: float | None = 30.0,
        reason: str = "429 Too Many Requests",
        log_path: Path | None = None,
    ) -> None:
        super().__init__(platform, log_path)
        self.failures = failures
        self.retry_after = retry_after
        self.reason = reason
        self.attempts: dict[str, int] = {}

    def send(self, reply: OutgoingReply) -> Delivered:
        with self._lock:
            seen = self.attempts.get(reply.idempotency_key, 0) + 1
            self.attempts[reply.idempotency_key] = seen
        if seen <= self.failures:
            raise DeliveryFailed(self.reason, retry_after=self.retry_after)
        return super().send(reply)
