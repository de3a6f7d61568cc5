"""nsdesk opens no network connection, ever: the journeys run under a Python audit
hook that records every socket event, and any event fails the test.

The hook sees every socket opened through Python (nsdesk and its Python libraries);
it does not see Qt's own C++ sockets, of which the app uses none (no QtNetwork).
"""

import subprocess
import sys

HOOK = r"""
import os, sys
events = []
def hook(event, args):
    if event.startswith("socket.") and event != "socket.gethostname":
        events.append((event, repr(args)[:120]))
sys.addaudithook(hook)
"""

JOURNEYS = (
    HOOK
    + r"""
from pathlib import Path
from nsdesk.cli import main
folder = Path(sys.argv[1])
desk = folder / "journey.nsdesk"
assert main(["init", str(desk), "--state", "NLD"]) == 0
assert main(["demo", str(folder / "demo.nsdesk")]) == 0
assert main(["check", str(desk)]) == 0
assert main(["backup", str(desk), "--to", str(folder / "copy.nsdesk")]) == 0
assert main(["restore", str(desk), "--from", str(folder / "copy.nsdesk")]) == 0

from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
with open_desk(desk) as opened:
    ref = RecordService(opened).create("commitment", {"title": "Offline only"}).key
    RecordService(opened).record_progress(ref, status="completed")

os.environ["NSDESK_STARTUP_PROBE"] = "1"
from nsdesk.app import run_app
assert run_app(folder / "demo.nsdesk") == 0

print("SOCKET EVENTS:", events)
sys.exit(1 if events else 0)
"""
)


def test_no_journey_opens_a_socket(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", JOURNEYS, str(tmp_path)], capture_output=True, text=True, timeout=240
    )
    assert "SOCKET EVENTS: []" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0
    assert "nsdesk-probe data_shown" in result.stdout  # the app really showed the desk


def test_the_hook_does_catch_a_socket(tmp_path):
    code = HOOK + (
        "import socket\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=0.1)\n"
        "except OSError:\n    pass\n"
        "print('SOCKET EVENTS:', events)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "socket.connect" in result.stdout
