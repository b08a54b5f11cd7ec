"""Which installed distributions the code needs, and whether a requirements file provides them.

A fresh ``pip install -r requirements.txt`` installs the listed distributions and what they
require (without their extras). The code needs the distribution of every third-party module
it imports, and also of the modules that a library imports lazily inside the functions the
code calls: networkx's ``pagerank`` imports scipy only when called, so no import statement
of ours names scipy, yet the Network page breaks without it.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata as md
import inspect
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
# The project's own top-level modules and packages: imported, never installed.
LOCAL = {"tracker", "tests", "benchmarks", "pages", "app", "migrations", "tools"}
# How deep to follow a library function into the helpers it calls in its own module.
_TRACE_DEPTH = 4


@dataclass(frozen=True, order=True)
class Need:
    """A top-level module the code needs, and where the need comes from (file and why)."""

    module: str
    where: str


def python_files(*folders_or_files: str) -> list[Path]:
    """Every .py file under the given paths (relative to the project root)."""
    found: list[Path] = []
    for name in folders_or_files:
        path = ROOT / name
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return found


def needs(files: Iterable[Path]) -> set[Need]:
    """The third-party top-level modules that ``files`` import, directly or through a
    library function they call that imports more when called."""
    result: set[Need] = set()
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = str(path.relative_to(ROOT))
        aliases = _module_aliases(tree)
        for module in {m.split(".")[0] for m in aliases.values()} | _plain_imports(tree):
            if _third_party(module):
                result.add(Need(module, where))
        for dotted in _attribute_uses(tree, aliases):
            for module in _lazy_imports_of(dotted):
                result.add(Need(module, f"{where} ({dotted})"))
    return result


def _third_party(module: str) -> bool:
    return module not in LOCAL and module not in sys.stdlib_module_names and module != "__future__"


def _plain_imports(tree: ast.AST) -> set[str]:
    """Top-level names of every absolute import, at any depth of the file."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _module_aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> dotted module, for names bound to third-party modules
    (``import networkx as nx``; ``from networkx.algorithms import bipartite``)."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                top = a.name.split(".")[0]
                if _third_party(top):
                    aliases[a.asname or top] = a.name if a.asname else top
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not _third_party(node.module.split(".")[0]):
                continue
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    return aliases


def _attribute_uses(tree: ast.AST, aliases: dict[str, str]) -> set[str]:
    """Dotted names used through a module alias: ``nx.pagerank`` -> "networkx.pagerank";
    a name imported from a module (``from x import f``) counts as used too."""
    used = set(aliases.values())
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts: list[str] = []
            cur: ast.expr = node
            while isinstance(cur, ast.Attribute):
                parts.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name) and cur.id in aliases:
                used.add(".".join([aliases[cur.id], *reversed(parts)]))
    return used


def _resolve(dotted: str) -> Any:
    """The object a dotted name refers to, or None when it does not resolve."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            # Only through modules and classes: an attribute of an object (a proxy like
            # st.session_state) may do work when read.
            if not isinstance(obj, ModuleType | type):
                return None
            obj = getattr(obj, attr, None)
        return obj
    return None


def _lazy_imports_of(dotted: str) -> set[str]:
    """Third-party modules that the library function ``dotted`` imports when called, other
    than its own package (found in its body and in the helpers of its module it calls)."""
    func = _resolve(dotted)
    if not inspect.isfunction(func):
        return set()  # classes, constants and objects: their code runs outside this trace
    func = inspect.unwrap(getattr(func, "orig_func", func))  # networkx's dispatch wrapper
    own = dotted.split(".")[0]
    return {m for m in _traced(func.__module__, func.__name__, _TRACE_DEPTH) if m != own}


@cache
def _module_functions(module_name: str) -> dict[str, ast.FunctionDef]:
    module = sys.modules.get(module_name) or importlib.import_module(module_name)
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return {}
    tree = ast.parse(source)
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


@cache
def _traced(module_name: str, func_name: str, depth: int) -> frozenset[str]:
    node = _module_functions(module_name).get(func_name)
    if node is None or depth == 0:
        return frozenset()
    found = {m for m in _required_imports(node) if _third_party(m)}
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            found |= _traced(module_name, call.func.id, depth - 1)
    return frozenset(found)


def _required_imports(func: ast.FunctionDef) -> set[str]:
    """Imports in a function body that it cannot do without: those guarded by
    ``try: ... except ImportError`` are optional, and those under a test of the Python
    version (or TYPE_CHECKING) are for another Python or for type checkers: left out."""
    optional: set[int] = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            optional.update(id(n) for stmt in node.body for n in ast.walk(stmt))
        elif isinstance(node, ast.If) and _version_or_typing_test(node.test):
            optional.update(id(n) for stmt in node.body + node.orelse for n in ast.walk(stmt))
    body = ast.Module(
        body=[
            n
            for n in ast.walk(func)
            if id(n) not in optional and isinstance(n, ast.Import | ast.ImportFrom)
        ],
        type_ignores=[],
    )
    return _plain_imports(body)


def _version_or_typing_test(test: ast.expr) -> bool:
    names = {
        n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", None) for n in ast.walk(test)
    }
    return bool(names & {"version_info", "TYPE_CHECKING"})


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(
        isinstance(n, ast.Name) and n.id in {"ImportError", "ModuleNotFoundError"} for n in names
    )


def requirement_names(text: str, base: Path = ROOT) -> set[str]:
    """Canonical names of the distributions a requirements text lists (following ``-r``),
    with the extras they ask for as ``name[extra]``."""
    names: set[str] = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ")):
            included = base / line.split(None, 1)[1]
            names |= requirement_names(included.read_text(encoding="utf-8"), included.parent)
            continue
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue  # pip options (--index-url ...) install nothing themselves
        name = canonicalize_name(req.name)
        names.add(name)
        names.update(f"{name}[{extra}]" for extra in req.extras)
    return names


def installed_by(text: str, base: Path = ROOT) -> set[str]:
    """Canonical names of every distribution that ``pip install -r`` of ``text`` installs:
    the listed ones and, recursively, what they require (with the extras asked for)."""
    todo = sorted(requirement_names(text, base))
    seen: set[str] = set()
    while todo:
        entry = todo.pop()
        if entry in seen:
            continue
        seen.add(entry)
        name, _, extra = entry.partition("[")
        seen.add(name)
        try:
            requires = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        env = {"extra": extra.rstrip("]")}
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate(env):
                dep = canonicalize_name(req.name)
                todo.extend([dep, *(f"{dep}[{x}]" for x in req.extras)])
    return {n for n in seen if "[" not in n}


def missing(needed: Iterable[Need], provided: set[str]) -> list[str]:
    """Each needed module whose distribution the requirements do not install, with where it
    is needed; a module that no installed distribution provides is reported as such."""
    by_module = md.packages_distributions()
    where: dict[str, list[str]] = {}
    for need in sorted(needed):
        where.setdefault(need.module, []).append(need.where)
    problems: list[str] = []
    for module, places in where.items():
        dists = {canonicalize_name(d) for d in by_module.get(module, [])}
        if not dists:
            problems.append(
                f"{module}: no installed distribution provides it; needed by {', '.join(places)}"
            )
        elif not dists & provided:
            problems.append(
                f"{module} (distribution {', '.join(sorted(dists))}): needed by {', '.join(places)}"
            )
    return problems
