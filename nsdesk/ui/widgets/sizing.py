"""How nsdesk's windows fit the screens delegations have (a 1024×700 laptop to a
1920×1080 monitor, at 100 % or 200 %): forms scroll down, never sideways; a
drop-down is as narrow as a few words and its list as wide as its entries; a
dialog is never larger than the screen it opens on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLayout, QScrollArea, QSizePolicy, QWidget

COMBO_CHARS = 12
"""How many characters a drop-down in a form shows when room is short (the rest
of a long name shows in its list and its tooltip)."""

#: Room left around a dialog on its screen for the window frame and the task bar.
SCREEN_MARGIN = QSize(32, 72)


def narrow_combo(combo: QComboBox, chars: int = COMBO_CHARS) -> QComboBox:
    """Let ``combo`` be as narrow as ``chars`` characters, however long its entries
    (Qt's default makes it as wide as the longest, which pushes a form past the
    edge of a small screen); it still grows with its form, and the list that drops
    down is as wide as its longest entry."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    policy = combo.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
    combo.setSizePolicy(policy)
    view = combo.view()
    if view is not None:
        view.setMinimumWidth(view.sizeHintForColumn(0) + 24)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return combo


def screen_room(widget: QWidget | None = None) -> QSize:
    """The room a window has on the screen ``widget`` is on (else the main one),
    less :data:`SCREEN_MARGIN`."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1024, 700) - SCREEN_MARGIN
    available = screen.availableGeometry().size()
    return QSize(
        max(available.width() - SCREEN_MARGIN.width(), 320),
        max(available.height() - SCREEN_MARGIN.height(), 240),
    )


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width``×``height``, or less where the screen is smaller
    (never less than what it needs: its minimum size)."""
    room = screen_room(window.parentWidget() or window)
    least = window.minimumSizeHint()
    window.resize(
        max(min(width, room.width()), least.width()),
        max(min(height, room.height()), least.height()),
    )


class FormScrollArea(QScrollArea):
    """A form (or a record's pane) that scrolls down when it is taller than its
    room, and never sideways: it is never made narrower than what it holds needs,
    so nothing in it is cut at the side."""

    def __init__(self, widget: QWidget | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if widget is not None:
            self.setWidget(widget)

    def setWidget(self, widget: QWidget) -> None:
        """Hold ``widget``; when its layout changes, the room it needs is asked again."""
        super().setWidget(widget)
        widget.installEventFilter(self)
        self.updateGeometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def _needed_width(self) -> int:
        held = self.widget()
        if held is None:
            return 0
        layout: QLayout | None = held.layout()
        least = layout.minimumSize().width() if layout is not None else 0
        least = max(least, held.minimumSizeHint().width(), held.minimumWidth())
        margins = self.contentsMargins()
        bar = self.verticalScrollBar().sizeHint().width()
        return least + margins.left() + margins.right() + bar + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:
        """As wide as what it holds needs (with room for the scroll bar), so a
        splitter or a dialog never squeezes it into scrolling sideways."""
        return QSize(self._needed_width(), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._needed_width()), hint.height())
