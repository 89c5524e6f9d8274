"""The open-network platform layers stay leaves: never storage, the desk, the pipeline or the
shells."""

from __future__ import annotations

import ast
from pathlib import Path

import mentiondesk.connectors as connectors

FORBIDDEN = ("storage", "web", "cli", "desk", "pipeline", "bootstrap", "replies", "triage")
PACKAGES = ("bluesky", "mastodon", "reddit", "rss", "x")
SHARED = ("inbound.py", "refusals.py", "http.py", "capability.py", "fake_http.py")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_open_network_module_imports_storage_web_desk_or_the_pipeline() -> None:
    root = Path(connectors.__file__).parent
    files = [root / name for name in SHARED]
    for package in PACKAGES:
        files.extend(sorted((root / package).glob("*.py")))
    assert all(path.exists() for path in files)
    offenders = {
        f"{path.parent.name}/{path.name}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.startswith("mentiondesk.") and name.split(".")[1] in FORBIDDEN
    }
    assert offenders == set()
