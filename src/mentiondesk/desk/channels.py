"""Channel accounts: connect a Facebook Page or an Instagram professional account, pause,
resume, remove it, and keep its state honest (disconnected with Meta's reason when a token
stops working).

Connecting checks the token against Graph and subscribes the app to the account's webhook
fields, so "connected" on the Channels page means Meta accepted both. Tokens are sealed at rest
by the unit of work's ``SecretBox``. Meta's login flow (dialog → ``code`` → long-lived user
token → the Pages the person manages → pick one) ends in the same ``do_connect_channel``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from mentiondesk.connectors.meta.errors import GraphError
from mentiondesk.connectors.meta.graph import GraphClient, ManagedPage
from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.channels import ChannelAccount, ChannelState, Subscription
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.posts import Platform
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "INSTAGRAM_FIELDS",
    "META_PLATFORMS",
    "OAUTH_SCOPES",
    "PAGE_FIELDS",
    "MetaApp",
    "do_add_development_channel",
    "do_connect_channel",
    "do_mark_disconnected",
    "do_pause_channel",
    "do_remove_channel",
    "do_resume_channel",
    "list_channels",
    "managed_pages",
    "oauth_dialog_url",
]

META_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM)
PAGE_FIELDS = ("feed", "mention", "messages", "message_echoes", "message_edits")
INSTAGRAM_FIELDS = ("comments", "mentions", "messages")
OAUTH_SCOPES = (
    "pages_show_list",
    "pages_manage_metadata",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_engagement",
    "pages_manage_posts",
    "pages_messaging",
    "instagram_basic",
    "instagram_manage_comments",
    "instagram_manage_messages",
)


@dataclass(frozen=True, slots=True)
class MetaApp:
    """The installation's one Meta app, and how to reach Graph (the fake in tests)."""

    app_id: str
    app_secret: str
    verify_token: str
    graph_url: str
    dialog_url: str = "https://www.facebook.com/v25.0/dialog/oauth"
    human_agent: bool = False

    def graph(self) -> GraphClient:
        return GraphClient(self.graph_url, app_secret=self.app_secret or None)


def list_channels(uow: UnitOfWork, actor: Actor) -> list[ChannelAccount]:
    """Every member may see the workspace's channels; only owners and admins change them."""
    return uow.channels.for_workspace(actor.workspace.id)


def do_connect_channel(
    uow: UnitOfWork,
    actor: Actor,
    platform: Platform,
    external_id: str,
    token: str,
    *,
    app: MetaApp,
    now: datetime,
    messaging_id: str | None = None,
    expires_in: int | None = None,
    graph: GraphClient | None = None,
) -> ChannelAccount:
    """Connect (or reconnect) a Page / Instagram account with ``token``: Graph must know the
    account under that token, then the app is subscribed to its webhook fields."""
    actor.require_settings()
    if platform not in META_PLATFORMS:
        raise InvalidInput("platform", "must be facebook or instagram")
    external_id, token = external_id.strip(), token.strip()
    if not external_id.isdigit():
        raise InvalidInput("external_id", "a Page or Instagram account id is a number")
    if not token:
        raise InvalidInput("token", "is empty")
    other = uow.channels.by_external(platform, external_id)
    if other is not None and other.workspace_id != actor.workspace.id:
        raise InvalidInput("external_id", "this account is connected to another workspace")
    client = graph or app.graph()
    try:
        name = _account_name(client, platform, external_id, token)
        subscription, reason = _subscribe(client, platform, external_id, messaging_id, token)
    finally:
        if graph is None:
            client.close()
    expires = now + timedelta(seconds=expires_in) if expires_in else None
    state = ChannelState.CONNECTED
    if other is None:
        account = ChannelAccount(
            0,
            actor.workspace.id,
            platform,
            external_id,
            name,
            state,
            subscription,
            token=token,
            messaging_id=messaging_id,
            state_reason=reason,
            token_expires_at=expires,
        )
        account.id = uow.channels.add(account, now=now)
        action = "channel.connect"
    else:
        uow.channels.update(
            other.id,
            now=now,
            name=name,
            token=token,
            messaging_id=messaging_id or other.messaging_id,
            state=state,
            state_reason=reason,
            subscription=subscription,
            token_expires_at=expires,
        )
        action = "channel.reconnect"
        account = other
    _audit(uow, actor, action, account, now, reason)
    uow.commit()
    stored = uow.channels.get(actor.workspace.id, account.id)
    assert stored is not None
    return stored


def do_add_development_channel(
    uow: UnitOfWork, workspace_id: int, platform: Platform, name: str, *, now: datetime
) -> int:
    """A demo channel: listed on the Channels page as a development channel, its actions go
    to the development connector and end "simulated"; nothing reaches the platform."""
    external_id = f"demo-{workspace_id}-{platform.value}"
    existing = uow.channels.by_external(platform, external_id)
    if existing is not None:
        return existing.id
    account = ChannelAccount(
        0,
        workspace_id,
        platform,
        external_id,
        name,
        ChannelState.CONNECTED,
        Subscription.DEVELOPMENT,
        state_reason="demo: replies are recorded, not sent",
    )
    account_id = uow.channels.add(account, now=now)
    uow.commit()
    return account_id


def do_pause_channel(uow: UnitOfWork, actor: Actor, account_id: int, *, now: datetime) -> None:
    """Stop delivering on the account (queued actions wait) until resumed."""
    account = _own(uow, actor, account_id)
    uow.channels.update(account.id, now=now, state=ChannelState.PAUSED, state_reason="")
    _audit(uow, actor, "channel.pause", account, now)
    uow.commit()


def do_resume_channel(uow: UnitOfWork, actor: Actor, account_id: int, *, now: datetime) -> None:
    account = _own(uow, actor, account_id)
    if account.state is ChannelState.DISCONNECTED:
        raise InvalidInput("state", "a disconnected channel needs a new token; connect it again")
    uow.channels.update(account.id, now=now, state=ChannelState.CONNECTED, state_reason="")
    _audit(uow, actor, "channel.resume", account, now)
    uow.commit()


def do_remove_channel(uow: UnitOfWork, actor: Actor, account_id: int, *, now: datetime) -> None:
    """Forget the account and its token; its posts and cases stay."""
    account = _own(uow, actor, account_id)
    uow.channels.remove(account.id)
    _audit(uow, actor, "channel.remove", account, now)
    uow.commit()


def do_mark_disconnected(
    uow: UnitOfWork, account_id: int, reason: str, *, now: datetime
) -> ChannelAccount | None:
    """Meta refused the account's token (code 190): show it disconnected with Meta's words,
    recorded once in the audit log."""
    account = next((a for a in uow.channels.all() if a.id == account_id), None)
    if account is None:
        return None
    if account.state is not ChannelState.DISCONNECTED or account.state_reason != reason:
        uow.channels.update(
            account.id, now=now, state=ChannelState.DISCONNECTED, state_reason=reason
        )
        uow.audit.append(
            AuditEntry.by_system(
                account.workspace_id,
                "channel.disconnected",
                f"channel:{account.id}",
                at=now,
                reason=reason,
                data={"platform": account.platform.value, "external_id": account.external_id},
            )
        )
        uow.commit()
    return account


# -- Meta's login flow -------------------------------------------------------------------


def oauth_dialog_url(app: MetaApp, redirect_uri: str, state: str) -> str:
    """Where the admin's browser goes to let the app manage their Pages."""
    if not app.app_id:
        raise InvalidInput("meta_app_id", "set MENTIONDESK_META_APP_ID to connect with Meta")
    query = {
        "client_id": app.app_id,
        "redirect_uri": redirect_uri,
        "state": state,
        "response_type": "code",
        "scope": ",".join(OAUTH_SCOPES),
    }
    return f"{app.dialog_url}?{urlencode(query)}"


def managed_pages(
    app: MetaApp, code: str, redirect_uri: str, *, graph: GraphClient | None = None
) -> tuple[str, list[ManagedPage]]:
    """After the dialog: the long-lived user token for ``code`` and the Pages (with their
    tokens and linked Instagram accounts) its person manages."""
    client = graph or app.graph()
    try:
        short = client.exchange_code(app.app_id, app.app_secret, redirect_uri, code)
        long_lived = client.exchange_token(app.app_id, app.app_secret, short.access_token)
        return long_lived.access_token, client.managed_pages(long_lived.access_token)
    except GraphError as exc:
        raise InvalidInput("code", exc.failure.reason) from exc
    finally:
        if graph is None:
            client.close()


# -- helpers -----------------------------------------------------------------------------


def _own(uow: UnitOfWork, actor: Actor, account_id: int) -> ChannelAccount:
    actor.require_settings()
    account = uow.channels.get(actor.workspace.id, account_id)
    if account is None:
        raise NotFound(f"no channel {account_id}")
    return account


def _account_name(client: GraphClient, platform: Platform, external_id: str, token: str) -> str:
    fields = "id,username,name" if platform is Platform.INSTAGRAM else "id,name"
    try:
        node = client.get_object(token, external_id, fields)
    except GraphError as exc:
        raise InvalidInput("token", exc.failure.reason) from exc
    name = node.get("name") or node.get("username") or external_id
    return str(name)[:200]


def _subscribe(
    client: GraphClient,
    platform: Platform,
    external_id: str,
    messaging_id: str | None,
    token: str,
) -> tuple[Subscription, str]:
    """Subscribe the app to the Page (Instagram: its linked Page) and say how that went."""
    page = external_id if platform is Platform.FACEBOOK else messaging_id
    if page is None:
        return Subscription.NOT_SUBSCRIBED, (
            "no linked Facebook Page given: subscribe the app to the instagram object's "
            f"{', '.join(INSTAGRAM_FIELDS)} fields in the Meta app dashboard"
        )
    try:
        client.subscribe_app(token, page, PAGE_FIELDS)
    except GraphError as exc:
        return Subscription.FAILED, exc.failure.reason
    return Subscription.SUBSCRIBED, ""


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    account: ChannelAccount,
    now: datetime,
    reason: str = "",
) -> None:
    uow.audit.append(
        AuditEntry.by(
            actor,
            action,
            f"channel:{account.id}",
            at=now,
            reason=reason,
            data={"platform": account.platform.value, "external_id": account.external_id},
        )
    )
