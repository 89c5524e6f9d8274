"""The state and rules of a fake Graph API: Pages, Instagram accounts, their posts, comments
and conversations, and the failures a test asks for.

``FakeGraph`` answers ``handle(method, path, params, body, token)`` with ``(status, headers,
json)`` exactly as Graph would: the documented success bodies, and the documented error
envelope for every refusal. It enforces what Meta enforces and a connector must cope with:
one private reply per comment within 7 days, the 24-hour / 7-day (``HUMAN_AGENT``) messaging
window, no replies to hidden Instagram comments, no likes on Instagram, tokens that stop
working when revoked, and an object that no longer exists. ``fake_server`` puts it on HTTP.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from mentiondesk.connectors.meta.fake_wire import (
    WINDOW,
    Answer,
    FakeObject,
    Injected,
    RecordedRequest,
    as_dict,
    error,
    maybe_json,
    paged,
    render,
    select_fields,
    unsupported,
)

__all__ = ["FakeGraph"]


@dataclass
class _Account:
    id: str
    name: str
    token: str
    instagram: bool
    instagram_id: str | None = None
    subscribed: list[str] = field(default_factory=list)


class FakeGraph:
    def __init__(self, *, app_id: str = "fake-app", app_secret: str = "fake-app-secret") -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.objects: dict[str, FakeObject] = {}
        self.requests: list[RecordedRequest] = []
        self.sent_messages: list[dict[str, Any]] = []
        self.conversations: dict[tuple[str, str], datetime] = {}  # (account, customer) → last
        self._accounts: dict[str, _Account] = {}
        self._tokens: dict[str, str] = {}  # token → account id, or "user:<token>"
        self._users: dict[str, list[str]] = {}  # user token → Page ids
        self._codes: dict[str, str] = {}  # login-dialog code → user token
        self._revoked: set[str] = set()
        self._failures: list[Injected] = []
        self._serial = 900_000_000_000_000
        self._lock = threading.RLock()

    # -- set-up -------------------------------------------------------------------------

    def add_page(self, page_id: str, token: str, name: str = "Acme") -> None:
        with self._lock:
            self._accounts[page_id] = _Account(page_id, name, token, instagram=False)
            self._tokens[token] = page_id

    def add_instagram(self, account_id: str, token: str, *, page_id: str | None = None) -> None:
        """An Instagram professional account; with ``page_id`` it is linked to that Page (and
        its Page token works for it, as with Facebook Login)."""
        with self._lock:
            self._accounts[account_id] = _Account(account_id, "", token, instagram=True)
            self._tokens.setdefault(token, account_id)
            if page_id in self._accounts:
                self._accounts[page_id].instagram_id = account_id

    def add_user(self, token: str, page_ids: list[str]) -> None:
        """A person's user token, who manages these Pages (for ``/me/accounts``)."""
        with self._lock:
            self._users[token] = list(page_ids)
            self._tokens[token] = f"user:{token}"

    def issue_code(self, user_token: str) -> str:
        """The ``code`` the login dialog would redirect with after ``user_token``'s person
        agreed (exchanged once at ``/oauth/access_token``)."""
        with self._lock:
            code = f"code-{self._next()}"
            self._codes[code] = user_token
            return code

    def add_post(
        self,
        account_id: str,
        message: str,
        *,
        author_id: str | None = None,
        author_name: str = "",
        at: datetime | None = None,
    ) -> FakeObject:
        """A post (or Instagram media) on the account; by the account unless ``author_id``."""
        with self._lock:
            account = self._accounts[account_id]
            serial = self._next()
            object_id = str(serial) if account.instagram else f"{account_id}_{serial}"
            post = FakeObject(
                object_id,
                "post",
                account_id,
                account.instagram,
                author_id or account_id,
                author_name or account.name,
                message,
                at or self.clock(),
            )
            self.objects[object_id] = post
            return post

    def add_comment(
        self,
        parent_id: str,
        message: str,
        *,
        author_id: str,
        author_name: str = "",
        at: datetime | None = None,
    ) -> FakeObject:
        with self._lock:
            parent = self.objects[parent_id]
            root = parent.root_id or parent.id
            serial = self._next()
            object_id = str(serial) if parent.instagram else f"{root.split('_')[-1]}_{serial}"
            made = FakeObject(
                object_id,
                "comment",
                parent.account_id,
                parent.instagram,
                author_id,
                author_name,
                message,
                at or self.clock(),
                parent_id=parent.id,
                root_id=root,
            )
            self.objects[object_id] = made
            return made

    def add_conversation(
        self, account_id: str, customer_id: str, last_message_at: datetime
    ) -> None:
        """The customer wrote to the account at ``last_message_at`` (opens the window)."""
        with self._lock:
            self.conversations[(account_id, customer_id)] = last_message_at

    def fail_next(self, kind: str, **options: Any) -> Injected:
        """Answer the next matching request(s) with a failure; see ``Injected``."""
        injected = Injected(kind, **options)
        with self._lock:
            self._failures.append(injected)
        return injected

    def revoke(self, token: str) -> None:
        """The admin changed their password: this token now fails with code 190."""
        with self._lock:
            self._revoked.add(token)

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    def page_subscriptions(self, page_id: str) -> list[str]:
        with self._lock:
            return list(self._accounts[page_id].subscribed)

    # -- answering ----------------------------------------------------------------------

    def record(self, request: RecordedRequest) -> Injected | None:
        """Record the request; the failure to inject into its answer, if one is pending."""
        with self._lock:
            self.requests.append(request)
            for injected in self._failures:
                if injected.path is None or injected.path in request.path:
                    injected.times -= 1
                    if injected.times <= 0:
                        self._failures.remove(injected)
                    return injected
            return None

    def handle(
        self, method: str, path: str, params: dict[str, str], body: Any, token: str | None
    ) -> Answer:
        parts = [p for p in path.split("/") if p]
        with self._lock:
            if parts == ["oauth", "access_token"]:
                return self._exchange(params)
            who = self._who(token)
            if isinstance(who, tuple):
                return who
            if parts == ["me", "accounts"] and method == "GET":
                return self._me_accounts(who, params)
            if len(parts) == 1:
                return self._node(method, parts[0], who, params)
            if len(parts) == 2:
                return self._edge(method, parts[0], parts[1], who, params, body)
            return unsupported(method, path)

    # -- endpoints ----------------------------------------------------------------------

    def _node(self, method: str, object_id: str, who: str, params: dict[str, str]) -> Answer:
        if object_id in self._accounts and method == "GET":
            account = self._accounts[object_id]
            return 200, {}, {"id": account.id, "name": account.name}
        found = self._object(object_id, who)
        if isinstance(found, tuple):
            return found
        if method == "GET":
            return 200, {}, select_fields(render(found), params.get("fields"))
        if method == "DELETE":
            found.deleted = True
            return 200, {}, {"success": True}
        if method == "POST":
            flag = params.get("hide" if found.instagram else "is_hidden")
            if flag not in ("true", "false") or found.kind != "comment":
                return 400, {}, error(100, "(#100) Invalid parameter")
            found.is_hidden = flag == "true"
            return 200, {}, {"success": True}
        return unsupported(method, object_id)

    def _edge(
        self, method: str, node: str, edge: str, who: str, params: dict[str, str], body: Any
    ) -> Answer:
        if edge == "messages" and method == "POST":
            return self._messages(node, who, params, body)
        if edge == "subscribed_apps":
            return self._subscribed_apps(method, node, who, params)
        if edge == "feed" and node in self._accounts:
            if node != who:
                return 403, {}, error(200, "(#200) Permissions error")
            if method == "POST":
                post = self.add_post(node, params.get("message", ""))
                return 200, {}, {"id": post.id}
            posts = [o for o in self.objects.values() if o.kind == "post" and o.account_id == node]
            posts.sort(key=lambda o: (o.created_at, o.id), reverse=True)
            since = params.get("since", "")
            if since.isdigit():
                posts = [p for p in posts if p.created_at.timestamp() >= int(since)]
            return paged(posts, params)
        found = self._object(node, who)
        if isinstance(found, tuple):
            return found
        if edge in ("comments", "replies") and method == "GET":
            return paged(self._children(found, flat=edge == "comments"), params)
        if edge in ("comments", "replies") and method == "POST":
            if found.instagram and found.is_hidden:
                return 400, {}, error(100, "(#100) Cannot reply to a hidden comment")
            if (edge == "replies") != found.instagram:
                return unsupported(method, f"{node}/{edge}")
            owner = self._accounts[found.account_id]
            made = self.add_comment(
                found.id, params.get("message", ""), author_id=owner.id, author_name=owner.name
            )
            return 200, {}, {"id": made.id}
        if edge == "likes" and not found.instagram and method in ("POST", "DELETE"):
            found.liked = method == "POST"
            return 200, {}, {"success": True}
        return unsupported(method, f"{node}/{edge}")

    def _messages(self, node: str, who: str, params: dict[str, str], body: Any) -> Answer:
        payload = body if isinstance(body, dict) else {k: maybe_json(v) for k, v in params.items()}
        recipient = as_dict(payload.get("recipient"))
        message = as_dict(payload.get("message"))
        text = message.get("text")
        if node != who or node not in self._accounts:
            return 403, {}, error(200, "(#200) Permissions error")
        if not isinstance(text, str) or not text:
            return 400, {}, error(100, "(#100) The parameter message is required")
        now = self.clock()
        object_id = recipient.get("comment_id") or recipient.get("post_id")
        if object_id is not None:
            found = self._object(str(object_id), who)
            if isinstance(found, tuple):
                return found
            if found.private_replied:
                return 400, {}, error(10900, "Activity already replied to")
            if now - found.created_at > timedelta(days=7):
                return 400, {}, error(10, WINDOW, 2018278)
            found.private_replied = True
            customer = found.author_id
        else:
            customer = str(recipient.get("id", ""))
            linked = self._accounts[node].instagram_id
            last = self.conversations.get((node, customer)) or self.conversations.get(
                (linked or node, customer)
            )
            if last is None:
                return 400, {}, error(100, "(#100) No matching user found", 2018001)
            tagged = payload.get("tag") == "HUMAN_AGENT"
            if now - last > (timedelta(days=7) if tagged else timedelta(hours=24)):
                return 400, {}, error(10, WINDOW, 2018278)
        mid = f"m_{self._next()}"
        self.sent_messages.append({"to": customer, "text": text, "mid": mid, **payload})
        return 200, {}, {"recipient_id": customer, "message_id": mid}

    def _subscribed_apps(self, method: str, node: str, who: str, params: dict[str, str]) -> Answer:
        if node != who or node not in self._accounts:
            return 403, {}, error(200, "(#200) Permissions error")
        account = self._accounts[node]
        if method == "POST":
            account.subscribed = [f for f in params.get("subscribed_fields", "").split(",") if f]
            return 200, {}, {"success": True}
        if not account.subscribed:
            return 200, {}, {"data": []}
        app = {"name": "mentiondesk", "id": self.app_id, "subscribed_fields": account.subscribed}
        return 200, {}, {"data": [app]}

    def _exchange(self, params: dict[str, str]) -> Answer:
        short = params.get("fb_exchange_token", "")
        if params.get("client_id") != self.app_id or params.get("client_secret") != self.app_secret:
            return 400, {}, error(101, "Error validating client secret.")
        if "code" in params:
            user = self._codes.pop(params["code"], None)
            if user is None or not params.get("redirect_uri"):
                return 400, {}, error(100, "Invalid verification code format.", 36009)
            return 200, {}, {"access_token": user, "token_type": "bearer", "expires_in": 3600}
        if short not in self._users:
            return 400, {}, error(190, "Invalid OAuth access token.", 467)
        long_lived = f"long-{short}"
        self.add_user(long_lived, self._users[short])
        return 200, {}, {"access_token": long_lived, "token_type": "bearer", "expires_in": 5183944}

    def _me_accounts(self, who: str, params: dict[str, str]) -> Answer:
        if not who.startswith("user:"):
            return 400, {}, error(100, "(#100) Tried accessing nonexisting field (accounts)")
        pages = []
        for page_id in self._users[who.removeprefix("user:")]:
            account = self._accounts[page_id]
            node: dict[str, Any] = {
                "id": account.id,
                "name": account.name,
                "access_token": account.token,
                "tasks": ["MODERATE", "MESSAGING", "CREATE_CONTENT", "MANAGE"],
            }
            if account.instagram_id:
                node["instagram_business_account"] = {"id": account.instagram_id}
            pages.append(node)
        return paged(pages, params)

    # -- helpers ------------------------------------------------------------------------

    def _who(self, token: str | None) -> str | Answer:
        if not token:
            return 400, {}, error(104, "An access token is required to request this resource.")
        if token in self._revoked:
            message = (
                "Error validating access token: The session has been invalidated because the"
                " user changed their password."
            )
            return 400, {}, error(190, message, 460)
        if token not in self._tokens:
            return 400, {}, error(190, "Invalid OAuth access token.", 467)
        return self._tokens[token]

    def _object(self, object_id: str, who: str) -> FakeObject | Answer:
        found = self.objects.get(object_id)
        if found is None or found.deleted:
            message = (
                f"Unsupported request - Object with ID '{object_id}' does not exist, cannot be"
                " loaded due to missing permissions, or does not support this operation."
            )
            return 400, {}, error(100, message, 33)
        if found.account_id != who and self._owner_of(found.id, who) != found.account_id:
            return 403, {}, error(200, "(#200) Permissions error")
        return found

    def _owner_of(self, object_id: str, who: str) -> str:
        """A Page token also acts for the Instagram account linked to that Page."""
        found = self.objects.get(object_id)
        account = self._accounts.get(who)
        if found and account and account.instagram_id == found.account_id:
            return found.account_id
        return who

    def _children(self, parent: FakeObject, *, flat: bool) -> list[FakeObject]:
        def under(o: FakeObject) -> bool:
            return o.parent_id == parent.id or (flat and o.root_id == parent.id)

        children = [o for o in self.objects.values() if o.kind == "comment" and under(o)]
        return sorted((o for o in children if not o.deleted), key=lambda o: (o.created_at, o.id))

    def _next(self) -> int:
        self._serial += 1
        return self._serial
