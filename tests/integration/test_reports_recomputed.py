"""Every report figure equals a plain recomputation from the raw rows, on SQLite and PostgreSQL.

The data are generated (seeded): cases opened across a national holiday and a change of
clocks, in a workspace on Warsaw time and one on Kolkata time (a half-hour offset), with posts,
replies in every delivery state, resolutions, and recorded SLA breaches. The recomputation reads
the tables back with ``SELECT *`` and uses only the standard library and the business calendar's
own ``business_seconds_between``.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from mentiondesk.analytics.periods import Compare, ReportFilter
from mentiondesk.analytics.rollups import is_built, rebuild
from mentiondesk.analytics.service import BACKLOG_BANDS, agency_report, workspace_report
from mentiondesk.bootstrap import Services
from mentiondesk.connectors.base import Delivered, OutgoingReply
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.calendars import holiday_dates
from mentiondesk.desk.corrections import do_correct_label
from mentiondesk.desk.lifecycle import do_merge_cases
from mentiondesk.desk.sla_settings import do_update_desk_settings, load_desk_settings
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.workspaces import Role, Workspace
from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_assignment as ta
from mentiondesk.storage import tables_sla as ts
from tests.conftest import ServicesFactory
from tests.factories import Desk, build_desk, grant, raw_post

NOW = datetime(2026, 5, 12, 15, 30, tzinfo=UTC)
PLATFORMS = ("x", "facebook", "instagram")
LANGUAGES = ("pl", "it", "en")
KINDS = ("direct", "indirect", "fuzzy", "query", None)
SENTIMENTS = ("negative", "neutral", "positive", None)


def _generate(services: Services, workspace: Workspace, agents: list[int], seed: int) -> None:
    """About 160 cases over March-May 2026 (Polish holidays 1 and 3 May, clocks changed on
    29 March), their posts and replies, some breaches, and noise posts without a case."""
    rng = random.Random(seed)
    first = datetime(2026, 3, 20, tzinfo=UTC)
    span = (NOW - first).total_seconds()
    with services.uow() as uow:
        conn = uow.connection
        authors = []
        for i in range(12):
            authors.append(
                conn.execute(
                    insert(t.authors)
                    .values(
                        workspace_id=workspace.id,
                        platform=PLATFORMS[i % 3],
                        handle=f"{workspace.slug}_author{i}",
                        name=f"Author {i}",
                        first_seen_at=first,
                    )
                    .returning(t.authors.c.id)
                ).scalar_one()
            )
        post_no = 0
        for n in range(160):
            opened = first + timedelta(seconds=rng.uniform(0, span))
            status = rng.choice(("new", "open", "waiting", "resolved", "resolved", "merged"))
            answered = status in ("waiting", "resolved") or rng.random() < 0.2
            first_response = (
                min(NOW, opened + timedelta(seconds=rng.expovariate(1 / 7200)))
                if answered
                else None
            )
            resolved = (
                min(NOW, opened + timedelta(seconds=rng.expovariate(1 / 90000)))
                if status == "resolved"
                else None
            )
            platform = rng.choice(PLATFORMS)
            case_id = conn.execute(
                insert(t.cases)
                .values(
                    workspace_id=workspace.id,
                    author_id=rng.choice(authors),
                    platform=platform,
                    thread_key=f"t{n}",
                    status=status,
                    assignee_id=rng.choice([*agents, None]),
                    priority=0,
                    needs_reply=status in ("new", "open"),
                    language=rng.choice(LANGUAGES),
                    sentiment="negative",
                    tagged=rng.random() < 0.5,
                    summary="",
                    mention_kind=rng.choice(KINDS),
                    opened_at=opened,
                    last_activity_at=resolved or first_response or opened,
                    first_response_at=first_response,
                    resolved_at=resolved,
                    version=1,
                )
                .returning(t.cases.c.id)
            ).scalar_one()
            posts_here = [opened] + [
                opened + timedelta(seconds=rng.uniform(0, 3 * 86400))
                for _ in range(rng.randint(0, 3))
            ]
            for at in posts_here:
                post_no += 1
                conn.execute(
                    insert(t.posts).values(
                        workspace_id=workspace.id,
                        platform=platform,
                        platform_post_id=f"{workspace.slug}-{post_no}",
                        kind="post",
                        author_id=rng.choice(authors),
                        text="text",
                        created_at=min(at, NOW),
                        received_at=min(at, NOW),
                        thread_key=f"t{n}",
                        mentions=[],
                        language=rng.choice(LANGUAGES),
                        sentiment=rng.choice(SENTIMENTS),
                        case_id=case_id,
                        meta={},
                    )
                )
            for r in range(rng.randint(0, 3) if answered else 0):
                created = (first_response or opened) + timedelta(seconds=rng.uniform(0, 86400))
                conn.execute(
                    insert(t.replies).values(
                        workspace_id=workspace.id,
                        case_id=case_id,
                        user_id=rng.choice(agents),
                        text="Sorry!",
                        visibility="public",
                        status=rng.choice(("sent", "sent", "failed", "queued")),
                        idempotency_key=f"{workspace.slug}-{case_id}-{r}",
                        created_at=min(created, NOW),
                    )
                )
            for metric in ("first_response", "next_response", "resolution"):
                if rng.random() < 0.25:
                    conn.execute(
                        insert(ts.sla_breaches).values(
                            workspace_id=workspace.id,
                            case_id=case_id,
                            metric=metric,
                            target_seconds=3600,
                            breached_at=opened + timedelta(hours=1),
                            recorded_at=opened + timedelta(hours=1),
                        )
                    )
        for _ in range(120):  # posts that opened no case
            post_no += 1
            at = first + timedelta(seconds=rng.uniform(0, span))
            conn.execute(
                insert(t.posts).values(
                    workspace_id=workspace.id,
                    platform=rng.choice(PLATFORMS),
                    platform_post_id=f"{workspace.slug}-{post_no}",
                    kind="post",
                    author_id=rng.choice(authors),
                    text="noise",
                    created_at=at,
                    received_at=at,
                    thread_key=f"noise{post_no}",
                    mentions=[],
                    language=rng.choice(LANGUAGES),
                    sentiment=rng.choice(SENTIMENTS),
                    meta={},
                )
            )
        for i, user_id in enumerate(agents):
            conn.execute(
                insert(ta.agent_profiles).values(
                    workspace_id=workspace.id,
                    user_id=user_id,
                    teams=["care", "vip"] if i == 0 else ["care"],
                    languages=["pl"],
                    capacity=10,
                    shifts=[],
                    available=True,
                )
            )
        uow.commit()


@pytest.fixture
def two_desks(services: Services) -> tuple[Desk, Desk]:
    return _two_desks(services)


def _two_desks(services: Services) -> tuple[Desk, Desk]:
    acme, globex = build_desk(services), build_desk(services, "globex", "Globex")
    for desk, zone, countries, seed in (
        (acme, "Europe/Warsaw", ["PL"], 1),
        (globex, "Asia/Kolkata", ["IN"], 2),
    ):
        with services.uow() as uow:
            do_update_desk_settings(
                uow,
                desk.actor(desk.owner),
                {
                    "time_zone": zone,
                    "holiday_countries": countries,
                    "sla": {"first_response": 3600, "next_response": None, "resolution": 86400},
                },
                now=NOW,
            )
        _generate(services, desk.workspace, [desk.agent.id, desk.colleague.id], seed)
        with services.uow() as uow:  # the rows went in past the handlers: backfill, as 0021 does
            rebuild(uow, desk.workspace, now=NOW)
            uow.commit()
    return acme, globex


# -- the recomputation --------------------------------------------------------------------------


def _raw(services: Services, table: Any, workspace_id: int) -> list[Any]:
    with services.uow() as uow:
        return list(
            uow.connection.execute(select(table).where(table.c.workspace_id == workspace_id))
        )


def _p(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _keep_case(case: Any, f: ReportFilter, team: set[int] | None) -> bool:
    return (
        case.status != "merged"
        and (f.platform is None or case.platform == f.platform)
        and (f.language is None or case.language == f.language)
        and (f.agent_id is None or case.assignee_id == f.agent_id)
        and (team is None or case.assignee_id in team)
        and (f.mention_kind is None or (case.mention_kind or "unknown") == f.mention_kind)
    )


def _expected(
    services: Services, desk: Desk, first: date, last: date, f: ReportFilter
) -> dict[str, Any]:
    with services.uow() as uow:
        settings = load_desk_settings(uow, desk.workspace)
    zone = ZoneInfo(settings.time_zone)
    calendar = settings.calendar(holiday_dates(settings.holiday_countries, range(2025, 2028)))
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    ws = desk.workspace.id
    team = None
    if f.team is not None:
        team = {p.user_id for p in _raw(services, ta.agent_profiles, ws) if f.team in p.teams}
    cases = [c for c in _raw(services, t.cases, ws) if _keep_case(c, f, team)]
    case_by_id = {c.id: c for c in _raw(services, t.cases, ws)}
    in_range = [c for c in cases if start <= c.opened_at < end]
    ids = {c.id for c in in_range}

    hourly = (last - first).days < 2
    volume: Counter[tuple[str, str]] = Counter()
    for post in _raw(services, t.posts, ws):
        if not start <= post.created_at < end:
            continue
        if f.platform and post.platform != f.platform:
            continue
        if f.language and post.language != f.language:
            continue
        if f.needs_case:
            case = case_by_id.get(post.case_id)
            if case is None or not _keep_case(
                case, ReportFilter(None, None, f.agent_id, f.team, f.mention_kind), team
            ):
                continue
        local = post.created_at.astimezone(zone)
        label = local.strftime("%Y-%m-%d %H:00") if hourly else local.date().isoformat()
        volume[(label, post.sentiment or "unlabelled")] += 1

    def times(cases: list[Any], attr: str) -> tuple[list[float], list[float]]:
        done = [
            c
            for c in cases
            if getattr(c, attr) is not None and (attr != "resolved_at" or c.status == "resolved")
        ]
        calendar_s = [(getattr(c, attr) - c.opened_at).total_seconds() for c in done]
        business_s = [
            calendar.business_seconds_between(c.opened_at, getattr(c, attr)) for c in done
        ]
        return calendar_s, business_s

    sent = {(r.case_id) for r in _raw(services, t.replies, ws) if r.status == "sent"}
    breaches = [b for b in _raw(services, ts.sla_breaches, ws) if b.case_id in ids]
    replies = Counter(
        r.user_id
        for r in _raw(services, t.replies, ws)
        if r.status == "sent" and start <= r.created_at < end and r.case_id in {c.id for c in cases}
    )
    backlog = [c for c in cases if c.status in ("new", "open", "waiting")]
    return {
        "cases": in_range,
        "volume": volume,
        "first_response": times(in_range, "first_response_at"),
        "resolution": times(in_range, "resolved_at"),
        "breached": Counter(b.metric for b in breaches),
        "answered": sent,
        "replies": replies,
        "backlog": [(NOW - c.opened_at).total_seconds() for c in backlog],
        "calendar": calendar,
    }


FILTERS = [
    ReportFilter(),
    ReportFilter(platform="x"),
    ReportFilter(language="pl", mention_kind="indirect"),
    ReportFilter(team="vip"),
    ReportFilter(mention_kind="unknown", platform="facebook"),
]


@pytest.mark.parametrize(
    "f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.as_dict().items() if v) or "all"
)
@pytest.mark.parametrize(
    ("first", "last"),
    [(date(2026, 3, 25), date(2026, 5, 10)), (date(2026, 5, 1), date(2026, 5, 2))],
)
def test_every_figure_equals_a_recomputation_from_raw_rows(
    services: Services, two_desks: tuple[Desk, Desk], f: ReportFilter, first: date, last: date
) -> None:
    for desk in two_desks:
        _assert_recomputed(services, desk, first, last, f)


def _assert_recomputed(
    services: Services, desk: Desk, first: date, last: date, f: ReportFilter
) -> None:
    with services.uow() as uow:
        report = workspace_report(
            uow,
            desk.actor(desk.viewer),
            first,
            last,
            now=NOW,
            compare=Compare.PREVIOUS,
            filters=f,
        )
    want = _expected(services, desk, first, last, f)

    got_volume: Counter[tuple[str, str]] = Counter()
    for point in report.volume:
        for name in ("negative", "neutral", "positive", "unlabelled"):
            if getattr(point, name):
                got_volume[(point.label, name)] += getattr(point, name)
        assert point.posts == point.negative + point.neutral + point.positive + point.unlabelled
    assert got_volume == want["volume"]
    assert report.posts == sum(want["volume"].values())
    assert report.cases == len(want["cases"])

    by = {(x.metric, x.clock): x for x in report.times}
    for metric in ("first_response", "resolution"):
        calendar_s, business_s = want[metric]
        for clock, values in (("calendar", calendar_s), ("business", business_s)):
            figure = by[(metric, clock)]
            assert figure.cases == len(values)
            assert figure.median_s == pytest.approx(
                statistics.median(values) if values else None, abs=0.01
            )
            assert figure.p90_s == pytest.approx(_p(values, 90), abs=0.01)

    sla = {s.metric: s for s in report.sla}
    assert set(sla) == {"first_response", "resolution"}  # next response has no target
    for metric, figure in sla.items():
        assert figure.cases == len(want["cases"])
        assert figure.breached == want["breached"][metric]

    answers = {a.kind: a for a in report.answers}
    for group, keep in (("tagged", lambda c: c.tagged), ("untagged", lambda c: not c.tagged)):
        mine = [c for c in want["cases"] if keep(c)]
        answered = [c for c in mine if c.id in want["answered"]]
        assert (answers[group].cases, answers[group].answered) == (len(mine), len(answered))
        waits = [
            (c.first_response_at - c.opened_at).total_seconds()
            for c in answered
            if c.first_response_at
        ]
        assert answers[group].median_first_response_s == pytest.approx(
            statistics.median(waits) if waits else None, abs=0.01
        )

    assert report.backlog_total == len(want["backlog"])
    for band, (_, lo, hi) in zip(report.backlog, BACKLOG_BANDS, strict=True):
        assert band.cases == sum(1 for a in want["backlog"] if a >= lo and (hi is None or a < hi))

    agents = {a.user_id: a for a in report.agents}
    for user_id in {c.assignee_id for c in want["cases"] if c.assignee_id} | set(want["replies"]):
        mine = [c for c in want["cases"] if c.assignee_id == user_id]
        assert agents[user_id].cases == len(mine)
        assert agents[user_id].replies == want["replies"][user_id]
        waits = [
            want["calendar"].business_seconds_between(c.opened_at, c.first_response_at)
            for c in mine
            if c.first_response_at
        ]
        assert agents[user_id].median_first_response_business_s == pytest.approx(
            statistics.median(waits) if waits else None, abs=0.01
        )


def test_the_comparison_period_is_the_same_number_of_days_just_before(
    services: Services, two_desks: tuple[Desk, Desk]
) -> None:
    acme, _ = two_desks
    with services.uow() as uow:
        report = workspace_report(
            uow, acme.actor(acme.agent), date(2026, 4, 21), date(2026, 5, 10), now=NOW
        )
    assert report.comparison is not None
    assert (report.comparison.first, report.comparison.last) == (
        date(2026, 4, 1),
        date(2026, 4, 20),
    )
    want = _expected(services, acme, date(2026, 4, 1), date(2026, 4, 20), ReportFilter())
    assert report.previous_posts == sum(want["volume"].values())
    assert report.previous_cases == len(want["cases"])
    first_business = next(
        x for x in report.times if x == x and x.metric == "first_response" and x.clock == "business"
    )
    assert first_business.previous_median_s == pytest.approx(
        statistics.median(want["first_response"][1]), abs=0.01
    )


def test_the_agency_view_sums_each_workspace_over_its_own_days(
    services: Services, two_desks: tuple[Desk, Desk]
) -> None:
    acme, globex = two_desks
    grant(services, acme.owner, globex.workspace, Role.VIEWER)
    with services.uow() as uow:
        agency = agency_report(uow, acme.owner, date(2026, 4, 1), date(2026, 4, 30), now=NOW)
    rows = {r.slug: r for r in agency.rows}
    assert set(rows) == {"acme", "globex"}
    for desk in two_desks:
        want = _expected(services, desk, date(2026, 4, 1), date(2026, 4, 30), ReportFilter())
        row = rows[desk.workspace.slug]
        assert row.posts == sum(want["volume"].values())
        assert row.cases == len(want["cases"])
        assert row.answered == sum(1 for c in want["cases"] if c.id in want["answered"])
        assert row.backlog == len(want["backlog"])
        assert row.median_resolution_business_s == pytest.approx(
            statistics.median(want["resolution"][1]), abs=0.01
        )


# -- the rollups follow every change ------------------------------------------------------------


class _Sends:
    """A platform that takes every reply, so replies end "sent"."""

    platform = Platform.X

    def send(self, reply: OutgoingReply) -> Delivered:
        return Delivered(f"x-{reply.idempotency_key}")


def _rollups_built(services: Services, desk: Desk) -> bool:
    with services.uow() as uow:
        settings = load_desk_settings(uow, desk.workspace)
        return is_built(uow.connection, desk.workspace.id, settings)


def _assert_all_recomputed(services: Services, desk: Desk) -> None:
    ranges = ((date(2026, 3, 25), date(2026, 5, 10)), (date(2026, 5, 5), date(2026, 5, 5)))
    for first, last in ranges:
        for f in FILTERS:
            _assert_recomputed(services, desk, first, last, f)


def test_the_rollups_follow_replies_reopens_merges_corrections_and_an_hours_change(
    make_services: ServicesFactory, clock: FixedClock
) -> None:
    services = make_services(connectors={Platform.X: _Sends()})
    acme, _ = _two_desks(services)
    assert _rollups_built(services, acme)
    cases = _raw(services, t.cases, acme.workspace.id)
    resolved = [c.id for c in cases if c.status == "resolved"]
    waiting = [c.id for c in cases if c.status in ("new", "open") and c.platform == "x"]

    clock.set(datetime(2026, 5, 5, 9, 0, tzinfo=UTC))
    opened = [
        acme.ingest_case(
            created_at=f"2026-05-05T08:{i:02d}:00+00:00", author_handle=f"new{i}", lang="pl"
        )
        for i in range(4)
    ]
    batch = [  # an import: routed in one batch, the rollups updated once for it
        raw_post(
            created_at=f"2026-05-05T{9 + i % 3:02d}:{i:02d}:00+00:00",
            author_handle=f"batch{i % 4}",
            lang=("pl", "en")[i % 2],
        )
        for i in range(12)
    ]
    assert all(
        r.status == "created"
        for r in services.pipeline.ingest_many(acme.workspace, batch, source="test")
    )
    _assert_recomputed(services, acme, date(2026, 3, 25), date(2026, 5, 10), ReportFilter())
    clock.set(datetime(2026, 5, 5, 11, 0, tzinfo=UTC))
    acme.deliver(acme.reply(acme.agent, opened[0]))
    acme.deliver(acme.reply(acme.colleague, waiting[0]))
    acme.resolve(acme.agent, opened[1])
    acme.reopen(acme.agent, resolved[0])
    acme.assign(acme.owner, opened[2], acme.colleague)
    with services.uow() as uow:
        owner = actor_for(uow, acme.owner, "acme")
        post = uow.posts.for_case(acme.workspace.id, opened[2])[0]
        do_correct_label(uow, owner, post.id, "sentiment", "positive", now=clock.now())
    with services.uow() as uow:
        post = uow.posts.for_case(acme.workspace.id, opened[3])[0]
        do_correct_label(uow, owner, post.id, "language", "it", now=clock.now())
    with services.uow() as uow:
        do_merge_cases(uow, owner, opened[3], opened[0], now=clock.now())
    assert _rollups_built(services, acme)
    _assert_all_recomputed(services, acme)

    with services.uow() as uow:  # shorter hours: every business duration changes
        do_update_desk_settings(
            uow,
            owner,
            {"hours": {str(d): [["09:00", "17:00"]] for d in range(6)}},
            now=clock.now(),
        )
    assert _rollups_built(services, acme)  # rebuilt right after the change committed
    _assert_all_recomputed(services, acme)
