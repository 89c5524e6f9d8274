"""Integration fixtures: a workspace with its people on each database, and a second tenant."""

from __future__ import annotations

import pytest

from mentiondesk.bootstrap import Services
from tests.factories import Desk, build_desk


@pytest.fixture
def desk(services: Services) -> Desk:
    """Workspace ``acme`` with an owner, two agents (agent, colleague) and a viewer."""
    return build_desk(services)


@pytest.fixture
def other_desk(services: Services, desk: Desk) -> Desk:
    """A second tenant, ``globex``, in the same installation as ``desk``."""
    return build_desk(services, "globex", "Globex")
