"""How the packaging scripts take the network away from what they run: a network
namespace of its own on Linux (``unshare --net``: only a loopback that is down),
nothing elsewhere, where the caller says so."""

from __future__ import annotations

import shutil
import subprocess
import sys


def network_isolation() -> list[str]:
    """The command prefix that runs a program with no network, or [] where this
    system cannot (then the caller notes that the network was present)."""
    unshare = shutil.which("unshare")
    if sys.platform == "linux" and unshare:
        if subprocess.run([unshare, "--net", "true"], capture_output=True).returncode == 0:
            return [unshare, "--net"]
    return []
