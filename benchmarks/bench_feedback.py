"""How long the feedback report and the opportunities take.

    python -m benchmarks.bench_feedback [--data-dir data/demo] [--workspace skylot]

1. Topic grouping alone, on 20,000 complaint texts (the most one report groups): the PL, IT,
   EN samples repeated with a counter appended, so keyphrase groups still form.
2. With a demo database (``mentiondesk demo --no-serve``): the whole feedback report and the
   opportunities of the last 30 days through the services, best and median of 5 runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.eval_topics import LANGUAGES, load
from mentiondesk.analytics.feedback import feedback_report
from mentiondesk.analytics.feedback_queries import MAX_COMPLAINTS
from mentiondesk.analytics.opportunities import opportunity_report
from mentiondesk.analytics.topics import assign_topics


def grouping() -> None:
    rows = [(lang, text) for lang in LANGUAGES for _, text in load(lang)]
    texts = [f"{rows[i % len(rows)][1]} {i % 97}" for i in range(MAX_COMPLAINTS)]
    langs = [rows[i % len(rows)][0] for i in range(MAX_COMPLAINTS)]
    started = time.perf_counter()
    assign_topics(texts, langs)
    took = time.perf_counter() - started
    each = took / len(texts) * 1e6
    print(f"topic grouping: {len(texts)} texts in {took:.2f} s ({each:.0f} µs each)")


def report(data_dir: Path, slug: str) -> None:
    from mentiondesk.bootstrap import bootstrap
    from mentiondesk.config import Settings
    from mentiondesk.desk.access import operator_actor

    services = bootstrap(Settings(data_dir=data_dir))
    try:
        now = services.clock.now()
        for name, build in (("feedback", feedback_report), ("opportunities", opportunity_report)):
            times = []
            for _ in range(5):
                with services.uow() as uow:
                    actor = operator_actor(uow, slug)
                    last = now.astimezone(ZoneInfo(actor.workspace.time_zone)).date()
                    first = last - timedelta(days=29)
                    started = time.perf_counter()
                    built = build(uow, actor, first, last, now=now)
                    times.append(time.perf_counter() - started)
            size = getattr(built, "complaints", None) or sum(getattr(built, "counts", {}).values())
            print(
                f"{name} report, 30 days, {size} posts: best {min(times) * 1000:.0f} ms, "
                f"median {statistics.median(times) * 1000:.0f} ms"
            )
    finally:
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--workspace", default="skylot")
    args = parser.parse_args()
    grouping()
    if args.data_dir:
        report(args.data_dir, args.workspace)


if __name__ == "__main__":
    main()
