"""Baseline: a bare PySide6 window; prints when it first painted, then quits.

With ``--sqlalchemy DESK`` it then also opens DESK with plain SQLAlchemy, shows a
count from it, and prints when that was painted: the fair baseline for "the
first window shows the desk's data".
"""

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class Probe(QObject):
    def __init__(self, window, then):
        super().__init__(window)
        self.first = True
        self.then = then
        self.waiting_for_data = False
        window.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.Paint, QEvent.Type.UpdateRequest):
            if self.first:
                self.first = False
                print(f"nsdesk-probe first_paint {time.time():.6f}", flush=True)
                QTimer.singleShot(0, self.then)
            elif self.waiting_for_data:
                self.waiting_for_data = False
                print(f"nsdesk-probe data_shown {time.time():.6f}", flush=True)
                QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> None:
    desk = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--sqlalchemy" else None
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1180, 760)
    label = QLabel("Opening…")
    window.setCentralWidget(label)

    def load() -> None:
        if desk is None:
            QApplication.quit()
            return
        import sqlalchemy

        engine = sqlalchemy.create_engine(f"sqlite:///{desk}")
        with engine.connect() as connection:
            count = connection.exec_driver_sql("SELECT COUNT(*) FROM commitment").scalar()
        label.setText(f"{count} commitments")
        probe.waiting_for_data = True
        window.update()

    probe = Probe(window, load)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
