"""What a person sees cut off on a small screen, found in a live widget tree.

:func:`fit_problems` walks every visible widget of a window or dialog and names,
in words, each of these:

- a form that scrolls sideways (a scroll area, other than a list or a text box,
  showing its horizontal scroll bar, or scrolled sideways so its labels are out
  of sight);
- a control cut off at the side by what holds it (a button half outside its pane,
  a hint cut mid-sentence at the pane's edge); below or above the view only
  counts outside a scroll area, since scrolling down is what a pane is for;
- a control narrower than its own text (its minimum size hint), or a wrapped
  label shorter than its lines;
- a column header narrower than its title ("ommitme"), the main column of a list
  narrower than :data:`MAIN_COLUMN_CHARS` characters, and a table inside a pane
  that hides columns sideways.

Composite widgets' own parts (a combo box's line edit, a table's viewport and
scroll bars, a tab bar's scroll buttons, a tool bar's overflow) are judged as
part of their owner, not one by one.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QScrollArea,
    QScrollBar,
    QSplitterHandle,
    QStatusBar,
    QTabBar,
    QTextEdit,
    QToolBar,
    QWidget,
)

MAIN_COLUMN_CHARS = 12
"""The fewest average characters a list's main (title) column shows ("Study nuclear…"
rather than "Stu…")."""

MAIN_COLUMN_PROPERTY = "nsdesk_main_column"
"""The dynamic property naming a list's main column (set by ``list_table``)."""

#: Widgets whose children are their own parts, judged with them.
_COMPOSITE = (QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar, QLineEdit, QScrollBar)
#: Widgets that are only a frame for others: judged through what they hold.
_MACHINERY = (QScrollBar, QSplitterHandle, QMenuBar, QStatusBar, QToolBar)
#: Controls judged on their own even though Qt gives them children.
_CONTROLS = (
    QAbstractButton,
    QLabel,
    QComboBox,
    QLineEdit,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)


def name_of(widget: QWidget) -> str:
    """How a problem names a widget: its text or accessible name, and its class."""
    text = ""
    for getter in ("text", "title", "accessibleName", "placeholderText", "objectName"):
        method = getattr(widget, getter, None)
        if callable(method):
            value = method()
            if isinstance(value, str) and value.strip():
                text = value.strip().replace("&", "").replace("\n", " ")
                break
    if len(text) > 50:
        text = text[:47] + "..."
    return f"{type(widget).__name__} {text!r}" if text else type(widget).__name__


def _parts_of_composites(root: QWidget) -> set[int]:
    """The ids of every widget that is a part of a composite widget."""
    parts: set[int] = set()
    for owner in root.findChildren(QWidget):
        if isinstance(owner, _COMPOSITE) or (
            isinstance(owner, QAbstractScrollArea) and not isinstance(owner, QScrollArea)
        ):
            parts.update(id(child) for child in owner.findChildren(QWidget))
        elif isinstance(owner, QAbstractScrollArea):
            # A scroll area's own scroll bars and corner, not what it shows.
            parts.update(id(bar) for bar in owner.findChildren(QScrollBar))
        elif isinstance(owner, (QToolBar, QMenuBar, QStatusBar)):
            parts.update(
                id(child)
                for child in owner.findChildren(QWidget)
                if not isinstance(child, QLabel) or isinstance(owner, QToolBar)
            )
    return parts


def _seen_part(widget: QWidget, root: QWidget) -> tuple[QRect, bool]:
    """The part of ``widget`` (in its own coordinates) not cut off by what holds
    it, up to ``root``; and whether a scroll area's view is among its holders."""
    rect = widget.rect()
    scrolled = False
    current = widget
    offset_x = offset_y = 0
    while current is not root and current.parentWidget() is not None:
        parent = current.parentWidget()
        offset_x += current.x()
        offset_y += current.y()
        in_parent = QRect(rect.x() + offset_x, rect.y() + offset_y, rect.width(), rect.height())
        kept = in_parent.intersected(parent.rect())
        rect = QRect(kept.x() - offset_x, kept.y() - offset_y, kept.width(), kept.height())
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent:
            scrolled = True
        if rect.isEmpty():
            break
        current = parent
    return rect, scrolled


def _header_problems(view: QAbstractItemView) -> list[str]:
    header = getattr(view, "horizontalHeader", lambda: None)()
    if not isinstance(header, QHeaderView) or header.isHidden():
        return []
    model = view.model()
    if model is None:
        return []
    problems = []
    metrics = header.fontMetrics()
    main = view.property(MAIN_COLUMN_PROPERTY)
    for column in range(header.count()):
        if header.isSectionHidden(column):
            continue
        width = header.sectionSize(column)
        title = model.headerData(column, Qt.Orientation.Horizontal)
        title = str(title) if title is not None else ""
        # The header's own margins on each side, and room for the sort arrow.
        needed = metrics.horizontalAdvance(title) + 12
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
            needed += metrics.height()
        if title and width < needed:
            problems.append(
                f"{name_of(view)}: column {title!r} is {width} px, its title needs {needed}"
            )
        if main == column:
            least = metrics.averageCharWidth() * MAIN_COLUMN_CHARS
            if width < least:
                problems.append(
                    f"{name_of(view)}: main column {title!r} is {width} px, "
                    f"less than {MAIN_COLUMN_CHARS} characters ({least} px)"
                )
    return problems


def fit_problems(root: QWidget) -> list[str]:
    """Every place where ``root`` (a window or dialog, shown) cuts something off."""
    problems: list[str] = []
    parts = _parts_of_composites(root)
    for widget in [root, *root.findChildren(QWidget)]:
        if (
            id(widget) in parts
            or not widget.isVisible()
            or (widget.isWindow() and widget is not root)
        ):
            continue
        if widget.width() <= 0 or widget.height() <= 0:
            continue
        name = name_of(widget)
        if isinstance(widget, QScrollArea):
            bar = widget.horizontalScrollBar()
            if bar.isVisible() or bar.value() != 0:
                problems.append(f"{name}: a form that scrolls sideways")
        if isinstance(widget, QAbstractItemView):
            problems += _header_problems(widget)
            seen, scrolled = _seen_part(widget, root)
            if scrolled and widget.horizontalScrollBar().isVisible():
                problems.append(f"{name}: a table in a pane that hides columns sideways")
        if isinstance(widget, _MACHINERY):
            continue
        has_children = any(
            child.isVisible() and not child.isWindow() and id(child) not in parts
            for child in widget.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
        )
        if has_children and not isinstance(widget, _CONTROLS):
            continue  # a container: what it holds is judged
        seen, scrolled = _seen_part(widget, root)
        if seen.isEmpty() and scrolled:
            continue  # scrolled out of sight, up or down
        if seen.width() < widget.width():
            problems.append(
                f"{name}: cut off at the side ({seen.width()} of {widget.width()} px seen)"
            )
        elif not scrolled and seen.height() < widget.height():
            problems.append(
                f"{name}: cut off below or above ({seen.height()} of {widget.height()} px seen)"
            )
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                lines = widget.heightForWidth(widget.width())
                if lines > widget.height():
                    problems.append(
                        f"{name}: its text needs {lines} px of height, it has {widget.height()}"
                    )
            elif widget.width() < widget.minimumSizeHint().width():
                problems.append(
                    f"{name}: {widget.width()} px wide, its text needs "
                    f"{widget.minimumSizeHint().width()}"
                )
        elif (
            isinstance(widget, QAbstractButton)
            and widget.text()
            and widget.width() < widget.minimumSizeHint().width()
        ):
            problems.append(
                f"{name}: {widget.width()} px wide, its text needs "
                f"{widget.minimumSizeHint().width()}"
            )
    return problems
