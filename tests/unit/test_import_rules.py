"""The arrows of the house run one way (ARCHITECTURE.md): read every import statement.

- nothing outside `api/` imports `api` (the entry point wires the rooms; no room reaches up);
- `loyalty/` (the domain) imports no adapter or GraphQL room;
- `graphql_schema/` declares types and never imports `resolvers/`; only `schema.py`, which
  assembles the root types, does.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BELOW_API = (
    "graphql_schema",
    "resolvers",
    "loyalty",
    "mongo",
    "notifications",
    "imaging",
    "integrations",
    "console",
)
NOT_FOR_THE_DOMAIN = (
    "api",
    "graphql_schema",
    "resolvers",
    "mongo",
    "notifications",
    "imaging",
    "integrations",
    "console",
)


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) for every import in `source`, nested ones included."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return sorted(found)


def is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def offences(
    rooms: tuple[str, ...], forbidden: tuple[str, ...], skip: tuple[str, ...] = ()
) -> list[str]:
    """Every `file:line imports module` in `rooms` that imports one of `forbidden`."""
    found: list[str] = []
    for room in rooms:
        for path in sorted((ROOT / room).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative in skip:
                continue
            for line, module in imported_modules(path.read_text(encoding="utf-8")):
                if any(is_within(module, package) for package in forbidden):
                    found.append(f"{relative}:{line} imports {module}")
    return found


def test_the_reader_sees_every_kind_of_import() -> None:
    # given
    source = (
        "import api\n"
        "import os, api.events as ev\n"
        "from api.auth import authenticate\n"
        "from . import sibling\n"
        "def late():\n"
        "    from api.app import create_app\n"
    )

    # when
    found = imported_modules(source)

    # then
    assert found == [(1, "api"), (2, "api.events"), (2, "os"), (3, "api.auth"), (6, "api.app")]
    assert [m for _, m in found if is_within(m, "api")] == [
        "api",
        "api.events",
        "api.auth",
        "api.app",
    ]
    assert not is_within("apiary", "api")


def test_no_module_outside_api_imports_api() -> None:
    # given every room below the entry point / when its imports are read
    found = offences(BELOW_API, ("api",))

    # then
    assert found == [], "only api/ may import api:\n" + "\n".join(found)


def test_the_domain_imports_no_adapter_and_no_graphql() -> None:
    # given loyalty/ / when its imports are read
    found = offences(("loyalty",), NOT_FOR_THE_DOMAIN)

    # then
    assert found == [], "loyalty/ imports only loyalty/ and libraries:\n" + "\n".join(found)


def test_graphql_types_never_import_resolvers_only_the_schema_assembles_them() -> None:
    # given graphql_schema/ but schema.py / when their imports are read
    found = offences(("graphql_schema",), ("resolvers",), skip=("graphql_schema/schema.py",))

    # then
    assert found == [], "graphql_schema/ holds types; resolvers/ imports them:\n" + "\n".join(found)
