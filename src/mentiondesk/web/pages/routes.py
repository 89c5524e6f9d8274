"""All page routers under one router, so the app factory includes a single object."""

from fastapi import APIRouter

from mentiondesk.web.pages import (
    account,
    alerts,
    auth,
    cases,
    channels,
    collaboration,
    desk_settings,
    erasure,
    feedback,
    inbox,
    inbox_live,
    inbox_views,
    integrations,
    labels,
    listening,
    replies,
    report_schedules,
    reports,
)
from mentiondesk.web.pages import moderation as moderation_pages

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(inbox.router)
router.include_router(inbox_live.router)
router.include_router(inbox_views.router)
router.include_router(cases.router)
router.include_router(channels.router)
router.include_router(labels.router)
router.include_router(listening.router)
router.include_router(moderation_pages.router)
router.include_router(desk_settings.router)
router.include_router(collaboration.router)
router.include_router(replies.router)
router.include_router(account.router)
router.include_router(erasure.router)
router.include_router(feedback.router)  # before reports' /reports/export.{fmt}
router.include_router(report_schedules.router)
router.include_router(reports.router)
router.include_router(alerts.router)
router.include_router(integrations.router)
