"""The guard reads tone in Polish, Italian and English: apologies, blame, boilerplate,
redirects of every kind, next steps and signatures.

The labelled replies live in ``data/tone/`` (docs/data/guard-replies.md);
``benchmarks/eval_guard_tone.py`` prints the same figures per check and language.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mentiondesk.replies.guard import GuardContext, check_reply
from mentiondesk.replies.guard.signature import find_signature
from mentiondesk.replies.guard.tone import apology_spans, has_next_step
from mentiondesk.replies.guard.tone_model import ToneModel, tone_model

DATA = Path(__file__).parent / "data" / "tone"
KINDS = ("phone", "email", "chat", "form", "dm", "url", "other_team", "cant_help")


def _replies(split: str) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for lang in ("pl", "it", "en"):
        text = (DATA / f"replies_{lang}.jsonl").read_text(encoding="utf-8")
        lines += [json.loads(x) for x in text.splitlines() if x.strip()]
    return [x for x in lines if x["split"] == split]


def _outcomes(line: dict[str, Any]) -> dict[str, tuple[bool, bool]]:
    labels = line["labels"]
    ctx = GuardContext(post_text=line["post"], intent=line["intent"], public=True)
    result = check_reply(line["reply"], ctx)
    out = {
        "apology_missing": (labels["apology_missing"], "missing_apology" in result.checks),
        "blame": (labels["blame"], "blame" in result.checks),
        "boilerplate": (labels["boilerplate"], "boilerplate" in result.checks),
        "next_step": (labels["next_step"], result.detected.next_step),
        "signature": (labels["signature"], result.detected.signature),
    }
    for kind in KINDS:
        out[f"redirect:{kind}"] = (kind in labels["redirect"], kind in result.detected.redirect)
    return out


def _scores(split: str) -> dict[tuple[str, str], tuple[float, float, int]]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for line in _replies(split):
        for check, (expected, found) in _outcomes(line).items():
            want, got = bool(expected), bool(found)
            if check == "signature" and want and got:
                got = found.strip(" ^~/-—") == expected  # a wrong signature is a miss
            key = (check, line["language"])
            counts[(*key, "tp")] += want and got
            counts[(*key, "fp")] += got and not want
            counts[(*key, "fn")] += want and not got
    scores = {}
    for check, lang, _ in list(counts):
        tp, fp, fn = (counts[(check, lang, k)] for k in ("tp", "fp", "fn"))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        scores[(check, lang)] = (precision, recall, tp + fn)
    return scores


# Below target today, with the floor they must keep (docs/benchmarks-guard.md says why):
# one English reply sends the customer to "the iarport" (a typo no phrase list reads).
KNOWN_SHORT = {("redirect:other_team", "en"): 0.85}


def test_every_check_reaches_its_target_on_the_held_out_test_split() -> None:
    short = {
        f"{check}/{lang}: P {p:.2f} R {r:.2f} (n={n})"
        for (check, lang), (p, r, n) in _scores("test").items()
        if n >= 5 and min(p, r) < KNOWN_SHORT.get((check, lang), 0.9)
    }
    assert not short


def test_the_labelled_set_has_several_hundred_replies_per_language_in_three_splits() -> None:
    for split, least in (("train", 300), ("test", 100), ("fresh", 100)):
        per_language = Counter(x["language"] for x in _replies(split))
        assert set(per_language) == {"pl", "it", "en"}
        assert min(per_language.values()) >= least


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("Niestety nie jesteśmy w stanie w tym pomóc.", "cant_help"),
        ("Purtroppo non possiamo aiutarti con questo.", "cant_help"),
        ("Sadly this is outside our remit.", "cant_help"),
        ("Please contact our specialist team.", "other_team"),
        ("Prosimy o kontakt z działem specjalistycznym.", "other_team"),
        ("Ti rimandiamo al reparto tecnico.", "other_team"),
        ("Dial 0800 123 4567 and have your order number ready.", "phone"),
        ("Proszę wybrać nasz numer 22 123 45 67.", "phone"),
        ("Prosimy o kontakt mailowy.", "email"),
    ],
)
def test_each_redirect_kind_is_recognised_with_or_without_a_number(reply: str, kind: str) -> None:
    assert kind in check_reply(reply, GuardContext()).detected.redirect


def test_the_brand_acting_is_not_a_redirect() -> None:
    for reply in (
        "We'll check with the courier and get back to you by tomorrow.",
        "Kurier nie zastał nikogo, ale to my powinniśmy byli zadzwonić wcześniej.",
        "Ho già disposto una nuova spedizione, il tracking ti arriva via mail.",
    ):
        assert check_reply(reply, GuardContext()).detected.redirect == ()


def test_we_cant_help_without_an_answer_warns_like_a_redirect() -> None:
    result = check_reply("Niestety nie możemy w tym pomóc.", GuardContext())
    [finding] = [f for f in result.findings if f.check == "channel_redirect"]
    assert "cannot help" in finding.message


def test_apologies_are_read_without_diacritics_and_refusals_are_not_apologies() -> None:
    assert apology_spans("Bardzo przepraszamy za opoznienie, to nasz blad.")
    assert apology_spans("Bardzo mi przykro, że tyle czekałeś.")
    assert apology_spans("Siamo mortificati per l'accaduto.")
    assert not apology_spans("Nie widzimy powodu do przeprosin.")
    assert not apology_spans("Non abbiamo nulla di cui scusarci.")
    assert not apology_spans("There's no reason for an apology here.")


def test_next_steps_come_from_verb_forms_and_a_time_alone_is_not_one() -> None:
    assert has_next_step("Ti abbiamo accreditato 20 euro come compensazione.")
    assert has_next_step("Dorzucimy darmową dostawę do kolejnego zamówienia.")
    assert has_next_step("Zalozylem zgloszenie i sam bede go pilnowal.")
    assert has_next_step("An engineer will visit you on Thursday morning.")
    assert not has_next_step("The High Street store is open until 9 pm today.")
    assert not has_next_step("Sklep jest dziś otwarty do 21.")
    assert not has_next_step("Mamy nadzieję, że wkrótce wszystko wróci do normy.")
    assert not has_next_step("We have passed your feedback on to the relevant department.")
    assert not has_next_step("Non ce ne occupiamo noi.")


@pytest.mark.parametrize(
    ("reply", "signature"),
    [
        ("Thanks, we're on it.\n^AB", "AB"),
        ("Sprawdzimy to. -Ania", "Ania"),
        ("Ci pensiamo noi. /Marco", "Marco"),
        ("Sprawdzimy to jutro.\nAnia z zespołu Skylot", "Ania z zespołu Skylot"),
        ("Ci pensiamo noi.\nMarco del team Corvo", "Marco del team Corvo"),
        ("Grazie!\nUn saluto, Laura del Servizio Clienti", "Laura del Servizio Clienti"),
        ("Fixed now.\n\n^LA", "LA"),
        ("All sorted.\nBen", "Ben"),
        ("Dziękujemy!\nZespół Skylot", None),
        ("Thanks for waiting.\nCorvo Customer Care", None),
        ("Sprawdzimy to.\nNumer zgłoszenia: #40119", None),
        ("Hej,\nWidzimy Twoje zgłoszenie.", None),
        ("Do usłyszenia ^^", None),
    ],
)
def test_signatures_are_the_agents_not_the_teams(reply: str, signature: str | None) -> None:
    found = find_signature(reply)
    assert (found[0] if found else None) == signature


def test_the_tone_model_scores_sentences_with_shipped_weights_only() -> None:
    model = ToneModel.from_arrays(
        {
            "blame.ngrams": np.array([" your", "faul"]),
            "blame.value": np.array([20.0, 30.0], dtype=np.float16),
            "blame.meta": np.array([-1.0, 0.6]),
        }
    )
    assert model.says("blame", "It was your fault")
    assert not model.says("blame", "We will fix it")
    assert not model.says("boilerplate", "It was your fault")
    shipped = tone_model()
    blaming = shipped.probability("blame", "Had you read the email, you would have known.")
    neutral = shipped.probability("blame", "Your parcel will arrive on Monday.")
    assert blaming > shipped.threshold["blame"] > neutral


def test_the_guard_runs_without_scikit_learn() -> None:
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "from mentiondesk.replies.guard import GuardContext, check_reply\n"
        "r = check_reply('You should have read the terms, it was your mistake.', GuardContext())\n"
        "assert 'blame' in r.checks\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
