"""List product modules over 400 lines and functions over 60 lines (the house's size rule).

Run it from the repository root: `.venv/bin/python tools/shape.py`. Tests and migrations are left
out. It exits 1 when something is over a limit, so it can run in CI.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_LIMIT = 400
FUNCTION_LIMIT = 60


def over_the_limits(package: Path) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        lines = text.count("\n")
        if lines > MODULE_LIMIT:
            found.append(f"module {name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LIMIT:
                    found.append(f"function {name}:{node.lineno} {node.name}: {length} lines")
    return found


def main() -> int:
    found = over_the_limits(ROOT / "alongside")
    print("\n".join(found) or "No module over 400 lines, no function over 60 lines.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
