"""A desk in a folder this user may not write: read-only with the reason, never
"damaged". Run for real, by a child process that drops to the user nobody."""

import ast
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import nsdesk
from tests.services.backups.test_crash_check import crash_after_work

#: The top layer (the window and the command line): what the child runs sits below it.
TOP_LAYER = ("nsdesk.ui", "nsdesk.app", "nsdesk.cli", "nsdesk.__main__")


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The module an ``from … import`` in ``module`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = module.split(".")[: -node.level]
    return ".".join([*package, node.module] if node.module else package)


def modules_below_the_top_layer() -> list[str]:
    """What a child working on a desk can import, computed from the source: every
    module of nsdesk below the top layer, and every import any of them makes inside
    a function (the lazy ones), as ``module:name,name`` for ``__import__``.

    A child that drops to another user imports all of it first: in a checkout under
    a folder only root may enter (root's home, mode 700), that user can read neither
    the interpreter's library nor nsdesk, so anything imported after the drop fails.
    The migration scripts are left out: Alembic loads them by path, and a desk opened
    by a user who may not write it is never migrated."""
    root = Path(nsdesk.__file__).resolve().parent
    found: dict[str, None] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if module.startswith(TOP_LAYER) or module.startswith("nsdesk.store.migrations"):
            continue
        found[module] = None
        tree = ast.parse(path.read_text("utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    found.update((alias.name, None) for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    names = ",".join(alias.name for alias in node.names)
                    found[f"{_absolute(module, node)}:{names}"] = None
    return [name for name in found if not name.startswith(TOP_LAYER)]


# About a desk file's and its backups' permissions on disk.
pytestmark = pytest.mark.file_desk

AS_NOBODY = r"""
import importlib.util, os, sys
from pathlib import Path
# Everything the child may need is imported before the drop (see
# modules_below_the_top_layer), and the SQLite dialect SQLAlchemy loads by name.
for entry in PRELOAD:
    module, _, names = entry.partition(":")
    if importlib.util.find_spec(module.split(".")[0]) is None:
        continue  # a module of another platform (msvcrt, winreg…)
    __import__(module, fromlist=[name for name in names.split(",") if name])
from sqlalchemy.engine import make_url
make_url("sqlite://").get_dialect()
from nsdesk.domain.errors import DeskError
from nsdesk.services.desk import open_desk
from nsdesk.services.overview.dashboard import load_dashboard

os.setgid(65534)
os.setuid(65534)
try:
    with open_desk(Path(sys.argv[1])) as desk:
        print("OPENED", desk.read_only, "|", desk.notes.read_only_reason, "|",
              load_dashboard(desk).total)
except DeskError as error:
    print("REFUSED", type(error).__name__, "|", error.reason)
"""


@pytest.fixture
def locked_folder():
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root to start a child as another user (CI runs as root)")
    # Not under pytest's tmp_path: its parent folders are closed to other users.
    root = Path(tempfile.mkdtemp(prefix="nsdesk-perm-"))
    root.chmod(0o755)
    folder = root / "ministry-share"
    folder.mkdir(mode=0o755)
    home = root / "nobody-home"
    home.mkdir()
    home.chmod(0o777)
    yield folder, home
    shutil.rmtree(root, ignore_errors=True)


def run_as_nobody(desk, home):
    code = f"PRELOAD = {modules_below_the_top_layer()!r}\n{AS_NOBODY}"
    result = subprocess.run(
        [sys.executable, "-c", code, str(desk)],
        capture_output=True,
        text=True,
        env={**os.environ, "NSDESK_HOME": str(home)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_desk_in_a_folder_the_user_may_not_write_opens_read_only(locked_folder, demo_desk_path):
    folder, home = locked_folder
    desk = shutil.copy(demo_desk_path, folder / "desk.nsdesk")
    os.chmod(desk, 0o644)
    out = run_as_nobody(desk, home)
    assert "OPENED True | this user may not change files in its folder | 60" in out
    assert sorted(p.name for p in folder.iterdir()) == ["desk.nsdesk"]


def test_work_left_in_a_journal_is_explained_not_called_damage(locked_folder, new_desk_path):
    folder, home = locked_folder
    crash_after_work(new_desk_path, 2, "no-backup")  # committed work stays in the -wal
    for name in (new_desk_path.name, f"{new_desk_path.name}-wal", f"{new_desk_path.name}-shm"):
        target = shutil.copy(new_desk_path.with_name(name), folder / name)
        os.chmod(target, 0o644 if name.endswith(".nsdesk") else 0o600)
    out = run_as_nobody(folder / new_desk_path.name, home)
    assert "DeskDamagedError" not in out
    assert "only someone allowed to write its folder can complete" in out


def test_a_desk_the_user_may_not_even_read_is_said_so(locked_folder, new_desk_path):
    folder, home = locked_folder
    desk = shutil.copy(new_desk_path, folder / "desk.nsdesk")
    os.chmod(desk, 0o600)
    out = run_as_nobody(desk, home)
    assert "REFUSED DeskError | this user may not read the file" in out


# -- what nsdesk writes is readable by its owner only ------------------------------------

NOBODY_READS = r"""
import os, sys
os.setgid(65534)
os.setuid(65534)
for name in sys.argv[1:]:
    try:
        with open(name, "rb") as handle:
            handle.read(1)
        print("READ", name)
    except PermissionError:
        print("DENIED", name)
"""


@pytest.fixture
def umask_022():
    """The usual umask, which alone would leave new files readable by everyone."""
    if os.name != "posix":
        pytest.skip("file modes are POSIX; on Windows the profile's access list keeps files")
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _write_something(desk_path: Path):
    """Open the desk for editing and change it: SQLite makes its -wal and -shm files."""
    from nsdesk.services.desk import open_desk
    from nsdesk.services.records.record_service import RecordService

    desk = open_desk(desk_path)
    RecordService(desk).create("agency", {"code": "RND", "name": "Ministry of R&D"})
    return desk


def test_a_new_desk_and_its_journal_are_owner_only(umask_022, tmp_path):
    from nsdesk.services.setup.new_desk import create_desk
    from nsdesk.store.desk_file import journal_files

    path, _ = create_desk(tmp_path / "new.nsdesk", state="NLD")
    assert mode(path) == 0o600
    desk = _write_something(path)
    try:
        for file in (path, *journal_files(path)):
            assert file.exists(), file.name
            assert mode(file) == 0o600, file.name
    finally:
        desk.close()


def test_a_demo_desk_is_owner_only(umask_022, tmp_path):
    from nsdesk.services.setup.demo import create_demo_desk

    path, _ = create_demo_desk(tmp_path / "demo.nsdesk")
    assert mode(path) == 0o600


def test_backups_their_manifests_and_their_folders_are_owner_only(
    umask_022, new_desk_path, nsdesk_home
):
    from nsdesk.services.backups.backups import take_backup

    assert not nsdesk_home.exists()  # every folder on the way is nsdesk's to make
    info = take_backup(new_desk_path)
    assert mode(info.path) == 0o600
    assert mode(info.path.with_name(info.path.name + ".json")) == 0o600
    folder = info.path.parent
    while folder != nsdesk_home.parent:
        assert mode(folder) == 0o700, folder
        folder = folder.parent


def test_a_folder_the_user_made_keeps_its_mode(umask_022, new_desk_path, tmp_path):
    from nsdesk.services.backups.backups import take_backup

    usb = tmp_path / "usb"
    usb.mkdir()
    assert mode(usb) == 0o755
    info = take_backup(new_desk_path, to=usb / "copy.nsdesk")
    assert mode(usb) == 0o755
    assert mode(info.path) == 0o600


def test_a_restored_desk_and_the_desk_kept_aside_are_owner_only(umask_022, new_desk_path):
    from nsdesk.services.backups.backups import take_backup
    from nsdesk.services.backups.restore import restore_desk

    backup = take_backup(new_desk_path).path
    new_desk_path.chmod(0o644)  # a desk made before nsdesk set modes
    report = restore_desk(new_desk_path, backup)
    assert mode(new_desk_path) == 0o600
    assert mode(report.kept_aside) == 0o600
    # A damaged desk is kept aside byte for byte, and owner-only too.
    new_desk_path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    new_desk_path.chmod(0o644)
    report = restore_desk(new_desk_path, backup)
    assert not report.kept_aside_restorable
    assert mode(report.kept_aside) == 0o600
    assert mode(new_desk_path) == 0o600


def test_a_pack_and_a_workbook_are_owner_only(umask_022, demo_desk, tmp_path):
    from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
    from nsdesk.services.exchange.export import ExportRequest, export_workbook

    pack = write_briefing(demo_desk, BriefingRequest(sections=("cover",)), tmp_path / "p.pdf")
    workbook = export_workbook(demo_desk, ExportRequest(agency="MFA"), tmp_path / "r.xlsx")
    assert mode(pack.path) == 0o600
    assert mode(workbook.path) == 0o600


def test_the_temporary_file_of_an_interrupted_export_is_never_readable_by_others(
    umask_022, demo_desk, tmp_path
):
    from nsdesk.domain.errors import CancelledError
    from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
    from nsdesk.services.exchange.export import ExportRequest, export_workbook
    from nsdesk.services.progress import Progress

    out = tmp_path / "out"
    out.mkdir()
    seen: list[tuple[str, int]] = []

    def interrupt_while_writing(done: int, total: int, text: str) -> None:
        if text == "Writing the workbook" or text.startswith("Laying out page"):
            seen.extend((p.name, mode(p)) for p in out.iterdir())
            raise CancelledError("the export")  # as a cancel, a full disk or a crash would

    with pytest.raises(CancelledError):
        export_workbook(
            demo_desk, ExportRequest(), out / "register.xlsx", Progress(interrupt_while_writing)
        )
    with pytest.raises(CancelledError):
        write_briefing(
            demo_desk, BriefingRequest(), out / "pack.pdf", Progress(interrupt_while_writing)
        )
    names = [name for name, _ in seen]
    assert any(".register.xlsx." in n for n in names)  # staged, then partial beside it
    assert any(n.startswith(".pack.pdf.") for n in names)
    assert all(m == 0o600 for _, m in seen), seen
    assert list(out.iterdir()) == []  # and nothing is left once interrupted


def test_another_user_can_read_none_of_it(locked_folder, umask_022, demo_desk_path):
    """For real: a child process as the user nobody tries to read each file."""
    from nsdesk.services.backups.backups import take_backup
    from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
    from nsdesk.services.exchange.export import ExportRequest, export_workbook
    from nsdesk.services.setup.new_desk import create_desk
    from nsdesk.store.desk_file import journal_files

    folder, _ = locked_folder
    desk_path, _ = create_desk(folder / "desk.nsdesk", state="NLD")
    backup = take_backup(demo_desk_path, to=folder / "backup.nsdesk").path
    desk = _write_something(desk_path)
    try:
        pack = write_briefing(desk, BriefingRequest(sections=("cover",)), folder / "p.pdf")
        workbook = export_workbook(desk, ExportRequest(), folder / "register.xlsx")
        control = folder / "plain.txt"
        control.write_text("written the ordinary way: readable by all under umask 022")
        files = [desk_path, *journal_files(desk_path), backup, pack.path, workbook.path]
        result = subprocess.run(
            [sys.executable, "-c", NOBODY_READS, *map(str, [*files, control])],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        desk.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"DENIED {f}" for f in files] + [f"READ {control}"]
