"""A reader finds a ui module's dependencies at its top: an import inside a function
is a start-up seam (a heavy module only some action needs), and says so in a
``# lazy:`` comment on its line or just above its block."""

from __future__ import annotations

import ast
from pathlib import Path

import nsdesk.ui

UI = Path(nsdesk.ui.__file__).parent
# Tuned for start-up on another branch of issue 17 at the same time: drop each
# from this set once that branch gives its function-local imports their reasons.
ELSEWHERE = {"main_window.py", "workspace/workspace_view.py"}


def unexplained_imports(path: Path, root: Path = UI) -> list[str]:
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
            if "# lazy:" in lines[node.lineno - 1]:
                continue
            above = node.lineno - 2  # the line above the block of imports this one is in
            while above >= 0 and (above + 1 in in_block or not lines[above].strip()):
                above -= 1
            if above < 0 or not lines[above].strip().startswith("# lazy:"):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {lines[node.lineno - 1]}")
    return sorted(set(found))


def test_every_function_local_import_in_the_ui_says_why_it_waits():
    modules = [p for p in UI.rglob("*.py") if p.relative_to(UI).as_posix() not in ELSEWHERE]
    assert len(modules) > 50
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
        "    import f\n",
        encoding="utf-8",
    )
    assert unexplained_imports(module, tmp_path) == ["flow.py:8:     import f"]
