"""Two officers' laptops for the merge journeys: real copies of the demo desk, each
with its own profile (its own replica and signing key). The app runs as Ben: his
desk is opened in the window; Anna works on hers through the services, as her own
nsdesk would."""

from __future__ import annotations

from pathlib import Path

import pytest

from nsdesk.ui.desk.opening_flow import open_desk_into
from nsdesk.ui.merge.merge_flow import MergeFlow
from tests.conftest import DEMO_DAY
from tests.services.merge.laptops import Laptop, laptops


@pytest.fixture
def pair(demo_desk_path: Path, tmp_path: Path) -> tuple[Laptop, Laptop]:
    anna, ben = laptops(demo_desk_path, tmp_path, "anna", "ben")
    return anna, ben


class BensApp:
    """Ben's desk open in the window, with the merge flow; the files it would open
    in a viewer are recorded; Edit… answers with what the test puts in ``typed``."""

    def __init__(self, window, context, ben: Laptop, monkeypatch: pytest.MonkeyPatch):
        monkeypatch.setenv("NSDESK_HOME", str(ben.home))
        self.window, self.context, self.ben = window, context, ben
        assert open_desk_into(context, window, ben.path)
        context.data.as_of = DEMO_DAY
        self.flow = MergeFlow(context, window)
        self.opened: list[Path] = []
        self.flow.open_file = self.opened.append
        self.flow.documents = lambda: ben.folder
        self.typed: list[str] = []
        self.flow.ask_value = lambda _parent, _item, _current: (
            self.typed.pop(0) if self.typed else None
        )

    @property
    def desk(self):
        return self.context.desk


@pytest.fixture
def bens_app(window, context, pair, monkeypatch) -> BensApp:
    return BensApp(window, context, pair[1], monkeypatch)
