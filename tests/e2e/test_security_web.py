"""Security over HTTP and the command line: headers on every response, the login lockout
notice, account and member pages, safe post links, docs without a CDN, file modes, the key
setting and its rotation."""

from __future__ import annotations

import re
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.cli.main import app as cli
from mentiondesk.config import Settings
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import Role
from mentiondesk.storage import tables as t
from mentiondesk.storage.secret_box import SecretKeyError
from mentiondesk.web.app import create_app
from mentiondesk.web.security import signed_headers
from tests.e2e.conftest import NOW, PASSWORD, Seed, login, raw_post

runner = CliRunner()


def _login_form(client: TestClient) -> str:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token
    return token.group(1)


def _try(client: TestClient, email: str, password: str) -> object:
    token = _login_form(client)
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"}
    )


def test_every_response_carries_the_security_headers(client: TestClient, seed: Seed) -> None:
    login(client, "ania@skylot.example")
    responses = [
        client.get("/login"),
        client.get("/w/skylot/inbox"),
        client.get("/api/v1/workspaces"),
        client.get("/static/app.css"),
        client.get("/no/such/page"),
        client.get("/api/openapi.json"),
    ]
    for response in responses:
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, response.url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert "camera=()" in response.headers["permissions-policy"]
        assert "strict-transport-security" not in response.headers


def test_hsts_is_sent_when_secure_cookies_are_on(tmp_path: Path) -> None:
    services = bootstrap(Settings(data_dir=tmp_path, secure_cookies=True), clock=FixedClock(NOW))
    with TestClient(create_app(services), base_url="https://testserver") as client:
        assert "max-age=" in client.get("/login").headers["strict-transport-security"]
    services.close()


def test_no_page_has_an_inline_script_style_or_handler(client: TestClient, seed: Seed) -> None:
    """The CSP forbids them, so none may remain in what the pages render. A JSON data block
    (``<script type="application/json">``) is data the browser never runs, so it may stay."""
    templates = Path(__file__).parents[2] / "src/mentiondesk/web/templates"
    inline = re.compile(
        r'<script(?![^>]*\b(?:src=|type="application/json"))|<style|\sstyle=|\son[a-z]+=|javascript:',
        re.I,
    )
    offenders = [
        p.name for p in templates.glob("*.html") if inline.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_login_page_says_how_long_to_wait_then_until_when_it_is_locked(
    client: TestClient, seed: Seed, services: Services
) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    for _ in range(4):
        assert _try(client, "ania@skylot.example", "wrong-password-1").status_code == 401
    fifth = _try(client, "ania@skylot.example", "wrong-password-1")
    assert fifth.status_code == 401 and "wait 1 seconds" in fifth.text
    refused = _try(client, "ania@skylot.example", PASSWORD)  # right password, too early
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert "Wrong e-mail or password" not in refused.text
    for _ in range(5):
        clock.set(clock.now() + timedelta(seconds=60))
        last = _try(client, "ania@skylot.example", "wrong-password-1")
    until = clock.now() + timedelta(minutes=15)
    assert f"locked until {until:%H:%M} UTC" in last.text  # type: ignore[attr-defined]
    clock.set(clock.now() + timedelta(minutes=5))
    still = _try(client, "ania@skylot.example", PASSWORD)
    assert still.status_code == 429 and "locked until" in still.text
    clock.set(until)
    assert _try(client, "ania@skylot.example", PASSWORD).status_code == 303


def test_a_javascript_post_url_is_shown_as_text_not_a_link(
    client: TestClient, seed: Seed, services: Services
) -> None:
    services.pipeline.ingest(
        seed.skylot,
        raw_post("js-1", "@skylot bag lost", author_handle="mallory", url="javascript:alert(1)"),
        source="t",
    )
    services.pipeline.ingest(
        seed.skylot,
        raw_post("ok-1", "@skylot lost too", author_handle="olek", url="https://x.com/olek/1"),
        source="t",
    )
    login(client, "ania@skylot.example")
    inbox = client.get("/w/skylot/inbox").text
    pages = [client.get(h).text for h in set(re.findall(r'href="(/w/skylot/cases/\d+)"', inbox))]
    mallory = next(p for p in pages if "mallory" in p)
    olek = next(p for p in pages if "olek" in p)
    assert 'href="javascript:' not in mallory and "javascript:alert(1)</span>" in mallory
    assert 'href="https://x.com/olek/1"' in olek


def test_the_api_docs_load_nothing_from_another_host(client: TestClient) -> None:
    for path in ("/api/docs",):
        page = client.get(path)
        assert page.status_code == 200
        references = re.findall(r'(?:src|href|spec-url|data-openapi)="([^"]+)"', page.text)
        assert references and all(r.startswith("/") and not r.startswith("//") for r in references)
        for ref in references:
            assert client.get(ref).status_code == 200, ref
        assert "cdn" not in page.text.lower()
    init = client.get("/static/swagger-init.js").text
    assert "validatorUrl: null" in init


def test_a_user_changes_their_password_on_the_account_page(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    page = client.get("/account")
    assert "this session" in page.text and "testclient" in page.text
    weak = client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": PASSWORD,
            "password": "skylot-skylot-1",
            "password_again": "skylot-skylot-1",
        },
    )
    assert weak.status_code == 422 and "workspace" in weak.text
    done = client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": PASSWORD,
            "password": "tulip-harbour-lantern",
            "password_again": "tulip-harbour-lantern",
        },
        follow_redirects=True,
    )
    assert "Password changed" in done.text
    client.cookies.clear()
    assert _try(client, "ania@skylot.example", PASSWORD).status_code == 401
    assert _try(client, "ania@skylot.example", "tulip-harbour-lantern").status_code == 303


def add_lead(services: Services, seed: Seed, role: Role) -> None:
    """lead@agency.example, with ``role`` in Skylot: the member who manages the others."""
    with services.uow() as uow:
        lead = do_create_user(uow, "lead@agency.example", "Lead", PASSWORD, now=NOW)
        uow.users.set_role(lead.id, seed.skylot.id, role)
        uow.commit()


def test_an_admin_resets_deactivates_and_takes_out_members_through_pages_and_api(
    client: TestClient, seed: Seed, services: Services
) -> None:
    add_lead(services, seed, Role.OWNER)
    with services.uow() as uow:
        ania = uow.users.get_by_email("ania@skylot.example")
        vera = uow.users.get_by_email("vera@client.example")
    assert ania is not None and vera is not None
    csrf = login(client, "lead@agency.example")
    members = client.get("/w/skylot/members")
    assert "ania@skylot.example" in members.text
    reset = client.post(f"/w/skylot/members/{ania.id}/reset-password", data={"csrf_token": csrf})
    temporary = re.search(r'id="temporary-password">([^<]+)<', reset.text)
    assert temporary, reset.text
    headers = {"X-CSRF-Token": csrf}
    api = "/api/v1/workspaces/skylot/members"
    assert {m["email"] for m in client.get(api).json()} >= {"ania@skylot.example"}
    off = client.post(f"{api}/{vera.id}/deactivate", headers=headers)
    assert off.status_code == 204
    gone = client.post(f"{api}/{ania.id}/offboard", headers=headers)
    assert gone.status_code == 200 and gone.json() == {"cases_unassigned": 0}
    actions = [e["action"] for e in client.get("/api/v1/workspaces/skylot/audit").json()["items"]]
    assert actions[:3] == ["member.remove", "account.deactivate", "account.password_reset"]
    client.cookies.clear()
    assert _try(client, "vera@client.example", PASSWORD).status_code == 401


def test_my_sessions_are_listed_and_revoked_through_the_api(
    client: TestClient, seed: Seed, services: Services
) -> None:
    other = TestClient(
        create_app(services),
        base_url="http://testserver",
        follow_redirects=False,
        headers={"user-agent": "PhoneBrowser/1.0"},
    )
    login(other, "ania@skylot.example")
    csrf = login(client, "ania@skylot.example")
    sessions = client.get("/api/v1/account/sessions").json()
    assert len(sessions) == 2 and [s["current"] for s in sessions].count(True) == 1
    phone = next(s for s in sessions if s["user_agent"] == "PhoneBrowser/1.0")
    assert other.get("/api/v1/account/sessions").status_code == 200
    revoked = client.post(
        f"/api/v1/account/sessions/{phone['key']}/revoke", headers={"X-CSRF-Token": csrf}
    )
    assert revoked.status_code == 204
    assert other.get("/api/v1/account/sessions").status_code == 401


def test_the_erasure_page_previews_and_asks_the_sole_admin_to_type_the_handle(
    client: TestClient, seed: Seed, services: Services
) -> None:
    add_lead(services, seed, Role.ADMIN)
    csrf = login(client, "lead@agency.example")
    form = {
        "csrf_token": csrf,
        "platform": "x",
        "handle": "tomek_k",
        "requested_by": "tomek@example.com",
        "legal_reason": "GDPR art. 17",
    }
    preview = client.post("/w/skylot/erasure/preview", data=form)
    assert preview.status_code == 200
    assert (
        re.search(r"<strong>1</strong> posts", preview.text) and "Type the author" in preview.text
    )
    wrong = client.post("/w/skylot/erasure", data=form | {"confirmation": "tomek"})
    assert wrong.status_code == 422 and "type the author" in wrong.text.lower()
    assert 'value="tomek@example.com"' in wrong.text  # what was typed stays
    done = client.post(
        "/w/skylot/erasure", data=form | {"confirmation": "tomek_k"}, follow_redirects=True
    )
    assert "erased: 1 posts" in done.text


def test_the_database_file_and_data_folder_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    services = bootstrap(Settings(data_dir=data))
    services.close()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "mentiondesk.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "secret.key").stat().st_mode) == 0o600


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(SecretKeyError, match="MENTIONDESK_SECRET_KEY is required"):
        bootstrap(Settings(data_dir=tmp_path, env="production"))
    assert not (tmp_path / "secret.key").exists()
    services = bootstrap(
        Settings(data_dir=tmp_path, env="production", secret_key="a-real-production-key-01")
    )
    services.close()


def test_rotating_the_key_keeps_webhooks_verifiable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for args in (
        ["workspace", "create", "--slug", "acme", "--name", "Acme", "--brand-name", "Acme"],
        ["source", "create", "--workspace", "acme", "--name", "acme-hook"],
    ):
        result = runner.invoke(cli, [*args, "--data-dir", str(data)])
        assert result.exit_code == 0, result.output
    secret = result.output.strip()
    old_key = (data / "secret.key").read_text()
    rotated = runner.invoke(cli, ["secrets", "rotate-key", "--data-dir", str(data)])
    assert rotated.exit_code == 0 and "1 secret(s) sealed" in rotated.output
    assert (data / "secret.key").read_text() != old_key
    services = bootstrap(Settings(data_dir=data))
    with services.uow() as uow:
        stored = uow.connection.execute(select(t.inbound_sources.c.secret)).scalar_one()
    assert secret not in stored
    body = (
        b'{"platform":"x","platform_post_id":"1","text":"@acme hi",'
        b'"created_at":"2026-11-14T17:07:00+01:00","author_handle":"z"}'
    )
    with TestClient(create_app(services)) as client:
        answer = client.post(
            "/api/v1/inbound/acme-hook",
            content=body,
            headers=signed_headers(secret, body, int(services.clock.now().timestamp())),
        )
    services.close()
    assert answer.status_code == 202


def _user_create(email: str, name: str, password: str) -> list[str]:
    """``user create`` in the workspace acme, as the command line takes it."""
    return [
        "user",
        "create",
        *("--email", email, "--name", name, "--password", password, "--workspace", "acme"),
    ]


def _by_boss(email: str) -> list[str]:
    """The options of a command the owner boss@acme.example runs on ``email`` in acme."""
    return ["--email", email, "--workspace", "acme", "--as", "boss@acme.example"]


def test_user_commands_change_reset_deactivate_remove_and_list_sessions(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]

    def run(*args: str) -> str:
        result = runner.invoke(cli, [*args, *data])
        assert result.exit_code == 0, result.output
        return result.output

    run("workspace", "create", "--slug", "acme", "--name", "Acme", "--brand-name", "Acme")
    weak = runner.invoke(cli, [*_user_create("boss@acme.example", "Boss", "password1234"), *data])
    assert weak.exit_code == 2 and "common" in weak.output
    named = runner.invoke(
        cli, [*_user_create("boss@acme.example", "B", "acme-rules-forever"), *data]
    )
    assert named.exit_code == 2 and "workspace" in named.output
    run(*_user_create("boss@acme.example", "Boss", "granite-orchard-41"), "--role", "owner")
    run(*_user_create("ania@acme.example", "Ania", "violet-canyon-88"))
    out = run(
        "user",
        "passwd",
        "--email",
        "ania@acme.example",
        "--current-password",
        "violet-canyon-88",
        "--new-password",
        "silver-meadow-93",
    )
    assert "password changed" in out
    temporary = run("user", "reset", *_by_boss("ania@acme.example")).splitlines()[0]
    assert len(temporary) >= 20
    assert run("user", "sessions", "--email", "ania@acme.example").strip() == ""
    assert "deactivated" in run("user", "deactivate", *_by_boss("ania@acme.example"))
    assert "no longer in acme" in run("user", "remove", *_by_boss("ania@acme.example"))
    refused = runner.invoke(cli, ["user", "remove", *_by_boss("boss@acme.example"), *data])
    assert refused.exit_code == 2 and "last owner" in refused.output
