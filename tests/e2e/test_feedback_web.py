"""The Feedback and Opportunities tabs of the reports, their downloads, the API and the
``report feedback`` / ``report opportunities`` commands, as a product person meets them."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from mentiondesk.bootstrap import Services
from mentiondesk.cli.main import app as cli
from tests.e2e.conftest import Seed, login, raw_post

RANGE = "from=2026-11-01&to=2026-11-16"

COMPLAINTS = [
    # (id, day, text, lang): baggage grows from 1 to 4, refunds appear, a kiosk group forms
    ("200", "2026-10-20", "@skylot lost my suitcase in Rome, terrible", "en"),
    ("201", "2026-11-03", "@skylot my luggage is still missing, awful service", "en"),
    ("202", "2026-11-05", "@skylot Gdzie jest moja walizka? Skandal, trzeci dzień", "pl"),
    ("203", "2026-11-07", "@skylot bagaglio smarrito, pessimo servizio", "it"),
    ("204", "2026-11-09", "@skylot suitcase arrived broken, terrible", "en"),
    ("205", "2026-11-10", "@skylot still no refund for my cancelled trip, awful", "en"),
    ("206", "2026-11-11", "@skylot where is my refund?? terrible", "en"),
    ("207", "2026-11-12", "@skylot the kiosk at Gatwick is broken again, terrible", "en"),
]


def _ingest(services: Services, seed: Seed) -> None:
    for pid, day, text, lang in COMPLAINTS:
        services.pipeline.ingest(
            seed.skylot,
            raw_post(pid, text, created_at=f"{day}T12:00:00+01:00", lang=lang, author_handle=pid),
            source="t",
        )
    services.pipeline.ingest(
        seed.skylot,
        raw_post(
            "300",
            "Flew Skylot to Milan today, what a lovely crew, thank you!",
            created_at="2026-11-12T12:00:00+01:00",
            author_handle="happy_flyer",
            lang="en",
        ),
        source="t",
    )
    services.pipeline.ingest(
        seed.skylot,
        raw_post(
            "301",
            "Can anyone recommend a decent airline for Lisbon? Skylot or someone else?",
            created_at="2026-11-13T12:00:00+01:00",
            author_handle="asker",
            lang="en",
        ),
        source="t",
    )
    services.pipeline.ingest(
        seed.skylot,
        raw_post(
            "302",
            "@skylot boarding now",
            created_at="2026-11-13T13:00:00+01:00",
            author_handle="celebrity",
            author_followers=250_000,
            lang="en",
        ),
        source="t",
    )


def test_a_viewer_reads_the_complaint_topics_with_trends_and_examples(
    client: TestClient, services: Services, seed: Seed
) -> None:
    _ingest(services, seed)
    login(client, "vera@client.example")
    body = client.get(f"/api/v1/workspaces/skylot/reports/feedback?{RANGE}").json()
    topics = {t["topic"]: t for t in body["topics"]}
    baggage = topics["lost_baggage"]
    assert baggage["posts"] >= 4 and baggage["previous_posts"] == 1
    assert baggage["trend"] == "rising"
    assert {"en", "pl", "it"} <= set(baggage["languages"])
    assert topics["refunds"]["trend"] == "new"
    example = baggage["examples"][0]
    assert example["case_url"] and example["case_url"].startswith("/w/skylot/cases/")
    assert 0 < baggage["share"] <= 1

    page = client.get(f"/w/skylot/reports/feedback?{RANGE}")
    assert page.status_code == 200
    html = page.text
    assert "Lost or damaged baggage" in html and "New and rising" in html
    assert 'aria-current="page">Feedback' in html
    assert "<script>" not in html
    assert f'href="{example["case_url"]}"' in html

    as_csv = client.get(f"/w/skylot/reports/feedback/export.csv?{RANGE}")
    assert as_csv.status_code == 200 and "lost_baggage" in as_csv.text
    book = load_workbook(
        io.BytesIO(client.get(f"/w/skylot/reports/feedback/export.xlsx?{RANGE}").content)
    )
    assert book.sheetnames == ["topics", "examples"]

    bad = client.get("/api/v1/workspaces/skylot/reports/feedback?from=tomorrow")
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "from"
    assert client.get("/api/v1/workspaces/corvo/reports/feedback").status_code == 404


def test_opportunities_list_praise_requests_and_reach_filterable_by_kind(
    client: TestClient, services: Services, seed: Seed
) -> None:
    _ingest(services, seed)
    login(client, "vera@client.example")
    body = client.get(f"/api/v1/workspaces/skylot/reports/opportunities?{RANGE}").json()
    kinds = {item["author"]: item["kinds"] for item in body["items"]}
    assert "recommendation" in kinds["asker"]
    assert "reach" in kinds["celebrity"]
    assert kinds["happy_flyer"] == ["thank_you"]
    assert body["counts"]["reach"] == 1

    only = client.get(
        f"/api/v1/workspaces/skylot/reports/opportunities?{RANGE}&kind=recommendation"
    ).json()
    assert [i["author"] for i in only["items"]] == ["asker"]
    bad = client.get("/api/v1/workspaces/skylot/reports/opportunities?kind=gossip")
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "kind"
    too_few = client.get("/api/v1/workspaces/skylot/reports/opportunities?min_followers=-3")
    assert too_few.status_code == 422

    page = client.get(f"/w/skylot/reports/opportunities?{RANGE}&kind=reach")
    assert page.status_code == 200 and "celebrity" in page.text and "asker" not in page.text
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/w/skylot/reports/opportunities/export.csv?{RANGE}").text)
        )
    )
    assert {r["author"] for r in rows} >= {"asker", "celebrity"}


def test_report_feedback_and_opportunities_commands(services: Services, seed: Seed) -> None:
    _ingest(services, seed)
    runner = CliRunner()
    args = ["--data-dir", str(services.settings.data_dir), "--workspace", "skylot"]
    dates = ["--from", "2026-11-01", "--to", "2026-11-16"]
    as_json = runner.invoke(cli, ["report", "feedback", *args, *dates, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert "lost_baggage" in {t["topic"] for t in json.loads(as_json.stdout)["topics"]}

    as_csv = runner.invoke(cli, ["report", "feedback", *args, *dates, "--format", "csv"])
    assert as_csv.exit_code == 0 and "# topics" in as_csv.stdout

    opportunities = runner.invoke(
        cli, ["report", "opportunities", *args, *dates, "--kind", "reach", "--format", "json"]
    )
    assert opportunities.exit_code == 0, opportunities.output
    assert [i["author"] for i in json.loads(opportunities.stdout)["items"]] == ["celebrity"]

    bad = runner.invoke(cli, ["report", "opportunities", *args, "--kind", "gossip"])
    assert bad.exit_code == 2 and "thank_you" in bad.output


def test_bad_query_values_are_refused_with_a_reason_never_a_server_error(
    client: TestClient, seed: Seed
) -> None:
    login(client, "vera@client.example")
    bad = [
        "from=2026-13-01",
        "to=yesterday",
        "from=2026-11-10&to=2026-11-01",
        "from=2020-01-01&to=2026-11-01",
        "compare=decade",
        "platform=myspace",
        "language=12",
        "format=pdf",
        "kind=%00",
        "min_followers=lots",
        "min_followers=1e99",
        "min_followers=0",
        "agent=3",  # these reports are about posts, not about who handled them
        "team=care",
    ]
    for path in ("feedback", "opportunities"):
        for query in bad:
            if path == "feedback" and query.startswith(("kind", "min_followers")):
                continue
            response = client.get(f"/api/v1/workspaces/skylot/reports/{path}?{query}")
            assert response.status_code == 422, (path, query, response.text)
            assert response.json()["detail"]
            page = client.get(f"/w/skylot/reports/{path}?{query}")
            assert page.status_code < 500, (path, query)
    assert client.get("/w/skylot/reports/feedback/export.pdf").status_code == 422
