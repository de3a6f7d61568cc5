"""Fixtures shared by the whole suite.

Every test runs with ``NSDESK_HOME`` in its own temporary folder, so no test can
touch a real profile, and with Qt offscreen.

**Two kinds of desk, one suite.** ``pytest`` runs the suite on desk files (SQLite);
``pytest --desk-kind=server`` (or ``NSDESK_TEST_DESK_KIND=server``) runs it again on
desks in a real PostgreSQL server that the suite starts itself
(:mod:`tests.support.pg_server`). The desk fixtures — ``desk``, ``demo_desk``,
``new_desk_location``, ``demo_desk_location``, ``new_location`` and
``desk_copies`` — give the run's kind, so a test written against them runs on both.
A test about what only one kind has is marked ``file_desk`` or ``server_desk`` and
is skipped, with that reason, in the other run; an unmarked test never skips.
``new_desk_path`` and ``demo_desk_path`` are desk *files*: a test taking them is
about the file, and must be marked ``file_desk``. The server run leaves out the
tests that touch no desk at all (they would only repeat the file run).

Desks are built once per session (one new desk, one demo desk) and copied for each
test that wants one: a file copy, or ``CREATE DATABASE … TEMPLATE`` on the server.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The demo is made "as of" a fixed day, so late/at-risk figures are stable.
DEMO_DAY = date(2026, 11, 22)

KIND_OPTION = "--desk-kind"
KIND_ENV = "NSDESK_TEST_DESK_KIND"
#: The fixtures through which a test reaches a desk: the server run keeps the tests
#: that use one of them (directly or through another fixture).
DESK_FIXTURES = frozenset(
    {
        "desk",
        "demo_desk",
        "new_desk_location",
        "demo_desk_location",
        "new_location",
        "desk_copies",
        "new_desk_path",
        "demo_desk_path",
        "desk_templates",
        "pg_server",
    }
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        KIND_OPTION,
        choices=("file", "server"),
        default=os.environ.get(KIND_ENV, "file"),
        help="the kind of desk the desk fixtures give: file (SQLite, the default) or "
        "server (a PostgreSQL server the suite starts itself)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kind = config.getoption(KIND_OPTION)
    other = {"file": "server_desk", "server": "file_desk"}[kind]
    why = {
        "file_desk": "about a desk file: runs in the file-desk run",
        "server_desk": "about a desk on a server: runs in the server-desk run (make test)",
    }[other]
    kept, left = [], []
    for item in items:
        if item.get_closest_marker(other) is not None:
            item.add_marker(pytest.mark.skip(reason=why))
        uses_desk = DESK_FIXTURES & set(getattr(item, "fixturenames", ()))
        if kind == "server" and not uses_desk and item.get_closest_marker("server_desk") is None:
            left.append(item)
        else:
            kept.append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
        config.stash[_LEFT] = len(left)


_LEFT = pytest.StashKey[int]()


def pytest_report_header(config: pytest.Config) -> str:
    return f"desk kind: {config.getoption(KIND_OPTION)}"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    left = config.stash.get(_LEFT, 0)
    if left:
        terminalreporter.write_line(
            f"server-desk run: {left} tests that touch no desk were left to the file-desk run"
        )


@pytest.fixture(autouse=True)
def nsdesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "nsdesk-home"
    monkeypatch.setenv("NSDESK_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def desk_kind(request: pytest.FixtureRequest) -> str:
    """``file`` or ``server``: the kind of desk this run's fixtures give."""
    return request.config.getoption(KIND_OPTION)


@pytest.fixture(scope="session")
def pg_server(desk_kind: str) -> Iterator[Any]:
    """The PostgreSQL server of the server-desk run (``None`` in the file run)."""
    if desk_kind != "server":
        yield None
        return
    from tests.support.pg_server import APT_LINE, TestServer, find_binaries

    binaries = find_binaries()
    if binaries is None:
        pytest.exit(
            f"the server-desk run needs PostgreSQL's server binaries (initdb, pg_ctl): {APT_LINE}",
            returncode=4,
        )
    server = TestServer.start(binaries)

    def stop_then_end(signum: int, _frame: Any) -> None:  # a run killed (by a timeout)
        server.stop()  # leave no server behind, then end as killed
        os._exit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop_then_end)
    try:
        yield server
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()


_DATABASE_NUMBERS = itertools.count(1)


class DeskCopies:
    """Desks for tests, of the run's kind: copies of the session's template desks,
    and places where a new desk may be created."""

    def __init__(self, kind: str, templates: dict[str, Path], server: Any):
        self.kind = kind
        self.templates = templates
        self.server = server
        self._admin: Any = None

    # -- the server side -------------------------------------------------------------

    def admin(self) -> Any:
        """An autocommit connection to the server's ``postgres`` database."""
        import psycopg

        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(
                host=str(self.server.socket_dir),
                dbname="postgres",
                user=self.server_user,
                autocommit=True,
            )
        return self._admin

    @property
    def server_user(self) -> str:
        from tests.support.pg_server import SUPERUSER

        return SUPERUSER

    def address(self, database: str) -> Any:
        from nsdesk.domain.location import ServerAddress

        return ServerAddress(database, host=str(self.server.socket_dir), user=self.server_user)

    def database(self, template: str | None = None) -> Any:
        """A new database on the test server (empty, or a copy of ``template``)."""
        name = f"t{os.getpid()}_{next(_DATABASE_NUMBERS)}"
        clause = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        self.admin().execute(f"CREATE DATABASE {name}{clause}")
        return self.address(name)

    def drop(self, location: Any) -> None:
        """Drop a database this made (whoever is still connected to it)."""
        if self.kind == "server":
            self.admin().execute(f"DROP DATABASE IF EXISTS {location.database} WITH (FORCE)")

    # -- both kinds ------------------------------------------------------------------

    def copy(self, which: str, folder: Path, name: str | None = None) -> Any:
        """A fresh copy of the template desk ``which`` (``new`` or ``demo``): a file in
        ``folder`` (named ``name``, or after the template), or a database."""
        if self.kind == "server":
            return self.database(template=self.templates[which].name)
        return Path(shutil.copy(self.templates[which], folder / (name or f"{which}.nsdesk")))

    def new_location(self, folder: Path, name: str = "created.nsdesk") -> Any:
        """Where a new desk may be created: a file name in ``folder``, or an empty
        database."""
        if self.kind == "server":
            return self.database()
        return folder / name


@pytest.fixture(scope="session")
def desk_templates(
    tmp_path_factory: pytest.TempPathFactory, desk_kind: str, pg_server: Any
) -> dict[str, Any]:
    """The session's new and demo desks: files, or (server run) template databases
    whose ``name`` is the database's."""
    from nsdesk.services.setup.demo import create_demo_desk
    from nsdesk.services.setup.new_desk import create_desk

    if desk_kind == "server":
        builder = DeskCopies(desk_kind, {}, pg_server)
        new_db, demo_db = builder.database(), builder.database()
        create_desk(new_db, state="NLD", delegation="Test delegation")
        create_demo_desk(demo_db, today=DEMO_DAY)
        return {"new": new_db, "demo": demo_db}
    folder = tmp_path_factory.mktemp("templates")
    # Made before any test's own NSDESK_HOME is set: creating a desk keeps this
    # profile's replica of it, which must not land in a real profile either.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NSDESK_HOME", str(folder / "nsdesk-home"))
        new, _ = create_desk(folder / "new.nsdesk", state="NLD", delegation="Test delegation")
        demo, _ = create_demo_desk(folder / "demo.nsdesk", today=DEMO_DAY)
    return {"new": new, "demo": demo}


@pytest.fixture(scope="session")
def desk_copies(desk_kind: str, desk_templates: dict[str, Any], pg_server: Any) -> DeskCopies:
    """Copies of the template desks and places for new desks, of the run's kind
    (databases a session-scoped fixture makes stay until the server stops)."""
    return DeskCopies(desk_kind, desk_templates, pg_server)


@pytest.fixture
def new_location(desk_copies: DeskCopies, tmp_path: Path) -> Iterator[Any]:
    """Where a new desk may be created: ``created.nsdesk`` in the test's folder, or an
    existing, empty database on the server."""
    location = desk_copies.new_location(tmp_path)
    yield location
    desk_copies.drop(location)


@pytest.fixture
def new_desk_location(desk_copies: DeskCopies, tmp_path: Path) -> Iterator[Any]:
    """A fresh desk for the Netherlands with the catalogue and nothing else: a file
    (``desk.nsdesk``) or a database."""
    location = desk_copies.copy("new", tmp_path, "desk.nsdesk")
    yield location
    desk_copies.drop(location)


@pytest.fixture
def demo_desk_location(desk_copies: DeskCopies, tmp_path: Path) -> Iterator[Any]:
    """A fresh copy of the scale-1 demo desk made on ``DEMO_DAY``: a file
    (``demo.nsdesk``) or a database."""
    location = desk_copies.copy("demo", tmp_path, "demo.nsdesk")
    yield location
    desk_copies.drop(location)


def _file_only(request: pytest.FixtureRequest, desk_kind: str) -> None:
    if desk_kind != "file":
        pytest.fail(
            f"{request.node.nodeid} takes a desk file ({request.fixturename}) in the "
            "server-desk run: mark it file_desk if it is about the file, or take "
            "new_desk_location / demo_desk_location"
        )


@pytest.fixture
def new_desk_path(
    request: pytest.FixtureRequest, desk_kind: str, desk_copies: DeskCopies, tmp_path: Path
) -> Path:
    """A fresh desk *file* for the Netherlands with the catalogue and nothing else."""
    _file_only(request, desk_kind)
    return desk_copies.copy("new", tmp_path, "desk.nsdesk")


@pytest.fixture
def demo_desk_path(
    request: pytest.FixtureRequest, desk_kind: str, desk_copies: DeskCopies, tmp_path: Path
) -> Path:
    """A fresh copy of the scale-1 demo desk *file* made on ``DEMO_DAY``."""
    _file_only(request, desk_kind)
    return desk_copies.copy("demo", tmp_path, "demo.nsdesk")


@pytest.fixture
def desk(new_desk_location: Any) -> Iterator:
    from nsdesk.services.desk import open_desk

    with open_desk(new_desk_location) as opened:
        yield opened


@pytest.fixture
def demo_desk(demo_desk_location: Any) -> Iterator:
    from nsdesk.services.desk import open_desk

    with open_desk(demo_desk_location) as opened:
        yield opened
