"""A plausible past week of desk work for the demo, so that its inbox, clocks and resolution
times look like a team's: most older cases answered within hours, many of them resolved."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.case_actions import do_resolve_case, do_send_reply
from mentiondesk.domain.workspaces import User, Workspace

# Written as people answer: an apology where it fits, an answer or a concrete next step.
REPLIES = {
    "pl": (
        "Przykro nam, że tak wyszło. Sprawdzamy Twoją rezerwację i odezwiemy się w wiadomości "
        "prywatnej jeszcze dziś.",
        "Dziękujemy za zgłoszenie! Bagaż jest już zlokalizowany, kurier dostarczy go jutro "
        "między 10 a 14.",
        "Przepraszamy za opóźnienie. Zwrot za anulowany lot wysłaliśmy dziś, pieniądze będą na "
        "koncie w ciągu 3 dni roboczych.",
        "Dzięki za miłe słowa, przekażemy je załodze!",
    ),
    "it": (
        "Ci dispiace molto. Stiamo controllando la prenotazione e ti scriviamo in privato entro "
        "oggi.",
        "Grazie della segnalazione! Il bagaglio è stato ritrovato, il corriere lo consegna "
        "domani tra le 10 e le 14.",
        "Scusaci per il ritardo: il rimborso del volo cancellato è partito oggi, lo vedrai sul "
        "conto entro 3 giorni lavorativi.",
        "Grazie mille, lo diciamo subito all'equipaggio!",
    ),
    "en": (
        "Sorry about this. We're checking your booking now and will message you privately today.",
        "Thanks for flagging it! Your bag has been found and the courier brings it tomorrow "
        "between 10 and 2.",
        "Apologies for the wait: the refund for your cancelled flight went out today and "
        "should reach your account within 3 working days.",
        "Thank you, we'll pass that on to the crew!",
    ),
}


@dataclass(frozen=True, slots=True)
class HistoryStats:
    answered: int
    resolved: int


def simulate_past_work(
    services: Services,
    workspace: Workspace,
    agents: dict[str, User],
    *,
    seed: int = 20261109,
    answered_share: float = 0.7,
    resolved_share: float = 0.6,
    progress: Callable[[int, int], None] | None = None,
) -> HistoryStats:
    """Answer a share of the cases older than a day (4 to 100 min after they opened) and
    resolve a share of those later; ``agents`` maps a language to who answers it."""
    rng = random.Random(seed)
    now = services.clock.now()
    with services.uow() as uow:
        waiting = uow.cases.awaiting_first_answer(workspace.id, now - timedelta(days=1))
    answered = resolved = 0
    for done, (case_id, detected) in enumerate(waiting, start=1):
        if progress:
            progress(done, len(waiting))
        if rng.random() >= answered_share:
            continue
        language = detected if detected in REPLIES else "en"
        agent = agents.get(language) or next(iter(agents.values()))
        with services.uow() as uow:
            case = uow.cases.get(workspace.id, case_id)
            assert case is not None
            reply_at = case.opened_at + timedelta(minutes=rng.randint(4, 100))
            actor = actor_for(uow, agent, workspace.slug)
            do_send_reply(
                uow,
                actor,
                case_id,
                rng.choice(REPLIES[language]),
                idempotency_key=f"demo-history-{case_id}",
                now=reply_at,
            )
        answered += 1
        if rng.random() < resolved_share:
            resolve_at = reply_at + timedelta(hours=rng.uniform(0.5, 30))
            if resolve_at < now:
                with services.uow() as uow:
                    do_resolve_case(
                        uow, actor_for(uow, agent, workspace.slug), case_id, now=resolve_at
                    )
                resolved += 1
    return HistoryStats(answered, resolved)
