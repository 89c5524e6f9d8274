"""The pages of working together: agents and shifts, presence, private notes, customers."""

from fastapi import APIRouter

from mentiondesk.web.pages import agents, customers, notes, presence

router = APIRouter()
for module in (agents, customers, notes, presence):
    router.include_router(module.router)
