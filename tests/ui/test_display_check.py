"""A machine without Qt's X11 libraries gets a message it can act on, not an abort."""

import ctypes

from nsdesk.ui import display_check


def test_a_missing_x11_library_is_named_with_the_install_line(monkeypatch, tmp_path):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    monkeypatch.setattr(display_check, "_xcb_plugin", lambda: plugin)
    monkeypatch.setattr(display_check.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")

    def fail(_path):
        raise OSError(f"{plugin}: libxcb-icccm.so.4: cannot open shared object file: No such file")

    monkeypatch.setattr(ctypes, "CDLL", fail)
    problem = display_check.display_problem()
    assert "libxcb-icccm.so.4" in problem
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4" in problem


def test_no_check_when_qt_draws_elsewhere(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display_check.display_problem() is None
