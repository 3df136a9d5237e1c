"""Who may import whom: the layers of the code base and the one rule of each.

A module's layer is named by its package (docs/ARCHITECTURE.md). A layer may
import itself and the layers listed for it, never one above: the lower layers
never lean on the higher ones, so each can be read, tested and replaced alone.
The entry points (the app, the CLIs, the benchmarks) may import anything.
tests/unit/test_layers.py runs `violations()` over the whole tree.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The packages and modules of ours: an import of any other name is a library's.
OURS = (
    "core",
    "settings",
    "store",
    "data",
    "etl",
    "components",
    "auth",
    "intake",
    "wall",
    "pages",
    "app",
    "shell",
    "api",
    "downloads",
    "bench",
    "tools",
    "gunicorn",
)
# Entry points: they put the layers together and may import any of them.
ENTRY = (
    "app",
    "shell",
    "api",
    "downloads",
    "gunicorn.conf",
    "bench",
    "tools",
    "etl.__main__",
    "auth.__main__",
)
# layer: the layers it may import (besides itself), lowest first.
ALLOWED: dict[str, tuple[str, ...]] = {
    "core": (),
    "settings": ("core",),
    "store": ("core", "settings"),
    "data": ("core", "settings"),
    "etl": ("core", "settings", "data", "store"),
    "components": ("core", "data.schema"),
    "auth": ("core", "settings", "store", "data", "components"),
    "intake": ("core", "settings", "store", "data", "etl", "components", "auth"),
    "wall": ("core", "settings", "store", "data", "components", "auth"),
    "pages": (
        "core",
        "settings",
        "store",
        "data.queries",
        "data.schema",
        "components",
        "auth",
        "intake",
        "wall",
    ),
}
WHY = {
    "core": "the bottom layer imports nothing of ours",
    "settings": "configuration reads the environment, no layer of the app",
    "store": "the operational store knows no feature above it",
    "data": "the data layer takes a Scope (core), never auth's web side",
    "etl": "the ETL writes the warehouse; the app's sides are its CLI's business",
    "components": "components are pure builders: what they show comes as arguments",
    "auth": "sign-in and scopes sit below the pages and the wall",
    "intake": "the receiving side (inbox, signatures) sits below the pages",
    "wall": "the wall sits below the pages that drive it",
    "pages": "pages reach data only through data.queries",
}


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str
    layer: str

    def __str__(self) -> str:
        return (
            f"{self.module}:{self.line} imports {self.imported}: "
            f"{WHY.get(self.layer, self.layer)}"
        )


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_of(module: str) -> str | None:
    """The layer of one of our modules (None: an entry point)."""
    if any(_within(module, entry) for entry in ENTRY):
        return None
    return module.split(".")[0]


def _ours(name: str) -> bool:
    return name.split(".")[0] in OURS


def imported_names(source: str, module: str) -> Iterator[tuple[int, str]]:
    """(line, module name) of every import of ours in `source`, at any depth
    (an import inside a function counts too)."""
    package = module.rsplit(".", 1)[0] if "." in module else ""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the module's package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([p for p in parts if p] + ([base] if base else []))
            if base in OURS or not base:
                # `from data import queries`: each name may be a module
                for alias in node.names:
                    yield node.lineno, f"{base}.{alias.name}" if base else alias.name
            else:
                yield node.lineno, base


def allowed(layer: str, imported: str) -> bool:
    top = imported.split(".")[0]
    if top == layer:
        return True
    return any(_within(imported, target) for target in ALLOWED.get(layer, ()))


def check_module(module: str, source: str) -> list[Violation]:
    layer = layer_of(module)
    if layer is None or layer not in ALLOWED:
        return []
    return [
        Violation(module, line, name, layer)
        for line, name in imported_names(source, module)
        if _ours(name) and not allowed(layer, name)
    ]


def modules(root: Path = ROOT) -> Iterable[tuple[str, Path]]:
    """Every module of ours under `root` (tests and the venv aside)."""
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[0] in ("tests", ".venv", "assets") or parts[0].startswith("."):
            continue
        if parts[0] not in OURS:
            continue
        name = ".".join(p for p in parts if p != "__init__")
        yield name, path


def violations(root: Path = ROOT) -> list[Violation]:
    found = []
    for name, path in modules(root):
        found += check_module(name, path.read_text(encoding="utf-8"))
    return found


if __name__ == "__main__":
    problems = violations()
    for v in problems:
        print(v)
    raise SystemExit(1 if problems else 0)
