"""A working day of Qt calls must not abort Python.

PySide6 6.12.0 lost a reference to None on every Qt call that returns nothing (and
to True on every signal sent) under Python 3.11: after a few thousand the
interpreter aborted with "deallocating None". pyproject pins PySide6 below 6.12;
this test fails if a version with that fault comes back.
"""

import subprocess
import sys

LONG_SESSION = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

class Emitter(QObject):
    happened = Signal()

app = QApplication([])
label, emitter = QLabel(), Emitter()
before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(50_000):  # labels set and signals sent: a working day in the app
    label.setText("x")
    emitter.happened.emit()
after = sys.getrefcount(None), sys.getrefcount(True)
print("drift", after[0] - before[0], after[1] - before[1])
"""


def test_a_long_session_of_qt_calls_keeps_python_sound():
    result = subprocess.run(
        [sys.executable, "-c", LONG_SESSION], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    drift_none, drift_true = (int(x) for x in result.stdout.split()[1:3])
    assert abs(drift_none) < 100
    assert abs(drift_true) < 100
