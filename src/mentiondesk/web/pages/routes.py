"""All page routers under one router, so the app factory includes a single object."""

from fastapi import APIRouter

from mentiondesk.web.pages import auth, cases, collaboration, inbox

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(inbox.router)
router.include_router(cases.router)
router.include_router(collaboration.router)
