"""Settings, read from the environment (``MENTIONDESK_*``) or given explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MENTIONDESK_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the embedded database lives.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; defaults to SQLite in data_dir."
    )
    env: Literal["development", "embedded", "production"] = Field(
        default="development",
        description="MENTIONDESK_ENV; production refuses to start without a secret key.",
    )
    secret_key: str | None = Field(
        default=None,
        description=(
            "Key that seals stored secrets (webhook secrets, platform tokens); several keys "
            "comma-separated, newest first, while rotating. Outside production it is "
            "generated once into data_dir/secret.key when not given."
        ),
    )
    secure_cookies: bool = Field(default=False, description="Set on HTTPS deployments.")
    host: str = "127.0.0.1"
    port: int = 8000
    outbox_rate_limits: dict[str, float] = Field(
        default_factory=dict,
        description='Platform actions per minute per channel, e.g. {"x": 300}; unlisted '
        "channels are not limited by the desk.",
    )
    smtp_host: str | None = Field(
        default=None, description="SMTP server for alert e-mail; unset: e-mail is not sent."
    )
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "mentiondesk@localhost"
    smtp_starttls: bool = False
    alert_webhook_secret: str | None = Field(
        default=None,
        description="Signs outgoing alert webhooks (HMAC-SHA256); unset: the secret key signs.",
    )

    webhook_journal: bool = Field(
        default=False,
        description="Answer webhooks 202 once the body is stored in the inbound journal and "
        "process it in batches behind (web background loop, `mentiondesk worker`); off: "
        "process before answering, with the post and case ids in the answer.",
    )

    nats_url: str | None = Field(
        default=None,
        description="NATS JetStream server, e.g. nats://127.0.0.1:4222: imports and webhooks "
        "publish raw posts to it and `mentiondesk worker` processes; unset: in-process.",
    )

    nats_prefix: str = Field(
        default="mentiondesk",
        description="Names the JetStream stream, subjects and consumer, so that two desks "
        "can share one NATS server.",
    )

    nats_ack_wait: float = Field(
        default=60.0,
        description="Seconds a worker may hold a batch unacknowledged before JetStream "
        "redelivers it to another worker.",
    )

    meta_app_id: str = Field(default="", description="MENTIONDESK_META_APP_ID: the Meta app.")
    meta_app_secret: str = Field(
        default="",
        description="MENTIONDESK_META_APP_SECRET: signs webhooks (X-Hub-Signature-256) and "
        "proves tokens (appsecret_proof); webhooks are refused while it is empty.",
    )
    meta_verify_token: str = Field(
        default="",
        description="MENTIONDESK_META_VERIFY_TOKEN: what Meta's subscription handshake sends.",
    )
    meta_graph_url: str = Field(
        default="https://graph.facebook.com/v25.0",
        description="MENTIONDESK_META_GRAPH_URL: the Graph API base URL, version included.",
    )
    meta_dialog_url: str = Field(
        default="https://www.facebook.com/v25.0/dialog/oauth",
        description="MENTIONDESK_META_DIALOG_URL: Meta's login dialog for connecting Pages.",
    )
    meta_human_agent: bool = Field(
        default=False,
        description="The Meta app holds the Human Agent feature (7-day messaging window).",
    )

    @field_validator("secret_key")
    @classmethod
    def _refuse_placeholder(cls, value: str | None) -> str | None:
        if value is None:
            return None
        keys = [k.strip() for k in value.split(",")]
        if any(k.lower() in PLACEHOLDER_SECRETS or len(k) < 16 for k in keys):
            raise ValueError("MENTIONDESK_SECRET_KEY must be a real secret of 16+ characters")
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'mentiondesk.db').resolve()}"
