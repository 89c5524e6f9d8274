"""Latency of the reply guard on a 1,000-character reply, against a busy day.

    PYTHONPATH=src python benchmarks/bench_guard.py [--runs 600] [--saved 1000] [--sent 3000]

The workspace has ``--saved`` saved replies (synthetic, built from sentence pools in the three
languages); ``--sent`` replies rendered from them went to other customers today. Each timed
call checks a fresh ~1,000-character reply, half of them near-copies of a sent reply (the
slow path: candidates are verified) and half new text, with every check enabled: hotline
schedule, signature, public reply, complaint post.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from mentiondesk.replies.guard import (
    GuardContext,
    GuardSettings,
    HotlineSchedule,
    InMemoryReplyHistory,
    SentReply,
    check_reply,
)
from mentiondesk.replies.templates import build_context, render_template

NOW = datetime(2025, 3, 14, 15, 30, tzinfo=UTC)
NAMES = [
    "Anna Nowak",
    "Tomasz Lis",
    "Giulia Rossi",
    "Marco Bruno",
    "Sarah Lee",
    "Tom Hughes",
    "Katarzyna Wójcik",
    "Paolo Ricci",
    "Emma Clarke",
    "Piotr Zając",
    "Chiara Conti",
]
GREETINGS = [
    "Hi {{ author.first_name }}, ",
    "Cześć {{ author.first_name | vocative }}, ",
    "Ciao {{ author.first_name }}, ",
    "Dzień dobry, ",
    "Gentile {{ author.name }}, ",
]
SENTENCES = [
    "sorry about the delay with your {item}.", "we have checked with the {place} and {fact}.",
    "the {item} should reach you within {n} working days.", "I've asked the {place} to {act}.",
    "przepraszamy za opóźnienie z {item_pl}.", "sprawdziliśmy w {place_pl}: {fact_pl}.",
    "kurier dostarczy paczkę w ciągu {n} dni.", "ci scusiamo per il ritardo del {item_it}.",
    "abbiamo verificato con il {place_it}: {fact_it}.", "il rimborso arriverà entro {n} giorni.",
    "if anything changes we will update you here.", "your case reference is in your inbox.",
]  # fmt: skip
FILL = {
    "item": ["parcel", "refund", "replacement", "invoice", "voucher", "repair", "booking"],
    "place": ["depot", "warehouse", "courier", "store team", "billing team", "workshop"],
    "fact": ["it left this morning", "it is scanned in", "the label was misprinted"],
    "act": ["prioritise it", "call you back", "resend it", "waive the fee"],
    "item_pl": ["paczką", "zwrotem", "fakturą", "naprawą"],
    "place_pl": ["magazynie", "sortowni", "serwisie", "dziale płatności"],
    "fact_pl": ["paczka wyjechała rano", "zwrot jest zlecony", "etykieta była błędna"],
    "item_it": ["pacco", "rimborso", "ricambio", "ordine"],
    "place_it": ["magazzino", "corriere", "negozio", "reparto pagamenti"],
    "fact_it": ["è partito stamattina", "è stato registrato", "l'etichetta era sbagliata"],
}


def _sentence(rng: random.Random) -> str:
    text = rng.choice(SENTENCES)
    for key, values in FILL.items():
        text = text.replace("{" + key + "}", rng.choice(values))
    return text.replace("{n}", str(rng.randint(2, 9)))


def saved_replies(count: int, rng: random.Random) -> list[str]:
    return [
        rng.choice(GREETINGS)
        + " ".join(_sentence(rng) for _ in range(rng.randint(3, 7)))
        + " {{ agent.first_name }}"
        for _ in range(count)
    ]


def _pad(text: str, rng: random.Random, size: int = 1000) -> str:
    while len(text) < size:
        text += " " + _sentence(rng)
    return text[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=600)
    parser.add_argument("--saved", type=int, default=1000)
    parser.add_argument("--sent", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    templates = saved_replies(args.saved, rng)
    history = InMemoryReplyHistory()
    sent_texts: list[str] = []
    for i in range(args.sent):
        author = rng.choice(NAMES)
        ctx = build_context(author_name=author, agent_name="Ola Kruk")
        text = _pad(render_template(rng.choice(templates), ctx).text, rng, rng.randint(300, 1000))
        sent_texts.append(text)
        sent_at = NOW - timedelta(minutes=rng.randint(0, 14 * 60))
        history.record(SentReply(text, f"customer{i}", sent_at))
    setup = time.perf_counter() - started

    settings = GuardSettings(
        requires_signature=True,
        hotline=HotlineSchedule({d: [("08:00", "20:00")] for d in range(5)}),
    )
    ctx = GuardContext(
        post_text="Paczka nadal nie dotarła, czekam od tygodnia. Skandal!",
        author_name="Anna Nowak",
        author_handle="anna_nowak",
        public=True,
        settings=settings,
        now=NOW,
    )
    probes = []
    for i in range(args.runs):
        if i % 2:
            base = rng.choice(sent_texts)
            probes.append(_pad(base.replace("the", "our", 1), rng))
        else:
            probes.append(_pad("Cześć Aniu, " + _sentence(rng), rng))
    for probe in probes[:20]:  # warm the compiled patterns
        check_reply(probe, ctx, history)

    timings, blocked = [], 0
    for probe in probes:
        t0 = time.perf_counter()
        result = check_reply(probe, ctx, history)
        timings.append((time.perf_counter() - t0) * 1000)
        blocked += "duplicate_reply" in result.checks
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    render_ms = []
    for template in templates[:200]:
        t0 = time.perf_counter()
        render_template(template, build_context(author_name="Tomasz Lis", agent_name="Ola"))
        render_ms.append((time.perf_counter() - t0) * 1000)
    print(f"setup: {args.saved} saved replies, {args.sent} sent today, indexed in {setup:.1f}s")
    print(
        f"guard on {len(probes)} replies of {len(probes[0])} chars ({blocked} flagged duplicate):"
    )
    print(
        f"  p50 {statistics.median(timings):.2f} ms   p99 {p99:.2f} ms   max {timings[-1]:.2f} ms"
    )
    print(f"render a saved reply (cached template): p50 {statistics.median(render_ms):.3f} ms")


if __name__ == "__main__":
    main()
