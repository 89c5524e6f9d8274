"""Create the demo workspaces and users, and replay the bundled stream through the pipeline."""

from __future__ import annotations

import gzip
import html
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.desk.channels import do_add_development_channel
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.desk.workspaces import do_create_source, do_create_workspace
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.workspaces import BrandIdentity, Role, User, WeeklyHours, Workspace
from mentiondesk.pipeline.runner import ImportStats
from mentiondesk.replies.saved import do_save_saved_reply

DEMO_PASSWORD = "runway-espresso-2026"  # passes the password policy in both workspaces
HOUR = 3600.0
# Skylot promises an answer within an hour and a fix within two working days (business time).
DEMO_SLA = {"first_response": HOUR, "next_response": 4 * HOUR, "resolution": 24 * HOUR}


@dataclass(frozen=True, slots=True)
class DemoLogin:
    email: str
    name: str
    role: Role


DEMO_USERS = (
    DemoLogin("ania@skylot.example", "Ania Kowalska", Role.AGENT),
    DemoLogin("marco@skylot.example", "Marco Bianchi", Role.AGENT),
    DemoLogin("lead@agency.example", "Olivia Lead", Role.OWNER),
)

SKYLOT = BrandIdentity(
    names=("Skylot",),
    handles={
        "x": ("@skylot", "@SkylotPL", "@SkylotIT"),
        "instagram": ("@skylot.official", "skylot.official"),
        "facebook": ("Skylot",),
        "mastodon": ("@skylot@mastodon.social", "@skylot"),
        "bluesky": ("@skylot.bsky.social",),
    },
    keywords=("lot", "flight", "lotnisko", "volo", "bagaż", "bagaglio", "luggage"),
)

# A few saved replies per language, so the composer's picker has something to offer.
_HELLO_PL = "{% if author.first_name %}Cześć {{ author.first_name|vocative(familiar=True) }}, "
_HELLO_PL += "{% else %}Dzień dobry, {% endif %}"
_HELLO_IT = "{% if author.first_name %}Ciao {{ author.first_name }}, {% else %}Buongiorno, "
_HELLO_IT += "{% endif %}"
_SIGN = " ^{{ agent.first_name }}"
DEMO_SAVED_REPLIES = (
    ("pl", "Opóźnienie lotu", _HELLO_PL + "przepraszamy za opóźnienie. Napisz nam w wiadomości "
     "prywatnej numer rezerwacji, a sprawdzimy, co możemy zrobić." + _SIGN, ("delay",)),
    ("pl", "Zgubiony bagaż", "Przykro nam z powodu bagażu. Podaj proszę w wiadomości "
     "prywatnej numer PIR z lotniska, a dopilnujemy sprawy." + _SIGN, ("luggage",)),
    ("it", "Ritardo del volo", _HELLO_IT + "ci dispiace per il ritardo. Scrivici in privato il "
     "codice di prenotazione e verifichiamo subito." + _SIGN, ("delay",)),
    ("it", "Bagaglio smarrito", "Ci dispiace per il bagaglio. Inviaci in privato il numero "
     "PIR ricevuto in aeroporto e seguiamo noi la pratica." + _SIGN, ("luggage",)),
    ("en", "Flight delay", "Hi {{ author.first_name|default('there') }}, sorry about the delay. "
     "Please DM us your booking reference and we'll check your options." + _SIGN, ("delay",)),
    ("en", "Lost luggage", "Sorry to hear about your bag. Please DM us the PIR number from "
     "the airport and we'll follow it up." + _SIGN, ("luggage",)),
)  # fmt: skip

CORVO = BrandIdentity(names=("Corvo Coffee", "Corvo"), handles={"x": ("@corvocoffee",)})


def stream_lines() -> Iterator[dict[str, Any]]:
    """The bundled demo posts, oldest first (see demo/PROVENANCE.md)."""
    source = resources.files("mentiondesk.demo").joinpath("stream.jsonl.gz")
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            post = json.loads(line)
            # The source corpora carry HTML entities ("&lt;3"); people wrote "<3".
            yield {**post, "text": html.unescape(post["text"])}


def shifted(posts: list[dict[str, Any]], end: datetime) -> list[dict[str, Any]]:
    """Move the stream in time so that its last post arrives at ``end``: a new user opens a
    desk whose clocks are running on fresh posts, not one where every target passed days ago."""
    if not posts:
        return posts
    last = max(datetime.fromisoformat(p["created_at"]) for p in posts)
    delta = end - last
    return [
        {**p, "created_at": (datetime.fromisoformat(p["created_at"]) + delta).isoformat()}
        for p in posts
    ]


def create_demo_workspaces(services: Services) -> Workspace:
    """Two brand workspaces of one agency; both agents work on Skylot, the owner sees both."""
    now = services.clock.now()
    with services.uow() as uow:
        existing = uow.workspaces.get_by_slug("skylot")
        if existing is not None:
            return existing
        skylot = do_create_workspace(
            uow,
            slug="skylot",
            name="Skylot",
            brand=SKYLOT,
            now=now,
            time_zone="Europe/Warsaw",
            languages=("pl", "it", "en"),
            hours=WeeklyHours.office("08:00", "20:00", weekdays=5),
            holiday_country="PL",
            order_pattern=r"\bSKY-?\d{6}\b",
        )
        corvo = do_create_workspace(
            uow,
            slug="corvo",
            name="Corvo Coffee",
            brand=CORVO,
            now=now,
            time_zone="Europe/Rome",
            languages=("it", "en"),
            holiday_country="IT",
        )
        for login in DEMO_USERS:
            user = do_create_user(
                uow,
                login.email,
                login.name,
                DEMO_PASSWORD,
                now=now,
                workspace_names=[skylot.name, skylot.slug, corvo.name, corvo.slug],
            )
            uow.users.set_signature(user.id, login.name.split()[0])  # replies signed "^Ania"
            uow.users.set_role(user.id, skylot.id, login.role)
            if login.role is Role.OWNER:
                uow.users.set_role(user.id, corvo.id, Role.OWNER)
        uow.commit()
        do_create_source(uow, skylot, "skylot-webhook", now=now)
        for platform, name in ((Platform.FACEBOOK, "Skylot"), (Platform.INSTAGRAM, "skylot.air")):
            do_add_development_channel(uow, skylot.id, platform, name, now=now)
        owner = uow.users.get_by_email(DEMO_USERS[-1].email)
        assert owner is not None
        do_update_desk_settings(
            uow,
            actor_for(uow, owner, skylot.slug),
            {"sla": DEMO_SLA},
            now=now,
            reason="demo set-up",
        )
        owner_actor = actor_for(uow, owner, skylot.slug)
        for language, title, body, tags in DEMO_SAVED_REPLIES:
            do_save_saved_reply(
                uow, owner_actor, language=language, title=title, body=body, tags=tags, now=now
            )
    return skylot


def replay_stream(
    services: Services, workspace: Workspace, *, progress: Callable[[int, int], None] | None = None
) -> ImportStats:
    posts = shifted(list(stream_lines()), services.clock.now() - timedelta(minutes=3))
    stats = ImportStats()
    for done, result in enumerate(
        services.pipeline.ingest_many(workspace, posts, source="demo-stream"), start=1
    ):
        stats.add(result)
        if progress:
            progress(done, len(posts))
    return stats


def demo_agents(services: Services) -> dict[str, User]:
    """Who answers which language in the demo: Ania Polish and English, Marco Italian."""
    with services.uow() as uow:
        ania = uow.users.get_by_email(DEMO_USERS[0].email)
        marco = uow.users.get_by_email(DEMO_USERS[1].email)
    assert ania is not None and marco is not None, "create_demo_workspaces runs first"
    return {"pl": ania, "en": ania, "it": marco}
