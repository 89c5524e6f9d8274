"""Ways to reach people and systems outside the platforms: e-mail over SMTP and a signed
outgoing webhook, each a ``domain.alerts.Notifier``, plus a recording fake that ships.

The outbox calls ``send`` with the row's idempotency key; a refusal worth retrying (a
temporary SMTP error, a 5xx or 429, a timeout) raises ``DeliveryFailed(transient=True)``.
The webhook signature is the inbound scheme's (``web/security.py``): ``X-Mentiondesk-Timestamp``
in Unix seconds and ``X-Mentiondesk-Signature: sha256=<HMAC-SHA256 of "{ts}." + body>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

import httpx

from mentiondesk.connectors.base import DeliveryFailed
from mentiondesk.domain.alerts import Notification

__all__ = ["RecordingNotifier", "SmtpMailer", "WebhookSender", "webhook_signature"]


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    host: str
    port: int = 25
    sender: str = "mentiondesk@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    def send(self, message: Notification, idempotency_key: str) -> str | None:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Message-ID"] = f"<{idempotency_key.replace(':', '.')}@mentiondesk>"
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password or "")
                refused = smtp.send_message(mail)
        except smtplib.SMTPResponseException as exc:
            said = exc.smtp_error
            text = said.decode(errors="replace") if isinstance(said, bytes) else str(said)
            reason = f"SMTP {exc.smtp_code}: {text}"
            raise DeliveryFailed(reason, transient=400 <= exc.smtp_code < 500) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            temporary = bool(codes) and all(400 <= code < 500 for code in codes)
            reasons = "; ".join(
                f"{to}: {code} {said.decode(errors='replace')}"
                for to, (code, said) in exc.recipients.items()
            )
            raise DeliveryFailed(f"SMTP refused {reasons}", transient=temporary) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"SMTP server unreachable: {exc}", transient=True) from exc
        if refused:
            raise DeliveryFailed(f"SMTP refused {sorted(refused)}")
        return str(mail["Message-ID"])


def webhook_signature(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode(), hashlib.sha256)
    mac.update(body)
    return f"sha256={mac.hexdigest()}"


@dataclass(slots=True)
class WebhookSender:
    """POSTs ``message.body`` as JSON to ``message.to``, signed with the message's own secret
    (an event subscription's) or else ``secret`` (alerts)."""

    secret: str | None
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10.0))
    now: Callable[[], float] = time.time

    def send(self, message: Notification, idempotency_key: str) -> str | None:
        secret = message.secret or self.secret
        if not secret:
            raise DeliveryFailed(
                "no secret signs alert webhooks (set MENTIONDESK_ALERT_WEBHOOK_SECRET)"
            )
        body = json.dumps(message.body, separators=(",", ":"), sort_keys=True).encode()
        ts = int(self.now())
        headers = {
            "content-type": "application/json",
            "x-mentiondesk-timestamp": str(ts),
            "x-mentiondesk-signature": webhook_signature(secret, body, ts),
            "idempotency-key": idempotency_key,
        }
        try:
            response = self.client.post(message.to, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"webhook unreachable: {exc}", transient=True) from exc
        if response.status_code == 429 or response.status_code >= 500:
            retry = response.headers.get("retry-after")
            raise DeliveryFailed(
                f"webhook answered {response.status_code}",
                retry_after=float(retry) if retry and retry.isdigit() else None,
                transient=True,
            )
        if response.status_code >= 400:
            raise DeliveryFailed(f"webhook refused the call: {response.status_code}")
        return str(response.status_code)


@dataclass(slots=True)
class RecordingNotifier:
    """Keeps what it was asked to send; for tests and the demo (it delivers nowhere)."""

    sent: list[tuple[Notification, str]] = field(default_factory=list)
    simulated: bool = True

    def send(self, message: Notification, idempotency_key: str) -> str | None:
        self.sent.append((message, idempotency_key))
        return None
