"""How long can a periodic backup freeze the app? The GUI thread runs a 5 ms timer
and records how late each tick comes, first with nothing else going on, then
while the app's background helper backs up the desk, exactly as the app does.

    python pause_probe.py DESK        (prints ``pause_ms MAX BASELINE_MAX SECONDS``)
"""

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nsdesk.services.backups.backups import BackupReason, take_backup
from nsdesk.ui.background import Background

TICK_MS = 5


def measure(app: QApplication, seconds: float, start=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The worst lateness of a 5 ms tick over ``seconds`` (or until ``start``'s work ends)."""
    worst = [0.0]
    last = [time.perf_counter()]
    done = [start is None]
    began = time.perf_counter()

    def tick() -> None:
        now = time.perf_counter()
        worst[0] = max(worst[0], (now - last[0]) * 1000 - TICK_MS)
        last[0] = now
        if (done[0] and now - began >= seconds) or now - began > 120:
            timer.stop()
            app.quit()

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    if start is not None:
        start(lambda: done.__setitem__(0, True))
    app.exec()
    return worst[0], time.perf_counter() - began


def main() -> None:
    desk = Path(sys.argv[1])
    app = QApplication([])
    baseline, _ = measure(app, 1.0)
    background = Background()
    took = [0.0]

    def start(finished):  # type: ignore[no-untyped-def]
        began = time.perf_counter()

        def done(_info):  # type: ignore[no-untyped-def]
            took[0] = time.perf_counter() - began
            finished()

        background.run(lambda: take_backup(desk, BackupReason.PERIODIC), done)

    worst, _ = measure(app, 0.1, start)
    background.wait()
    print(f"pause_ms {worst:.1f} {baseline:.1f} {took[0]:.3f}", flush=True)


if __name__ == "__main__":
    main()
