"""What a window pays to show another officer's save (issue 19's desk watch).

``python bench/follow_bench.py [DESK]`` (a scale-100 demo desk is made in a
temporary folder when none is given) runs the real app on the desk with the
commitments register on screen and a commitment selected. Another connection — a
second officer — then saves one field of one commitment, and the window's desk
watch reads what changed and shows it (:meth:`DeskWatch.check`: the revision, the
change log, the changed rows read again and repainted). Against it, in the same
run and interleaved, the same save followed by View ▸ Reload (F5), which is what
the watch did before it read the change log. Medians of ``NSDESK_BENCH_RUNS``
(default 7); prints ``BENCH`` lines like ``run.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

RUNS = int(os.environ.get("NSDESK_BENCH_RUNS", "7"))
KEY = "C-0007"


def _settle() -> None:
    """Let the window repaint what it was asked to (a repaint waits on a 5 ms timer)."""
    end = time.perf_counter() + 0.05
    while time.perf_counter() < end:
        QApplication.processEvents()


def measure(path: Path) -> tuple[float, float]:
    """(median seconds of the watch following one save, of a full reload after one)."""
    os.environ.pop("NSDESK_STARTUP_PROBE", None)
    from nsdesk.app import run_app
    from nsdesk.services.desk import open_desk
    from nsdesk.services.records.record_service import RecordService
    from nsdesk.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    followed: list[float] = []
    reloaded: list[float] = []

    def drive() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        workspace = getattr(windows[0], "_workspace", None) if windows else None
        if workspace is None or workspace.data is None:
            QTimer.singleShot(20, drive)
            return
        watch = workspace.desk_watch
        watch.timer.stop()  # checked by hand below, at the moment measured
        workspace.open_register_record("commitments", KEY)
        _settle()
        other = open_desk(path)
        officer = RecordService(other)
        try:
            for run in range(RUNS * 2):
                officer.update("commitment", KEY, {"next_steps": f"Next step {run}"})
                started = time.perf_counter()
                if run % 2 == 0:
                    assert watch.check()
                else:
                    watch.seen = other.revision()
                    workspace.reload()
                QApplication.processEvents()
                (followed if run % 2 == 0 else reloaded).append(time.perf_counter() - started)
                _settle()
        finally:
            other.close()
        QApplication.quit()

    QTimer.singleShot(0, drive)
    run_app(path)
    return statistics.median(followed), statistics.median(reloaded)


def main(argv: list[str]) -> int:
    if argv:
        path = Path(argv[0])
    else:
        from nsdesk.services.setup.demo import create_demo_desk

        path = Path(tempfile.mkdtemp(prefix="nsdesk-follow-")) / "demo-100.nsdesk"
        create_demo_desk(path, scale=100)
    follow, reload = measure(path)
    print(
        f"BENCH follow_one_save_ms {follow * 1000:.1f} ms (View ▸ Reload: {reload * 1000:.0f} ms)"
    )
    print(f"BENCH follow_one_save_ratio {follow / reload:.3f} × of a full reload")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
