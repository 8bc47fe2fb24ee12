"""The pipeline's layers: writers draw the plan only, and no module imports its way in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import slidegen

PACKAGE = Path(slidegen.__file__).parent
#: The stages before the plan: a writer that imports one of them is reaching behind the plan.
BEHIND_THE_PLAN = ("read", "i18n", "bib", "resolve", "layout", "build")
#: Modules every stage may use.
CORE = {"slidegen.errors", "slidegen.markup", "slidegen.plan", "slidegen.fonts", "slidegen.atomic"}
#: Writers that still walk the model, each with the work that removes it.
NOT_YET_ON_THE_PLAN: set[str] = set()


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every slidegen module `name` imports, at its top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            candidates = [module, *(f"{module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        else:
            continue
        found.update(c for c in candidates if c in known and c != name)
    return found


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(name, path, known) for name, path in known.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_its_way_in_a_circle() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_writers_import_only_the_plan_and_the_core() -> None:
    offending = {
        name: sorted(m for m in imports if m.split(".")[1] in BEHIND_THE_PLAN)
        for name, imports in _graph().items()
        if name.startswith("slidegen.write.") and name not in NOT_YET_ON_THE_PLAN
    }
    assert {name: mods for name, mods in offending.items() if mods} == {}


def test_the_writers_check_sees_a_writer_reaching_behind_the_plan(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from ..read.model import Slide\n", encoding="utf-8")
    known = {"slidegen.write.probe": probe, "slidegen.read.model": Path("model.py")}
    assert _imports("slidegen.write.probe", probe, known) == {"slidegen.read.model"}


def test_no_stage_imports_the_build_or_the_command_line() -> None:
    graph = _graph()
    upward = {
        name: sorted(m for m in imports if m.startswith(("slidegen.build", "slidegen.cli")))
        for name, imports in graph.items()
        if not name.startswith(("slidegen.build", "slidegen.cli", "slidegen.api"))
        and name not in ("slidegen", "slidegen.__main__", "slidegen.command")  # the entry
    }
    assert {n: m for n, m in upward.items() if m} == {}


def test_the_layout_does_not_import_a_writer() -> None:
    reaching = {
        name: sorted(m for m in imports if m.startswith("slidegen.write"))
        for name, imports in _graph().items()
        if name.startswith("slidegen.layout")
    }
    assert {name: mods for name, mods in reaching.items() if mods} == {}
