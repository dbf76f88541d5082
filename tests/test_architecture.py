"""The package's layers: each subpackage imports only from the layers below it (lazy imports
included), no import cycles, no private name imported across modules."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "symcrit"
LAYERS = ["core", "model", "symmetry", "critical", "spectra", "asymptotics", "landscape", "report", "cli"]


def _modules() -> dict[str, Path]:
    out = {}
    for p in ROOT.rglob("*.py"):
        rel = p.relative_to(ROOT.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _resolve(mod: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = mod.split(".")
    if not MODULES[mod].name == "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(mod: str) -> list[tuple[str, str | None]]:
    """(imported module, imported name or None) for every import statement, at any depth."""
    tree = ast.parse(MODULES[mod].read_text())
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, None) for a in node.names if a.name.startswith("symcrit")]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(mod, node)
            if target.startswith("symcrit"):
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    out.append((sub, None) if sub in MODULES else (target, a.name))
    return out


def _layer(mod: str) -> int | None:
    if mod == "symcrit.__main__":  # `python -m symcrit`: the command line, above every layer
        return LAYERS.index("cli")
    parts = mod.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_belongs_to_a_layer():
    loose = [m for m in MODULES if m != "symcrit" and _layer(m) is None]
    assert loose == []


def test_layers_import_only_downwards():
    bad = []
    for mod in MODULES:
        lm = _layer(mod)
        if lm is None:
            continue
        for target, _ in _imports(mod):
            lt = _layer(target)
            if target == "symcrit" or (lt is not None and lt > lm):
                bad.append(f"{mod} imports {target}")
    assert bad == []


def test_no_private_name_imported_across_modules():
    bad = [f"{mod} imports {t}.{name}" for mod in MODULES for t, name in _imports(mod)
           if name is not None and name.startswith("_") and not name.startswith("__") and t != mod]
    assert bad == []


def test_no_import_cycles():
    graph = {m: {t for t, _ in _imports(m) if t in MODULES and t != m} for m in MODULES if m != "symcrit"}
    for m in graph:  # a subpackage's __init__ is not a dependency of its own modules
        graph[m] = {t for t in graph[m] if not m.startswith(t + ".")}
    cycles = []
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in graph.get(m, ()):
            if state.get(t) == 1:
                cycles.append(path[path.index(t):] + [t] if t in path else [m, t])
            elif t not in state:
                visit(t, path + [t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


@pytest.mark.parametrize("pkg", LAYERS)
def test_each_layer_says_what_it_owns(pkg):
    doc = ast.get_docstring(ast.parse((ROOT / pkg / "__init__.py").read_text()))
    assert doc and "Layer" in doc


#: attributes of other libraries that are their documented way in (mpmath's exact mantissa-exponent)
FOREIGN = {"_mpf_"}


def test_no_private_attribute_read_across_modules():
    """``obj._name`` only where ``_name`` is defined in the same module (or on self / cls)."""
    bad = []
    for mod, path in MODULES.items():
        tree = ast.parse(path.read_text())
        defined = set()
        for n in ast.walk(tree):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(n.name)
            elif isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store):
                defined.add(n.attr)
            elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                defined.add(n.id)
        for n in ast.walk(tree):
            if isinstance(n, ast.Attribute) and n.attr.startswith("_") and not n.attr.startswith("__"):
                if isinstance(n.value, ast.Name) and n.value.id in ("self", "cls"):
                    continue
                if n.attr not in defined and n.attr not in FOREIGN:
                    bad.append(f"{mod}:{n.lineno} reads .{n.attr}")
    assert bad == []


TESTS = Path(__file__).resolve().parent


def test_every_module_has_its_test_file():
    """symcrit/<layer>/<m>.py is tested in tests/<layer>/test_<m>.py (CLI: tests/cli/test_<group>.py)."""
    missing = [f"tests/{p.parent.name}/test_{p.stem}.py" for p in sorted(ROOT.glob("*/*.py"))
               if p.stem not in ("__init__", "__main__") and p.parent.name in LAYERS
               and not (TESTS / p.parent.name / f"test_{p.stem}.py").exists()]
    assert missing == []


def test_every_test_file_mirrors_a_module():
    """No per-topic test files: tests/<layer>/test_<x>.py only for a module symcrit/<layer>/<x>.py,
    so that test file names are unique across the folders (pytest's default import mode needs it)."""
    stray = [str(p.relative_to(TESTS)) for p in sorted(TESTS.glob("*/test_*.py"))
             if not (ROOT / p.parent.name / f"{p.stem[5:]}.py").exists()]
    assert stray == []
