"""Imports point inward, and this test fails the suite when one points outward.

The package contracts (layers, no circles, shells call services) live once, in pyproject's
``[tool.importlinter]``; these tests run import-linter over them, so a back-arrow fails pytest
as well as ``lint-imports``. The rule import-linter cannot state — ``domain`` imports nothing but
the standard library — is checked here by walking each module's ``import`` statements with
``ast``. Both checkers are also run over a small planted package tree, to show they do catch a
violation rather than pass on anything.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "mentiondesk"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def imported_modules(package_dir: Path) -> dict[str, set[str]]:
    """Every module under ``package_dir`` mapped to the absolute names it imports.

    Relative imports are resolved against the module's package; imports under
    ``if TYPE_CHECKING:`` count too, since a reader follows them just the same.
    """
    graph: dict[str, set[str]] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        module = ".".join(parts)
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = parts if is_package else parts[:-1]
                    base = base[: len(base) - node.level + 1]
                    names.add(".".join([*base, node.module] if node.module else base))
                elif node.module:
                    names.add(node.module)
        graph[module] = names
    return graph


def non_stdlib_imports(package_dir: Path, subpackage: str) -> list[str]:
    """``module -> name`` for each import in ``subpackage`` that leaves the standard library
    (its own modules excepted)."""
    own = f"{package_dir.name}.{subpackage}"
    found = []
    for module, names in imported_modules(package_dir).items():
        if module != own and not module.startswith(own + "."):
            continue
        for name in sorted(names):
            top = name.partition(".")[0]
            inside = name == own or name.startswith(own + ".")
            if top != "__future__" and top not in sys.stdlib_module_names and not inside:
                found.append(f"{module} -> {name}")
    return found


def run_import_linter(
    config: Path, cwd: Path, pythonpath: Path
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [str(LINT_IMPORTS), str(config), "--no-cache", "--no-logo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_package_keeps_every_import_contract() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    result = run_import_linter(ROOT / "pyproject.toml", ROOT, PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts['contracts'])} kept, 0 broken." in result.stdout


def test_domain_imports_only_the_standard_library() -> None:
    assert non_stdlib_imports(PACKAGE, "domain") == []


# --- the checkers catch a planted violation ------------------------------------------------


def plant_package(tmp_path: Path, name: str, imports: dict[str, str]) -> Path:
    """A package named ``name`` with the same top-level packages as mentiondesk (and an empty
    ``storage.repositories``), each an empty module except those given in ``imports``
    (subpackage -> source of its ``__init__``)."""
    root = tmp_path / name
    for child in PACKAGE.iterdir():
        if child.is_dir() and (child / "__init__.py").exists():
            (root / child.name).mkdir(parents=True)
            (root / child.name / "__init__.py").write_text(imports.get(child.name, ""))
        elif child.suffix == ".py":
            root.mkdir(parents=True, exist_ok=True)
            (root / child.name).write_text("")
    (root / "storage" / "repositories").mkdir()
    (root / "storage" / "repositories" / "__init__.py").write_text("")
    (root / "storage" / "repositories" / "x.py").write_text("")
    return root


def planted_config(tmp_path: Path, name: str) -> Path:
    """The project's own contracts, aimed at the planted package ``name`` (without their
    ``ignore_imports``: the exceptions name modules of the real package)."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = [f'[tool.importlinter]\nroot_package = "{name}"\n']
    for contract in settings["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            if key != "ignore_imports":
                lines.append(f"{key} = {_toml(value, name)}")
        lines.append("")
    config = tmp_path / "contracts.toml"
    config.write_text("\n".join(lines))
    return config


def _toml(value: object, name: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item, name) for item in value) + "]"
    text = str(value).replace("mentiondesk", name)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        ({"storage": "from plantedpkg.replies import x\n"}, "plantedpkg.storage is not allowed"),
        ({"listening": "import plantedpkg.desk\n"}, "plantedpkg.listening is not allowed"),
        ({"connectors": "from plantedpkg import storage\n"}, "plantedpkg.connectors"),
        ({"domain": "from plantedpkg.triage import x\n"}, "plantedpkg.domain is not allowed"),
        ({"web": "from plantedpkg.storage.repositories import x\n"}, "repositories"),
    ],
    ids=[
        "storage-imports-replies",
        "listening-imports-desk",
        "connectors-import-storage",
        "domain-imports-triage",
        "web-imports-a-repository",
    ],
)
def test_import_linter_fails_on_a_planted_violation(
    tmp_path: Path, imports: dict[str, str], expected: str
) -> None:
    plant_package(tmp_path, "plantedpkg", imports)
    result = run_import_linter(planted_config(tmp_path, "plantedpkg"), tmp_path, tmp_path)
    assert result.returncode != 0, result.stdout
    assert expected in result.stdout


def test_import_linter_passes_the_planted_tree_without_a_violation(tmp_path: Path) -> None:
    root = plant_package(tmp_path, "plantedpkg", {"desk": "from plantedpkg.domain import x\n"})
    (root / "domain" / "x.py").write_text("import datetime\n")
    result = run_import_linter(planted_config(tmp_path, "plantedpkg"), tmp_path, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_linter_fails_on_a_planted_circle_between_cli_modules(tmp_path: Path) -> None:
    root = plant_package(tmp_path, "plantedpkg", {})
    (root / "cli" / "main.py").write_text("from plantedpkg.cli import sla\n")
    (root / "cli" / "sla.py").write_text("from plantedpkg.cli.main import app\n")
    result = run_import_linter(planted_config(tmp_path, "plantedpkg"), tmp_path, tmp_path)
    assert result.returncode != 0, result.stdout
    assert "No circle between CLI modules" in result.stdout


def test_the_stdlib_checker_names_a_planted_third_party_import(tmp_path: Path) -> None:
    root = plant_package(tmp_path, "plantedpkg", {"domain": "from __future__ import annotations\n"})
    (root / "domain" / "rows.py").write_text(
        "import datetime\nfrom sqlalchemy import Table\nfrom . import other\n"
    )
    (root / "domain" / "other.py").write_text("from ..storage import tables\n")
    assert non_stdlib_imports(root, "domain") == [
        "plantedpkg.domain.other -> plantedpkg.storage",
        "plantedpkg.domain.rows -> sqlalchemy",
    ]
