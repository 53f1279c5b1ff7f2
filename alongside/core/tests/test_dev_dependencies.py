"""factory-boy and Faker are dev dependencies: production installs neither, so no product module
may import them, nor a factories module that does (tests and factories modules may)."""

import ast
from pathlib import Path

import alongside

ROOT = Path(alongside.__file__).parent
TEST_DATA = ("factory", "faker")


def product_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts
        and path.name != "factories.py"
        and "migrations" not in path.parts
    ]


def imported_names(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def uses_test_data(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in TEST_DATA or parts[-1] == "factories"


def test_no_product_module_imports_factories_or_faker() -> None:
    offenders = {
        str(path.relative_to(ROOT)): name
        for path in product_modules()
        for name in imported_names(path)
        if uses_test_data(name)
    }

    assert offenders == {}


def test_the_demo_is_among_the_modules_checked() -> None:
    assert ROOT / "demo" / "seed.py" in product_modules()
