"""The inbox over HTTP: filters kept through paging, exact counts, search with inflection,
bulk actions, saved views with counts, live arrival and resolve-and-next."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from tests.e2e.conftest import Seed, login, raw_post


def _ingest(services: Services, seed: Seed, n: int, text: str, **extra: object) -> None:
    for i in range(n):
        services.pipeline.ingest(
            seed.skylot,
            raw_post(f"nav-{text[:6]}-{i}", text, author_handle=f"customer_{i}", **extra),
            source="t",
        )


def _case_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-case-id="(\d+)"', html)]


def test_next_keeps_every_filter_and_the_count_is_exact(
    client: TestClient, services: Services, seed: Seed
) -> None:
    _ingest(services, seed, 60, "@skylot where is my bag? flight 2211", lang="en")
    login(client, "ania@skylot.example")

    page = client.get("/w/skylot/inbox?mention_kind=direct&breached=no&needs_reply=yes")

    assert "61 cases" in page.text  # 60 + the seeded tagged one
    assert "counted up to here" not in page.text
    next_link = re.search(r'href="([^"]+)">Next →', page.text)
    assert next_link, page.text[-800:]
    params = parse_qs(urlparse(next_link.group(1).replace("&amp;", "&")).query)
    assert params == {
        "mention_kind": ["direct"],
        "breached": ["no"],
        "needs_reply": ["yes"],
        "page": ["2"],
        "status": ["active"],
        "sort": ["urgent"],
    }
    second = client.get(next_link.group(1).replace("&amp;", "&"))
    assert "61 cases" in second.text and len(_case_ids(second.text)) == 11


def test_search_finds_inflected_polish_forms_and_quotes_opt_out(
    client: TestClient, services: Services, seed: Seed
) -> None:
    texts = [
        "@skylot znowu opóźnienie lotu do Rzymu",
        "@skylot kolejne opóźnienia, co się dzieje",
        "@skylot z opóźnieniem dwóch godzin",
        "@skylot opoznienie bez polskich liter",
        "@skylot wszystko w porządku, dziękuję",
    ]
    for i, text in enumerate(texts):
        services.pipeline.ingest(
            seed.skylot,
            raw_post(f"pl-{i}", text, author_handle=f"pasazer_{i}", lang="pl"),
            source="t",
        )
    login(client, "ania@skylot.example")

    found = client.get("/w/skylot/inbox", params={"q": "opóźnienie"})
    assert "4 cases" in found.text
    assert "porządku" not in found.text
    exact = client.get("/w/skylot/inbox", params={"q": '"opóźnienie lotu"'})
    assert "1 case" in exact.text and "Rzymu" in exact.text
    by_author = client.get("/w/skylot/inbox", params={"q": "Ola Nowak"})
    assert "1 case" in by_author.text and "bagaż" in by_author.text


def test_bulk_assign_and_resolve_say_what_they_did(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    ids = _case_ids(client.get("/w/skylot/inbox").text)
    assert len(ids) == 2

    done = client.post(
        "/w/skylot/inbox/bulk",
        data={
            "csrf_token": csrf,
            "action": "assign_me",
            "case_ids": ids,
            "back": "/w/skylot/inbox",
        },
    )
    assert done.status_code == 303
    page = client.get(done.headers["location"])
    assert "Assign to me: 2 cases done." in page.text
    mine = client.get("/w/skylot/inbox?assignee=me")
    assert sorted(_case_ids(mine.text)) == sorted(ids)
    assert re.search(r"Mine <span class=\"count-badge\">2</span>", mine.text)

    resolved = client.post(
        "/w/skylot/inbox/bulk",
        data={"csrf_token": csrf, "action": "resolve", "case_ids": [ids[0], 999999]},
    )
    text = client.get(resolved.headers["location"]).text
    assert "Resolve: 1 case done, 1 not done (#999999: no case 999999)." in text
    assert _case_ids(text) == [ids[1]]


def test_a_viewer_cannot_bulk_act(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "vera@client.example")
    page = client.get("/w/skylot/inbox")
    assert 'id="bulk"' not in page.text
    ids = _case_ids(page.text)
    refused = client.post(
        "/w/skylot/inbox/bulk", data={"csrf_token": csrf, "action": "resolve", "case_ids": ids}
    )
    assert refused.status_code == 403
    assert len(_case_ids(client.get("/w/skylot/inbox").text)) == 2


def test_resolve_and_next_opens_the_next_case(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    first, second = _case_ids(client.get("/w/skylot/inbox").text)
    case_page = client.get(f"/w/skylot/cases/{first}").text
    version = re.search(r'id="resolve-next".*?name="version" value="(\d+)"', case_page, flags=re.S)
    assert version and "Assign to me" in case_page

    response = client.post(
        f"/w/skylot/cases/{first}/resolve",
        data={"csrf_token": csrf, "version": version.group(1), "then": "next"},
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/w/skylot/cases/{second}"
    assert _case_ids(client.get("/w/skylot/inbox").text) == [second]


def test_the_case_page_skips_to_content_and_reaches_the_reply_before_the_note(
    client: TestClient, seed: Seed
) -> None:
    login(client, "ania@skylot.example")
    case_id = _case_ids(client.get("/w/skylot/inbox").text)[0]
    page = client.get(f"/w/skylot/cases/{case_id}").text
    assert page.index('class="skip-link" href="#main"') < page.index("<header")
    assert '<main id="main"' in page
    assert page.index('id="reply-text"') < page.index('id="case-notes"')
    assert "<bdi>" in page


def test_the_case_page_says_why_the_case_has_its_priority(client: TestClient, seed: Seed) -> None:
    login(client, "ania@skylot.example")
    case_id = _case_ids(client.get("/w/skylot/inbox").text)[0]
    page = client.get(f"/w/skylot/cases/{case_id}").text
    why = re.search(r'class="muted priority-why">Why this priority: ([^<]+)</p>', page)
    assert why, page[:2000]
    parts = dict(re.findall(r"([a-z ]+) \+(\d+)", why.group(1)))
    assert parts["complaint"] == "40" and "addressed to the brand" in {k.strip() for k in parts}
    shown = re.search(r'class="case-priority"[^>]*>priority (\d+)<', page)
    assert shown
    assert abs(sum(int(v) for v in parts.values()) - int(shown.group(1))) <= len(parts)
