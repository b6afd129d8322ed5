"""The shape of the package, enforced: no import cycles, every domain a registered plug-in,
each domain's check independent of its derivation, and no domain named in generic code.

The import graph is read from the source (``ast``), not from ``sys.modules``: every
``import``/``from ... import`` counts wherever it stands (inside a function too), and so does
``importlib.import_module("...")`` with a literal name. Importing a submodule also imports its
parent package at run time; that implicit edge is not counted (a package's ``__init__`` may
import its own modules).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import diagram_engine
from diagram_engine.core import Domain
from diagram_engine.core.registry import DOMAINS

PKG = Path(diagram_engine.__file__).resolve().parent
DOMAIN_PACKAGES = sorted(p.parent.name for p in (PKG / "domains").glob("*/__init__.py"))

# modules that drive every domain alike: they may name no domain
GENERIC = ["__init__.py", "cli.py", "dataset.py", "pipeline.py", "rules.py", "formats.py", "reference.py",
           "resources.py", "validate.py", "seeding.py", "audit.py", "core/*.py", "domains/__init__.py"]

# what a domain's independent check may import from the package
CHECK_MAY_IMPORT = {"diagram_engine.errors", "diagram_engine.expr"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _imports(module: str) -> set[str]:
    """The package's modules ``module`` imports, explicitly, anywhere in its source."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node.level, node.module)
            for a in node.names:        # `from pkg import submodule` imports the submodule
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            target = node.args[0].value
            if target.startswith("."):
                level = len(target) - len(target.lstrip("."))
                target = _resolve(module, is_package, level, target.lstrip(".") or None)
            found.add(target)
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: _imports(m) for m in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_is_read_from_the_source():
    assert "diagram_engine.core.contract" in GRAPH["diagram_engine.core"]
    assert "diagram_engine.core.registry" in GRAPH["diagram_engine.pipeline"]
    # a function-level import counts
    assert any("diagram_engine.core.schema" in deps for deps in GRAPH.values())


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_package_has_no_import_cycles():
    assert _cycles(GRAPH) == []


def test_every_domain_package_registers_one_contract_domain():
    assert len(DOMAINS) == len(DOMAIN_PACKAGES)
    assert list(DOMAINS) == sorted(DOMAINS)
    for name, dom in DOMAINS.items():
        assert isinstance(dom, Domain), name
        assert type(dom).__module__.split(".")[2] in DOMAIN_PACKAGES
        assert dom.name == name and dom.doc and "\n" not in dom.doc


@pytest.mark.parametrize("package", DOMAIN_PACKAGES)
def test_each_domain_checks_in_its_own_module_that_never_sees_the_derivation(package):
    module = f"diagram_engine.domains.{package}.check"
    assert module in MODULES, f"{package} has no check.py"
    allowed = CHECK_MAY_IMPORT
    assert GRAPH[module] <= allowed, f"{module} imports {sorted(GRAPH[module] - allowed)}"


def _generic_files() -> list[Path]:
    out: list[Path] = []
    for pattern in GENERIC:
        out += sorted(PKG.glob(pattern))
    return out


def test_generic_modules_name_no_domain():
    names = set(DOMAINS) | set(DOMAIN_PACKAGES)
    offences = []
    for path in _generic_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
                offences.append(f"{path.relative_to(PKG)}:{node.lineno}: {node.value!r}")
            if isinstance(node, ast.ImportFrom) and node.module and any(
                    f"domains.{p}" in f".{node.module}" or node.module == p for p in DOMAIN_PACKAGES):
                offences.append(f"{path.relative_to(PKG)}:{node.lineno}: imports {node.module}")
    assert offences == []


def test_the_generic_list_names_real_files():
    assert len(_generic_files()) >= len(GENERIC)
