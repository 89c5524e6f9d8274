"""The split inbox over HTTP: the case pane as a partial with its address, resolve and open
the row below, bulk tag and bulk hide, saved views of one's own, the language warning."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from tests.e2e.conftest import Seed, login, raw_post

PANE = {"HX-Request": "true", "HX-Target": "case-pane"}


def _case_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-case-id="(\d+)"', html)]


def _version(html: str, form_id: str) -> str:
    found = re.search(rf'id="{form_id}".*?name="version" value="(\d+)"', html, flags=re.S)
    assert found, html[:500]
    return found.group(1)


def test_the_pane_is_the_case_without_the_page_and_carries_the_inbox_address(
    client: TestClient, seed: Seed
) -> None:
    login(client, "ania@skylot.example")
    first, _second = _case_ids(client.get("/w/skylot/inbox").text)
    here = "http://testserver/w/skylot/inbox?assignee=none"

    pane = client.get(f"/w/skylot/cases/{first}", headers={**PANE, "HX-Current-URL": here})

    assert pane.status_code == 200
    assert "<html" not in pane.text and f'data-pane-case="{first}"' in pane.text
    assert 'id="reply-text"' in pane.text
    assert pane.headers["HX-Push-Url"] == f"/w/skylot/inbox?assignee=none&case={first}"
    full = client.get(f"/w/skylot/cases/{first}")
    assert "<html" in full.text and "HX-Push-Url" not in full.headers


def test_a_shared_link_opens_the_inbox_with_the_case_in_the_pane(
    client: TestClient, seed: Seed
) -> None:
    login(client, "ania@skylot.example")
    first = _case_ids(client.get("/w/skylot/inbox").text)[0]

    page = client.get(f"/w/skylot/inbox?case={first}")

    assert 'class="split has-case"' in page.text
    assert f'hx-get="/w/skylot/cases/{first}" hx-trigger="load"' in page.text
    restored = client.get(
        f"/w/skylot/inbox?case={first}",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restored.text, "back and forward get the whole page, not the rows"


def test_resolve_in_the_pane_opens_the_row_below(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    first, second = _case_ids(client.get("/w/skylot/inbox").text)
    version = _version(client.get(f"/w/skylot/cases/{first}").text, "resolve-next")

    response = client.post(
        f"/w/skylot/cases/{first}/resolve",
        data={"csrf_token": csrf, "version": version, "then": str(second)},
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/w/skylot/cases/{second}"
    assert _case_ids(client.get("/w/skylot/inbox").text) == [second]


def test_bulk_tag_tags_the_customers_posts_and_offers_the_tag_next_time(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    ids = _case_ids(client.get("/w/skylot/inbox").text)

    done = client.post(
        "/w/skylot/inbox/bulk",
        data={"csrf_token": csrf, "action": "tag", "tag": "lost-bag", "case_ids": ids},
        follow_redirects=True,
    )

    assert "Tag: 2 cases done." in done.text
    assert '<option value="lost-bag">' in done.text
    with services.uow() as uow:
        posts = [p for i in ids for p in uow.posts.for_case(seed.skylot.id, i)]
        assert posts and all("lost-bag" in uow.moderation.tags(p.id) for p in posts)
    bad = client.post(
        "/w/skylot/inbox/bulk",
        data={"csrf_token": csrf, "action": "tag", "tag": "two words", "case_ids": ids},
        follow_redirects=True,
    )
    assert "Tag: not done, tag use 1-64 letters, digits, dashes or underscores." in bad.text


def test_bulk_hide_needs_a_reason_and_hides_through_moderation(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    ids = _case_ids(client.get("/w/skylot/inbox").text)

    refused = client.post(
        "/w/skylot/inbox/bulk",
        data={"csrf_token": csrf, "action": "hide", "case_ids": ids[:1]},
        follow_redirects=True,
    )
    assert "Hide: not done, reason is required to hide a post" in refused.text

    done = client.post(
        "/w/skylot/inbox/bulk",
        data={"csrf_token": csrf, "action": "hide", "reason": "Spam", "case_ids": ids[:1]},
        follow_redirects=True,
    )
    assert "Hide: 1 case done." in done.text
    with services.uow() as uow:
        posts = uow.posts.for_case(seed.skylot.id, ids[0])
        assert posts and all(p.hidden and p.hidden_reason == "spam" for p in posts)
        queued = [uow.outbox.count_for_post(p.id, _hide_action()) for p in posts]
        assert all(n == 1 for n in queued), "the platform's hide waits in the outbox"
        assert uow.posts.get(seed.skylot.id, posts[0].id) is not None, "nothing is deleted"


def _hide_action() -> object:
    from mentiondesk.domain.outbox import PlatformAction

    return PlatformAction.HIDE


def test_a_saved_view_keeps_its_filters_counts_live_and_can_be_deleted(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    view = "/w/skylot/inbox?language=pl&assignee=none&page=2"

    saved = client.post(
        "/w/skylot/inbox/views",
        data={"csrf_token": csrf, "name": "  Polish,  nobody's ", "view": view},
        follow_redirects=True,
    )

    assert "Saved the view “Polish, nobody&#39;s”." in saved.text
    link = re.search(
        r'href="([^"]+)" class="[^"]*saved-view">Polish, nobody&#39;s '
        r'<span class="count-badge">(\d+)</span>',
        saved.text,
    )
    assert link, saved.text[:3000]
    assert parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query) == {
        "language": ["pl"],
        "assignee": ["none"],
        "status": ["active"],
        "sort": ["urgent"],
    }
    before = int(link.group(2))
    services.pipeline.ingest(
        seed.skylot,
        raw_post("pl-1", "@skylot gdzie mój bagaż?", author_handle="zofia", lang="pl"),
        source="t",
    )
    page = client.get("/w/skylot/inbox").text
    assert f'Polish, nobody&#39;s <span class="count-badge">{before + 1}</span>' in page

    twice = client.post(
        "/w/skylot/inbox/views",
        data={"csrf_token": csrf, "name": "polish, NOBODY's", "view": view},
        follow_redirects=True,
    )
    assert "you already have a view called" in twice.text
    assert 'value="polish, NOBODY&#39;s"' in twice.text, "the typed name stays in the box"

    view_id = re.search(r"/inbox/views/(\d+)/unsave", page)
    assert view_id
    gone = client.post(
        f"/w/skylot/inbox/views/{view_id.group(1)}/unsave",
        data={"csrf_token": csrf},
        follow_redirects=True,
    )
    assert "Deleted the view." in gone.text and "saved-view" not in gone.text


def test_a_view_is_private_unless_an_admin_shares_it(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    refused = client.post(
        "/w/skylot/inbox/views",
        data={"csrf_token": csrf, "name": "Team", "view": "/w/skylot/inbox", "shared": "true"},
        follow_redirects=True,
    )
    assert "only owners and admins share views" in refused.text
    client.post(
        "/w/skylot/inbox/views",
        data={"csrf_token": csrf, "name": "Mine only", "view": "/w/skylot/inbox?sort=newest"},
    )
    client.post("/logout", data={"csrf_token": csrf})
    login(client, "vera@client.example")
    assert "Mine only" not in client.get("/w/skylot/inbox").text


def test_the_composer_warns_when_the_reply_is_not_in_the_posts_language(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    ids = _case_ids(client.get("/w/skylot/inbox").text)
    english = next(i for i in ids if "bag never arrived" in client.get(f"/w/skylot/cases/{i}").text)

    polish = client.post(
        f"/w/skylot/cases/{english}/guard",
        data={
            "csrf_token": csrf,
            "text": "Bardzo nam przykro, sprawdzimy gdzie jest Pana bagaż i odezwiemy się dzisiaj.",
        },
    )
    assert 'data-check="language_mismatch"' in polish.text
    assert "reads as Polish; the customer wrote in English" in polish.text

    matching = client.post(
        f"/w/skylot/cases/{english}/guard",
        data={
            "csrf_token": csrf,
            "text": "We are so sorry, we will find your bag and write back to you today.",
        },
    )
    assert "language_mismatch" not in matching.text


def test_a_post_shows_its_avatar_links_and_pictures_and_its_platform(
    client: TestClient, services: Services, seed: Seed
) -> None:
    services.pipeline.ingest(
        seed.skylot,
        raw_post(
            "look-1",
            "@skylot the seat was broken https://ex.ample/seat see https://ex.ample/p.jpg",
            author_handle="pic_person",
            meta={
                "avatar_url": "https://avatars.ex.ample/pic.png",
                "images": ["https://cdn.ex.ample/seat.webp", "javascript:alert(1)"],
            },
        ),
        source="t",
    )
    login(client, "ania@skylot.example")
    inbox = client.get("/w/skylot/inbox").text
    assert 'class="pf pf-x"' in inbox and 'class="avatar initials"' in inbox
    case_id = re.search(r'data-case-id="(\d+)"[^>]*>(?:(?!</tr>).)*seat was broken', inbox, re.S)
    assert case_id
    page = client.get(f"/w/skylot/cases/{case_id.group(1)}").text
    assert '<img class="avatar" src="https://avatars.ex.ample/pic.png"' in page
    assert '<a href="https://ex.ample/seat" rel="noopener noreferrer nofollow"' in page
    assert 'src="https://cdn.ex.ample/seat.webp"' in page and 'src="https://ex.ample/p.jpg"' in page
    assert "javascript:alert" not in page


def test_the_built_in_view_of_unassigned_polish_complaints_counts_only_those(
    client: TestClient, services: Services, seed: Seed
) -> None:
    for i, (text, lang) in enumerate(
        [
            ("@skylot opóźnienie lotu, skandal, nikt nie odpowiada!", "pl"),
            ("@skylot dziękuję za miły lot", "pl"),
            ("@skylot my flight is late again, terrible!", "en"),
        ]
    ):
        services.pipeline.ingest(
            seed.skylot, raw_post(f"v-{i}", text, author_handle=f"v_{i}", lang=lang), source="t"
        )
    login(client, "ania@skylot.example")
    page = client.get("/w/skylot/inbox").text
    view = re.search(
        r'href="([^"]+)" class="">Unassigned PL complaints <span class="count-badge">(\d+)<', page
    )
    assert view, page[:2000]
    listed = client.get(view.group(1).replace("&amp;", "&")).text
    ids = _case_ids(listed)
    assert len(ids) == int(view.group(2)) >= 1
    assert all(
        "complaint" in row and ">pl<" in row
        for row in re.findall(r"<tr class=\"case-row.*?</tr>", listed, flags=re.S)
    )
