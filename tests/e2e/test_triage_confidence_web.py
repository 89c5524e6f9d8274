"""How sure triage is, and why it labelled a post so, on the case page and in the case API."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from tests.e2e.conftest import Seed, login, raw_post

AMBIGUOUS = "@skylot nie wiem co o tym myśleć, lot był ok ale obsługa taka sobie"
COMPLAINT = "@skylot my flight was delayed again and I'm still waiting for a refund"


def _case(services: Services, seed: Seed, pid: str, text: str, lang: str) -> int:
    done = services.pipeline.ingest(
        seed.skylot, raw_post(pid, text, author_handle=f"a{pid}", lang=lang), source="t"
    )
    assert done.case_id is not None, done
    return done.case_id


def _label(page: str, name: str) -> str:
    pattern = rf'<span class="label[^"]*" data-label="{name}"[^>]*>(.*?)</span>'
    found = re.search(pattern, page, re.S)
    assert found, f"no {name} label on the page"
    return re.sub(r"<[^>]+>", "", html.unescape(found.group(1))).strip()


def test_the_case_page_shows_confidence_not_sure_and_why(
    client: TestClient, services: Services, seed: Seed
) -> None:
    complaint = _case(services, seed, "800", COMPLAINT, "en")
    ambiguous = _case(services, seed, "801", AMBIGUOUS, "pl")
    login(client, "ania@skylot.example")

    page = html.unescape(client.get(f"/w/skylot/cases/{complaint}").text)
    assert re.fullmatch(r"negative \d{1,3}%", _label(page, "sentiment"))
    assert _label(page, "intent") == "complaint"
    why = re.search(r'<li data-why="intent">(.*?)</li>', page, re.S)
    assert why and "why: complaint phrase 'delayed'" in why.group(1)
    sentiment_why = re.search(r'<li data-why="sentiment">(.*?)</li>', page, re.S)
    assert sentiment_why and "'refund'" in sentiment_why.group(1)

    page = html.unescape(client.get(f"/w/skylot/cases/{ambiguous}").text)
    assert "not sure (maybe a complaint)" in _label(page, "intent")
    assert "no reply needed" not in page  # an unsure post is left for a person


def test_the_case_api_returns_confidence_unsure_and_why(
    client: TestClient, services: Services, seed: Seed
) -> None:
    ambiguous = _case(services, seed, "802", AMBIGUOUS, "pl")
    complaint = _case(services, seed, "803", COMPLAINT, "en")
    login(client, "ania@skylot.example")

    post = client.get(f"/api/v1/workspaces/skylot/cases/{ambiguous}").json()["posts"][0]
    assert post["triage"]["unsure"] == ["intent"]
    assert post["triage"]["needs_reply"] is True
    assert 0.0 <= post["triage"]["confidence"]["complaint"] <= 1.0

    post = client.get(f"/api/v1/workspaces/skylot/cases/{complaint}").json()["posts"][0]
    assert post["triage"]["unsure"] == []
    assert post["triage"]["confidence"]["sentiment"] > 0.5
    assert "complaint phrase 'delayed'" in post["why"]["intent"]
    assert any("refund" in reason for reason in post["why"]["sentiment"])
