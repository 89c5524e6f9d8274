"""A workspace's reply policy: what the guard enforces and how agents sign their replies.

Stored as JSON under ``workspaces.settings["replies"]`` so a new knob needs no migration; every
value is validated here, once, so a typo in a settings form never reaches the guard as a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.replies.guard import GuardSettings, HotlineSchedule

__all__ = ["ReplyPolicy", "SignatureMode", "sign"]


class SignatureMode(StrEnum):
    ALWAYS = "always"
    NEVER = "never"
    PUBLIC_ONLY = "public_only"


@dataclass(frozen=True, slots=True)
class ReplyPolicy:
    """``signature_format`` holds ``{signature}`` (the agent's own, e.g. "Ania" -> "^Ania")."""

    requires_signature: bool = False
    signature_mode: SignatureMode = SignatureMode.NEVER
    signature_format: str = "^{signature}"
    duplicate_threshold: float = 0.9
    hotline: Mapping[str, Any] | None = field(default=None)
    max_attempts: int = 5

    def guard_settings(
        self, *, time_zone: str, order_pattern: str | None, brand_handles: tuple[str, ...]
    ) -> GuardSettings:
        return GuardSettings(
            requires_signature=self.requires_signature,
            duplicate_threshold=self.duplicate_threshold,
            hotline=HotlineSchedule.from_dict(self.hotline) if self.hotline else None,
            time_zone=time_zone,
            order_pattern=order_pattern,
            brand_handles=brand_handles,
        )

    def signs(self, *, public: bool) -> bool:
        if self.signature_mode is SignatureMode.ALWAYS:
            return True
        return self.signature_mode is SignatureMode.PUBLIC_ONLY and public

    def to_dict(self) -> dict[str, Any]:
        return {
            "requires_signature": self.requires_signature,
            "signature_mode": self.signature_mode.value,
            "signature_format": self.signature_format,
            "duplicate_threshold": self.duplicate_threshold,
            "hotline": dict(self.hotline) if self.hotline else None,
            "max_attempts": self.max_attempts,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ReplyPolicy:
        """Parse stored or submitted settings; malformed values raise ``InvalidInput``."""
        data = data or {}
        base = cls()
        try:
            policy = cls(
                requires_signature=bool(data.get("requires_signature", base.requires_signature)),
                signature_mode=SignatureMode(data.get("signature_mode", base.signature_mode)),
                signature_format=str(data.get("signature_format", base.signature_format)),
                duplicate_threshold=float(
                    data.get("duplicate_threshold", base.duplicate_threshold)
                ),
                hotline=data.get("hotline") or None,
                max_attempts=int(data.get("max_attempts", base.max_attempts)),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidInput("replies", f"malformed reply policy: {exc}") from exc
        if "{signature}" not in policy.signature_format:
            raise InvalidInput("signature_format", "must contain {signature}")
        if not 0.5 <= policy.duplicate_threshold <= 1.0:
            raise InvalidInput("duplicate_threshold", "must be between 0.5 and 1")
        if not 1 <= policy.max_attempts <= 20:
            raise InvalidInput("max_attempts", "must be between 1 and 20")
        if policy.hotline is not None:
            try:
                HotlineSchedule.from_dict(policy.hotline)
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                raise InvalidInput("hotline", f"malformed schedule: {exc}") from exc
        return policy


def sign(text: str, signature: str, policy: ReplyPolicy, *, public: bool) -> str:
    """``text`` with the agent's signature appended when the policy asks for it, never twice."""
    body = text.rstrip()
    if not signature.strip() or not policy.signs(public=public):
        return body
    mark = policy.signature_format.format(signature=signature.strip())
    if body.casefold().endswith(mark.casefold()):
        return body
    return f"{body} {mark}" if body else mark
