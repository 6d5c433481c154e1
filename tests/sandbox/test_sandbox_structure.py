"""The sandbox's modules form a tree, stay small, and take Cognito's vocabulary from core."""

from __future__ import annotations

import ast
from pathlib import Path

import cognito_tui.sandbox as package
from cognito_tui.core.challenges import CHALLENGE_NAMES
from cognito_tui.core.flows import FLOWS, POOL_ID_RE

ROOT = Path(package.__file__).parent
PREFIX = "cognito_tui.sandbox."


def _imports(path: Path) -> set[str]:
    """Every sandbox module this file imports, at the top or inside a function (both make a cycle)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "cognito_tui.sandbox":
                found |= {alias.name for alias in node.names if (ROOT / f"{alias.name}.py").exists()}
            elif node.module.startswith(PREFIX):
                found.add(node.module[len(PREFIX) :].split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {a.name[len(PREFIX) :].split(".")[0] for a in node.names if a.name.startswith(PREFIX)}
    return found - {path.stem}


def test_no_import_cycles_among_sandbox_modules():
    graph = {p.stem: _imports(p) for p in ROOT.glob("*.py") if p.stem != "__init__"}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", f"import cycle: {' -> '.join([*trail, name])}"
        state[name] = "open"
        for target in sorted(graph.get(name, ())):
            visit(target, [*trail, name])
        state[name] = "done"

    for module in sorted(graph):
        visit(module, [])
    assert graph["choice"] <= {"errors", "sessions", "steps"} and "auth" not in graph["custom"]


def test_no_sandbox_module_over_500_lines():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in ROOT.rglob("*.py")}
    assert max(sizes.values()) <= 500, sorted(sizes.items(), key=lambda item: -item[1])[:3]


def test_vocabulary_comes_from_core():
    from cognito_tui.sandbox import seed, wsgi

    assert seed.AUTH_FLOWS == list(FLOWS) and seed._POOL_ID is POOL_ID_RE
    assert wsgi.WELL_KNOWN.match("/us-east-1_AbC123/.well-known/jwks.json")
    source = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.glob("*.py"))
    assert '"SELECT_MFA_TYPE", "MFA_SETUP"' not in source  # no second copy of the challenge names
    assert "CHALLENGE_NAMES" in (ROOT / "auth.py").read_text(encoding="utf-8") and len(CHALLENGE_NAMES) == 16


def test_one_class_named_cognito_error_in_the_project():
    project = ROOT.parent
    defined = [p for p in project.rglob("*.py") if "class CognitoError" in p.read_text(encoding="utf-8")]
    assert [p.relative_to(project).as_posix() for p in defined] == ["core/errors.py"]
