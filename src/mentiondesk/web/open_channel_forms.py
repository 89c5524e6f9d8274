"""The Channels page's forms for the open networks: which fields each platform asks for, and
turning what was posted into the ``OpenChannel`` that ``mentiondesk channel add`` builds, so
the page and the command connect through the same service and refuse the same way."""

from __future__ import annotations

from dataclasses import dataclass

from mentiondesk.desk.open_channels import OpenChannel
from mentiondesk.domain.posts import Platform

__all__ = ["OPEN_FORMS", "OpenField", "OpenForm", "open_channel_spec", "refused_field"]


@dataclass(frozen=True, slots=True)
class OpenField:
    name: str
    label: str
    secret: bool = False  # never rendered back into the page
    optional: bool = False
    placeholder: str = ""
    kind: str = "text"  # the input's type when not a secret


@dataclass(frozen=True, slots=True)
class OpenForm:
    platform: Platform
    title: str
    hint: str
    fields: tuple[OpenField, ...]
    refusal_field: str  # where the platform's refusal of the credentials is shown


OPEN_FORMS: dict[str, OpenForm] = {
    "mastodon": OpenForm(
        Platform.MASTODON,
        "Mastodon",
        "An access token with read and write scopes, from the instance's Development settings.",
        (
            OpenField(
                "instance", "Instance URL", placeholder="https://mastodon.social", kind="url"
            ),
            OpenField("token", "Access token", secret=True),
        ),
        "token",
    ),
    "bluesky": OpenForm(
        Platform.BLUESKY,
        "Bluesky",
        "An app password from Settings → Privacy and security → App passwords.",
        (
            OpenField("handle", "Handle", placeholder="brand.bsky.social"),
            OpenField("app_password", "App password", secret=True),
            OpenField("service", "PDS URL", optional=True, placeholder="https://bsky.social"),
            OpenField(
                "jetstream",
                "Jetstream URL",
                optional=True,
                placeholder="wss://jetstream2.us-east.bsky.network",
            ),
        ),
        "app_password",
    ),
    "reddit": OpenForm(
        Platform.REDDIT,
        "Reddit",
        "A script app from reddit.com/prefs/apps, and the brand's Reddit user.",
        (
            OpenField("client_id", "Client id"),
            OpenField("client_secret", "Client secret", secret=True),
            OpenField("username", "Username"),
            OpenField("password", "Password", secret=True),
            OpenField("oauth_url", "OAuth API URL", optional=True, kind="url"),
            OpenField("www_url", "Token URL host", optional=True, kind="url"),
        ),
        "client_secret",
    ),
    "rss": OpenForm(
        Platform.BLOG,
        "RSS/Atom feed",
        "A blog's, forum's or review site's feed; listen-only: answers are written on the site.",
        (OpenField("url", "Feed URL", placeholder="https://example.com/feed.xml", kind="url"),),
        "url",
    ),
    "x": OpenForm(
        Platform.X,
        "X",
        "The app's bearer token reads; the OAuth 2.0 user token posts. Every call is counted "
        "against the monthly budget.",
        (
            OpenField("bearer_token", "Bearer token", secret=True),
            OpenField("user_token", "User token", secret=True),
            OpenField("api_url", "API URL", optional=True, kind="url"),
            OpenField("monthly_budget", "Monthly budget (USD)", optional=True, placeholder="50"),
            OpenField("refresh_token", "Refresh token", secret=True, optional=True),
            OpenField("client_id", "OAuth 2.0 client id", optional=True),
            OpenField("client_secret", "Client secret", secret=True, optional=True),
        ),
        "user_token",
    ),
}


def refused_field(platform: str, field: str) -> str:
    """The form field beside which a refusal of ``field`` is shown."""
    form = OPEN_FORMS.get(platform)
    if form is None:
        return ""
    name = field.replace("-", "_")  # the service names fields as the command's options
    if name in {f.name for f in form.fields}:
        return name
    return form.refusal_field


def open_channel_spec(platform: str, values: dict[str, str]) -> OpenChannel:
    """What ``mentiondesk channel add <platform>`` would build from the same values."""
    v = {k: value.strip() for k, value in values.items()}
    match platform:
        case "mastodon":
            return OpenChannel(
                Platform.MASTODON, {"instance_url": v["instance"]}, {"token": v["token"]}
            )
        case "bluesky":
            config = {
                "handle": v["handle"],
                "service_url": v["service"] or None,
                "jetstream_url": v["jetstream"] or None,
            }
            return OpenChannel(Platform.BLUESKY, config, {"app_password": v["app_password"]})
        case "reddit":
            reddit: dict[str, object] = {"username": v["username"]}
            reddit |= {k: v[k] for k in ("oauth_url", "www_url") if v[k]}
            secrets = {k: v[k] for k in ("client_id", "client_secret", "password")}
            return OpenChannel(Platform.REDDIT, reddit, secrets)
        case "rss":
            return OpenChannel(Platform.BLOG, {"url": v["url"]})
        case _:
            x: dict[str, object] = {"monthly_budget": v["monthly_budget"] or "50"}
            if v["api_url"]:
                x["api_url"] = v["api_url"]
            keys = ("bearer_token", "user_token", "refresh_token", "client_id", "client_secret")
            tokens = {k: v[k] for k in keys}
            return OpenChannel(Platform.X, x, tokens)
