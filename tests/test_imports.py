"""A reader finds a module's dependencies at its top: an import inside a function
is a start-up seam (a heavy module only some action needs), and says so in a
``# lazy:`` comment on a line of its block of imports or in the comment just above it."""

from __future__ import annotations

import ast
from pathlib import Path

import nsdesk

PACKAGE = Path(nsdesk.__file__).parent


def unexplained_imports(path: Path, root: Path = PACKAGE) -> list[str]:
    """The function-local imports of ``path`` with no ``# lazy:`` reason, named
    from ``root``."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for function in ast.walk(ast.parse(text)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        imports = [n for n in ast.walk(function) if isinstance(n, ast.Import | ast.ImportFrom)]
        in_block = {line for n in imports for line in range(n.lineno, (n.end_lineno or 0) + 1)}
        for node in imports:
            block = _block_of(node.lineno, in_block)
            if any("# lazy:" in lines[line - 1] for line in block):
                continue
            above = min(block) - 2  # the comment lines just above the block
            reasons = []
            while above >= 0 and lines[above].strip().startswith("#"):
                reasons.append(lines[above])
                above -= 1
            if not any("# lazy:" in line for line in reasons):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {lines[node.lineno - 1]}")
    return sorted(set(found))


def _block_of(line: int, in_block: set[int]) -> set[int]:
    """The lines of the run of consecutive import lines holding ``line``."""
    block = {line}
    while min(block) - 1 in in_block:
        block.add(min(block) - 1)
    while max(block) + 1 in in_block:
        block.add(max(block) + 1)
    return block


def test_every_function_local_import_says_why_it_waits():
    modules = list(PACKAGE.rglob("*.py"))
    assert len(modules) > 150
    unexplained = [line for path in modules for line in unexplained_imports(path)]
    assert unexplained == []


def test_an_import_without_its_reason_is_found(tmp_path):
    module = tmp_path / "flow.py"
    module.write_text(
        "def start():\n"
        "    # lazy: the dialog loads when first asked for\n"
        "    from a import b\n"
        "    from c import d\n"
        "\n"
        "def other():\n"
        "    import e  # lazy: only the export needs it\n"
        "\n"
        "    import f\n",
        encoding="utf-8",
    )
    assert unexplained_imports(module, tmp_path) == ["flow.py:9:     import f"]
