"""What connects the window's desk actions to their flows: the welcome screen,
File ▸ New desk… / Open recent / Open the demo desk / Desk settings…, and the
undo step a change of desk settings makes
(:class:`~nsdesk.ui.records.commands.DeskSettingsCommand`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nsdesk.ui.context import AppContext
    from nsdesk.ui.desk.welcome_view import WelcomeView
    from nsdesk.ui.main_window import MainWindow


class DeskWiring:
    """Builds the welcome screen when it is first needed and runs the desk flows."""

    def __init__(self, context: AppContext, window: MainWindow):
        self.context = context
        self.window = window
        self._welcome: WelcomeView | None = None
        window.new_desk_requested.connect(self.show_welcome)
        window.demo_requested.connect(self.open_demo)
        window.settings_requested.connect(self.edit_settings)
        window.shared_register_requested.connect(self.open_shared_register)
        window.desk_shown.connect(self._desk_shown)
        self._layout_restored = False

    def _desk_shown(self) -> None:
        if not self._layout_restored:  # the user's columns and panes, from last time
            self._layout_restored = True
            self.window.workspace.restore_layout(self.context.settings)
        self.refresh_recent()

    def refresh_recent(self) -> None:
        """File ▸ Open recent lists the desks opened last."""
        self.window.actions_.set_recent(
            self.context.settings.recent_desks(), self.window.desk_requested.emit
        )

    @property
    def welcome(self) -> WelcomeView:
        if self._welcome is None:
            # lazy: the welcome screen and the desk flows (SQLAlchemy) load after the first paint
            from nsdesk.ui.desk.desk_flow import choose_and_open, create_desk_flow
            from nsdesk.ui.desk.welcome_view import WelcomeView

            view = WelcomeView()
            view.create_requested.connect(
                lambda state, delegation, path: create_desk_flow(
                    self.context, self.window, state, delegation, Path(path)
                )
            )
            view.open_requested.connect(lambda: choose_and_open(self.window))
            view.recent_requested.connect(self.window.desk_requested.emit)
            view.demo_requested.connect(self.open_demo)
            self._welcome = view
            self.window.pages.addWidget(view)
        return self._welcome

    def show_welcome(self) -> None:
        """The first-run screen: create a desk for a state, open one, or the demo."""
        self.welcome.set_recent_desks(self.context.settings.recent_desks())
        self.window.pages.setCurrentWidget(self.welcome)
        self.window.setWindowTitle("Welcome — nsdesk")
        self.refresh_recent()

    def open_shared_register(self) -> None:
        """File ▸ Open a shared register…: ask where it is, then open it."""
        # lazy: the opening flow (and the store behind it) loads with a desk
        from nsdesk.ui.desk.opening_flow import open_shared_register_flow

        open_shared_register_flow(self.context, self.window)

    def open_demo(self) -> None:
        # lazy: the desk flows (SQLAlchemy) load when first asked for
        from nsdesk.ui.desk.desk_flow import open_demo_flow

        open_demo_flow(self.context, self.window)

    def edit_settings(self) -> None:
        # lazy: the settings dialog, its services and the undo commands load on first use
        from nsdesk.ui.desk.desk_flow import apply_desk_settings, edit_desk_settings_flow
        from nsdesk.ui.records.commands import DeskSettingsCommand

        def apply_and_show(changes: dict[str, Any]) -> dict[str, Any]:
            before = apply_desk_settings(self.context, self.window, changes)
            self.window.desk_settings_changed()
            return before

        def apply_once(changes: dict[str, Any]) -> None:
            before = apply_and_show(changes)  # a refusal reaches the dialog, nothing pushed
            self.window.undo_stack.push(
                DeskSettingsCommand(apply_and_show, before, changes, report=self.window.show_status)
            )

        edit_desk_settings_flow(self.context, self.window, apply_once)
