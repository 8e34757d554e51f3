"""Any operation's code is found on the first try (README, "Layout"): root field `fooBar` is
the method `foo_bar` of a root class in resolvers/, and the README's map says which module."""

from __future__ import annotations

import re
from pathlib import Path

from strawberry.types.base import StrawberryObjectDefinition

from graphql_schema.schema import schema

README = Path(__file__).resolve().parents[2] / "README.md"
MAP_ROW = re.compile(r"^\| `(resolvers/\w+\.py)` \| (.+) \|$")


def root_fields() -> dict[str, tuple[str, str]]:
    """GraphQL root field name -> (module path, function name) of the code serving it."""
    found: dict[str, tuple[str, str]] = {}
    for name in ("Query", "Mutation", "Subscription"):
        root = schema.get_type_by_name(name)
        assert isinstance(root, StrawberryObjectDefinition)
        for field in root.fields:
            assert field.base_resolver is not None, f"{name}.{field.python_name} has no resolver"
            function = field.base_resolver.wrapped_func
            module = function.__module__.replace(".", "/") + ".py"
            found[schema.config.name_converter.from_field(field)] = (module, function.__name__)
    return found


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def readme_map() -> dict[str, str]:
    """Root field -> module, as the README's table of root fields states it."""
    stated: dict[str, str] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        row = MAP_ROW.match(line)
        if row:
            for field in re.findall(r"`(\w+)`", row.group(2)):
                stated[field] = row.group(1)
    return stated


def test_every_root_field_is_a_method_named_after_it_in_resolvers() -> None:
    # given / when
    fields = root_fields()

    # then
    misplaced = {
        field: where
        for field, where in fields.items()
        if not where[0].startswith("resolvers/") or where[1] != snake_case(field)
    }
    assert len(fields) >= 40
    assert misplaced == {}


def test_the_readme_map_names_the_module_that_serves_each_field() -> None:
    # given
    served = {field: module for field, (module, _) in root_fields().items()}

    # when
    stated = readme_map()

    # then
    assert stated["redeemReward"] == "resolvers/rewards.py"
    wrong = {f: (m, served.get(f)) for f, m in stated.items() if served.get(f) != m}
    assert wrong == {}, "README map -> (stated, actual module)"
