"""Meta's one webhook URL for the app: ``GET /webhooks/meta`` answers the subscription
handshake, ``POST /webhooks/meta`` takes notifications for every connected Page and Instagram
account.

A notification is read at most ``META_WEBHOOK_MAX_BYTES`` (a larger one is refused before it is
read whole) and its ``X-Hub-Signature-256`` is checked on the raw bytes before anything parses
them: missing → 401, wrong → 403, nothing stored. A signed body is answered 200 even when parts
of it are not understood (those are kept in ``rejected_inputs``), so Meta never disables the
subscription; what needs a Graph read (a mention without its text, the brand post a comment
sits under) is done after the answer. The routes are signature-protected, not
session-protected, so they carry no CSRF token.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from mentiondesk.bootstrap import Services
from mentiondesk.connectors.meta.signature import (
    SIGNATURE_HEADER,
    subscription_challenge,
    verify_signature,
)
from mentiondesk.desk.meta_inbound import WebhookOutcome
from mentiondesk.web.deps import ServicesDep

router = APIRouter(tags=["webhooks"])
log = logging.getLogger(__name__)

META_WEBHOOK_MAX_BYTES = 1024 * 1024
"""Meta batches at most 1,000 updates; a body past 1 MiB is not read."""


@router.get("/webhooks/meta", response_class=PlainTextResponse, include_in_schema=False)
def meta_handshake(request: Request, services: ServicesDep) -> Response:
    """Meta's subscription check: echoes ``hub.challenge`` when ``hub.verify_token`` is
    ``MENTIONDESK_META_VERIFY_TOKEN``; 403 otherwise."""
    app = services.meta
    challenge = subscription_challenge(request.query_params, app.verify_token if app else "")
    if challenge is None:
        return PlainTextResponse("verification failed", status_code=403)
    return PlainTextResponse(challenge)


@router.post(
    "/webhooks/meta",
    responses={
        200: {"description": "Signed: taken (parts not understood are kept with the reason)."},
        401: {"description": "No X-Hub-Signature-256 header."},
        403: {"description": "Wrong signature, or no app secret configured."},
        413: {"description": "Body over 1 MiB: not read."},
    },
)
async def meta_webhook(
    request: Request, services: ServicesDep, background: BackgroundTasks
) -> JSONResponse:
    """Notifications for every connected Page and Instagram account, signed by Meta."""
    header = request.headers.get(SIGNATURE_HEADER)
    if not header:
        return _refused(401, f"missing {SIGNATURE_HEADER} header")
    secret = services.meta.app_secret if services.meta else ""
    if not secret:
        return _refused(403, "webhooks are refused until MENTIONDESK_META_APP_SECRET is set")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > META_WEBHOOK_MAX_BYTES:
        return _refused(413, f"body larger than {META_WEBHOOK_MAX_BYTES} bytes; not read")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > META_WEBHOOK_MAX_BYTES:
            return _refused(413, f"body larger than {META_WEBHOOK_MAX_BYTES} bytes; not read")
        chunks.append(chunk)
    body = b"".join(chunks)
    if not verify_signature(body, header, secret):
        return _refused(403, "bad signature")
    outcome = await run_in_threadpool(services.apply_meta_webhook, body)
    if outcome.to_fetch:
        background.add_task(_fetch, services, outcome)
    return JSONResponse(
        {
            "ingested": outcome.ingested,
            "applied": outcome.applied,
            "ours": outcome.ours_skipped,
            "ignored": outcome.ignored,
            "rejected": outcome.rejected,
        }
    )


def _fetch(services: Services, outcome: WebhookOutcome) -> None:
    """After the answer: read from Graph what the webhook only named. A failure is logged
    with its traceback; the next reconcile reads the Page again."""
    try:
        services.fetch_meta_content(outcome)
    except Exception:
        log.exception("reading %d Meta object(s) after a webhook failed", len(outcome.to_fetch))


def _refused(status: int, reason: str) -> JSONResponse:
    return JSONResponse({"detail": reason}, status_code=status)
