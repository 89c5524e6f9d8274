"""Triage throughput, model load time and memory of the shipped model, on one core.

Usage: ``PYTHONPATH=src python benchmarks/bench_triage.py [--posts 20000]``. Posts are drawn from
the shared corpora (a mix of Polish, Italian and English social posts) when they are present,
otherwise generated; the batch goes through ``run_batch`` exactly as the command does.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path("/work/shared/data")
FILES = ("sentiment/pl-mozetic2016.jsonl", "harmful/pl-banpl.jsonl",
         "sentiment/it-sentipolc2016.jsonl", "harmful/it-haspeede2018_fb.jsonl",
         "sentiment/en-airline2015.jsonl", "harmful/en-tweeteval_offensive.jsonl")  # fmt: skip

LOAD_SNIPPET = """
import resource, time
t = time.perf_counter()
from mentiondesk.triage.service import build_triager
build_triager()
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def sample_posts(n: int) -> list[str]:
    rng = random.Random(7)
    texts: list[str] = []
    for name in FILES:
        path = DATA / name
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in fh]
    if not texts:
        texts = ["Zamówienie nie dotarło, tel. 601 234 567", "Grazie mille!", "Where is my refund?"]
    return [rng.choice(texts) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True,
                         env=env, check=True).stdout.split()  # fmt: skip
    print(f"model load (fresh process, incl. imports): {float(out[0]):.2f} s, "
          f"peak RSS after load: {int(out[1]) / 1024:.0f} MB")  # fmt: skip

    from mentiondesk.triage.batch import run_batch
    from mentiondesk.triage.classifier import DEFAULT_MODEL_DIR, MODEL_FILE
    from mentiondesk.triage.service import build_triager

    size = (DEFAULT_MODEL_DIR / MODEL_FILE).stat().st_size / 1e6
    print(f"model file: {size:.1f} MB")
    triager = build_triager()
    posts = sample_posts(args.posts)
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i, text in enumerate(posts):
                fh.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
        run_batch(src, dst, triager=triager)  # warm-up: lingua loads on first unsure post
        started = time.perf_counter()
        stats = run_batch(src, dst, triager=triager)
        seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"batch: {stats.lines} posts in {seconds:.2f} s = {stats.lines / seconds:,.0f} posts/s "
          f"on one core ({stats.errors} errors)")  # fmt: skip
    print(f"peak RSS of the benchmark process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
