"""A clear ring around the control of a group that has the keyboard focus.

Some styles mark a focused drop-down, check box or button with a faint one-pixel
line (Fusion) or not at all, so a person moving through a row of filters with Tab
loses track of where they are. :class:`FocusRing` draws a two-pixel outline in
the palette's highlight colour around whichever control of its group has the
focus, whatever the style; it takes no clicks and no focus itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

_MARGIN = 3  # pixels between the control and the ring, and the ring's width at most


class FocusRing(QWidget):
    """Outlines the focused control among ``group``'s descendants (none: hidden)."""

    def __init__(self, group: QWidget):
        super().__init__(group.window())
        self.group = group
        self.target: QWidget | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("")  # drawing only: nothing for a screen reader to say
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if self.target is not None:
            self.target.removeEventFilter(self)
        inside = now is not None and now is not self.group and self.group.isAncestorOf(now)
        self.target = now if inside else None
        if self.target is None:
            self.hide()
            return
        self.target.installEventFilter(self)  # follow it when it moves, resizes, hides
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.target and event.type() in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
        ):
            self._place()
        return False

    def _place(self) -> None:
        target = self.target
        if target is None or not target.isVisible():
            self.hide()
            return
        # Drawn on the window, so a control at the group's edge is ringed whole.
        host = self.group.window()
        if self.parentWidget() is not host:
            self.setParent(host)
        corner = target.mapTo(host, target.rect().topLeft())
        area = QRect(corner, target.size()).adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)
        self.setGeometry(area)
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 3, 3)
        painter.end()
