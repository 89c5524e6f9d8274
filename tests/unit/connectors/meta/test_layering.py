"""The Meta platform layer stays a leaf: it never reaches into storage, the desk or the shells."""

from __future__ import annotations

import ast
from pathlib import Path

import mentiondesk.connectors.meta as meta

FORBIDDEN = ("storage", "web", "cli", "desk", "pipeline", "bootstrap", "replies", "triage")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_meta_module_imports_storage_web_desk_or_the_pipeline() -> None:
    package = Path(meta.__file__).parent
    offenders = {
        f"{path.name}: {name}"
        for path in sorted(package.glob("*.py"))
        for name in imported_modules(path)
        if name.startswith("mentiondesk.") and name.split(".")[1] in FORBIDDEN
    }
    assert offenders == set()
