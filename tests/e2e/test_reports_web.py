"""The reports page, its downloads, the reports API and the ``report`` command, as a user
meets them: a viewer (the brand's client) reads them, another tenant's reports stay hidden."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from mentiondesk.bootstrap import Services
from mentiondesk.cli.main import app as cli
from tests.e2e.conftest import Seed, login


def test_a_viewer_reads_the_reports_page_with_charts_tables_and_downloads(
    client: TestClient, seed: Seed
) -> None:
    login(client, "vera@client.example")
    page = client.get("/w/skylot/reports?from=2026-11-01&to=2026-11-16")
    assert page.status_code == 200
    html = page.text
    assert "Reports · Skylot" in html
    assert 'src="/static/uplot/uPlot.iife.min.js"' in html
    assert '<script type="application/json" id="report-data">' in html
    assert "<script>" not in html  # nothing inline: the CSP forbids it
    for section in ("volume", "times", "sla", "answers", "backlog", "agents"):
        assert f'id="{section}"' in html
    # Two customers wrote on 14 November (Warsaw time); both cases wait in the backlog.
    assert "<td>2026-11-14</td><td>2</td>" in html
    assert "Backlog now: 2 open cases" in html
    charts = json.loads(html.split('id="report-data">')[1].split("</script>")[0])
    assert sum(charts["volume"]["series"]["all posts"]) == 2

    volume_csv = client.get(
        "/w/skylot/reports/export.csv?table=volume&from=2026-11-01&to=2026-11-16"
    )
    assert volume_csv.status_code == 200
    assert volume_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(volume_csv.text)))
    assert len(rows) == 16 and sum(int(r["posts"]) for r in rows) == 2

    xlsx = client.get("/w/skylot/reports/export.xlsx?from=2026-11-01&to=2026-11-16")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["volume", "times", "sla", "answers", "backlog", "agents"]
    assert [c.value for c in book["backlog"][1]] == ["age", "min_s", "max_s", "cases"]


def test_the_api_gives_the_same_figures_and_refuses_bad_input(
    client: TestClient, seed: Seed
) -> None:
    login(client, "vera@client.example")
    body = client.get("/api/v1/workspaces/skylot/reports?from=2026-11-14&to=2026-11-15").json()
    assert body["period"]["bucket"] == "hour"  # two days: hour buckets
    assert len(body["volume"]) == 48
    assert body["summary"]["posts"] == 2 and body["summary"]["cases"] == 2
    assert {r["group"] for r in body["answers"]} >= {"tagged", "untagged"}

    one = client.get("/api/v1/workspaces/skylot/reports/backlog").json()
    assert sum(r["cases"] for r in one["rows"]) == 2

    reversed_range = client.get("/api/v1/workspaces/skylot/reports?from=2026-11-15&to=2026-11-01")
    assert reversed_range.status_code == 422
    assert reversed_range.json()["detail"]["field"] == "to"
    assert client.get("/api/v1/workspaces/skylot/reports?kind=shouting").status_code == 422
    assert client.get("/api/v1/workspaces/skylot/reports/nonsense").status_code == 404
    # Vera belongs to Skylot only: Corvo's reports do not exist for her.
    assert client.get("/api/v1/workspaces/corvo/reports").status_code == 404
    assert client.get("/w/corvo/reports").status_code == 404


def test_the_agency_view_lists_only_the_users_workspaces(client: TestClient, seed: Seed) -> None:
    login(client, "vera@client.example")
    agency = client.get("/api/v1/reports?from=2026-11-01&to=2026-11-16").json()
    assert [w["workspace"] for w in agency["workspaces"]] == ["skylot"]
    assert agency["workspaces"][0]["posts"] == 2
    page = client.get("/reports?from=2026-11-01&to=2026-11-16")
    assert page.status_code == 200 and "Skylot" in page.text and "Corvo" not in page.text


def test_report_command_prints_json_and_csv(services: Services, seed: Seed, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--data-dir", str(services.settings.data_dir), "--workspace", "skylot"]
    dates = ["--from", "2026-11-01", "--to", "2026-11-16"]
    as_json = runner.invoke(cli, ["report", *args, *dates, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.stdout)
    assert body["summary"]["posts"] == 2 and len(body["volume"]) == 16

    as_csv = runner.invoke(cli, ["report", *args, *dates, "--format", "csv", "--table", "backlog"])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert sum(int(r["cases"]) for r in rows) == 2

    out = tmp_path / "r.xlsx"
    as_xlsx = runner.invoke(cli, ["report", *args, *dates, "--format", "xlsx", "-o", str(out)])
    assert as_xlsx.exit_code == 0 and load_workbook(out).sheetnames[0] == "volume"

    bad = runner.invoke(cli, ["report", *args, "--from", "yesterday"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    unnamed = runner.invoke(cli, ["report", "--data-dir", str(services.settings.data_dir)])
    assert unnamed.exit_code == 2 and "--workspace" in unnamed.output


def test_report_rebuild_rebuilds_the_rollups_and_the_figures_stay(
    services: Services, seed: Seed
) -> None:
    runner = CliRunner()
    args = ["--data-dir", str(services.settings.data_dir), "--workspace", "skylot"]
    dates = ["--from", "2026-11-01", "--to", "2026-11-16", "--format", "json"]
    before = json.loads(runner.invoke(cli, ["report", *args, *dates]).stdout)

    rebuilt = runner.invoke(cli, ["report", "rebuild", *args])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "rebuilt the report rollups of skylot" in rebuilt.output
    after = json.loads(runner.invoke(cli, ["report", *args, *dates]).stdout)
    assert {k: v for k, v in after.items() if k != "generated_at"} == {
        k: v for k, v in before.items() if k != "generated_at"
    }

    nowhere = runner.invoke(
        cli,
        [
            "report",
            "rebuild",
            "--data-dir",
            str(services.settings.data_dir),
            "--workspace",
            "nowhere",
        ],
    )
    assert nowhere.exit_code == 2 and "nowhere" in nowhere.output
