"""Real second processes for the tests: another instance holding a desk, a process
killed mid-work. Nothing is simulated in-process where a process is the point."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HOLD_DESK = """
import sys, time
from pathlib import Path
from nsdesk.services.desk import open_desk
desk = open_desk(Path(sys.argv[1]))
print("ready", flush=True)
time.sleep(600)
"""


def python(
    code: str, *args: str, env: dict[str, str] | None = None, stdin: bool = False
) -> subprocess.Popen:
    """Start ``python -c code args`` with this test's environment (NSDESK_HOME…);
    ``stdin`` gives it a pipe to read from (to tell it when to start)."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE if stdin else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def wait_for(process: subprocess.Popen, word: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if word in line:
            return
        if process.poll() is not None:
            raise RuntimeError(f"child ended early: {process.stderr.read()}")
    raise TimeoutError(f"child never said {word!r}")


@contextmanager
def desk_held_by_another_process(desk: Path):
    """A second nsdesk process that has ``desk`` open for editing."""
    child = python(HOLD_DESK, str(desk))
    try:
        wait_for(child, "ready")
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def kill_hard(process: subprocess.Popen) -> None:
    """kill -9: no clean-up, no atexit, like a power cut for that process."""
    process.kill()
    process.wait()
