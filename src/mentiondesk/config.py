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
