"""What subscribing to ``case.opened`` costs an ingest, and how soon a call arrives.

Ingests N posts that each open a case into a fresh SQLite desk, first with no subscription,
then with one subscription to a local receiver (a real HTTP server on 127.0.0.1), and prints
the ingest time per post and the delay from each ingest's return to the call's arrival.

    PYTHONPATH=src:. python benchmarks/bench_event_webhooks.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.factories import build_desk

from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.desk.event_webhooks import do_add_webhook


def main(n: int) -> None:
    arrived: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            arrived.append(time.perf_counter())
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for subscribed in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            services = bootstrap(Settings(data_dir=Path(tmp)))
            desk = build_desk(services)
            if subscribed:
                with services.uow() as uow:
                    do_add_webhook(
                        uow,
                        desk.actor(desk.owner),
                        f"http://127.0.0.1:{server.server_port}/",
                        ["case.opened"],
                        now=services.clock.now(),
                    )
            arrived.clear()
            took, returned = [], []
            for i in range(n):
                start = time.perf_counter()
                desk.ingest(text=f"@acme parcel {i} lost", author_handle=f"c{i}")
                returned.append(time.perf_counter())
                took.append(returned[-1] - start)
            services.close()  # waits for the calls in flight
            line = f"subscribed={subscribed}: ingest median {statistics.median(took) * 1000:.2f} ms"
            line += f", p95 {statistics.quantiles(took, n=20)[18] * 1000:.2f} ms"
            if subscribed:
                delays = sorted(a - r for a, r in zip(sorted(arrived), returned, strict=False))
                line += f"; {len(arrived)}/{n} calls arrived, delay median "
                line += f"{statistics.median(delays) * 1000:.1f} ms"
            print(line)
    server.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
