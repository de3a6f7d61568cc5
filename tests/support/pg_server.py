"""A real PostgreSQL server for the tests, started and stopped by the suite itself.

``initdb`` makes a cluster in a temporary folder and ``pg_ctl`` starts it listening
on a Unix socket in that folder only (no TCP port, nothing another machine could
reach). Run as root, the server runs as a non-root user (``postgres`` when the
Debian package made one, else ``nobody``): PostgreSQL refuses to run as root.

The cluster is built for speed, not durability (``fsync`` off: a test database is
thrown away), and with an ICU collation other than ``C`` where available, so a list
whose order depends on the database's collation shows it in the tests.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: What the README tells a developer to install when the server binaries are missing.
APT_LINE = "sudo apt-get install postgresql"
SUPERUSER = "nsdesk_test"


def find_binaries() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``: on PATH, or the
    newest Debian/Ubuntu ``/usr/lib/postgresql/<version>/bin``; ``None`` if absent."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def _server_user() -> pwd.struct_passwd | None:
    """The user the server runs as when the tests run as root; ``None`` otherwise."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a 'postgres' nor a 'nobody' user exists")


@dataclass
class TestServer:
    """A running PostgreSQL cluster: its socket folder, superuser and binaries."""

    bin: Path
    folder: Path
    socket_dir: Path
    data: Path
    owner: pwd.struct_passwd | None

    @property
    def version(self) -> str:
        return (self.bin / "postgres").name

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        kwargs: dict = {}
        if self.owner is not None:
            kwargs = {"user": self.owner.pw_uid, "group": self.owner.pw_gid, "extra_groups": []}
        return subprocess.run(
            [str(a) for a in args],
            capture_output=True,
            text=True,
            check=check,
            cwd=self.folder,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
            **kwargs,
        )

    @classmethod
    def start(cls, binaries: Path, tcp_port: int | None = None) -> TestServer:
        """Make a cluster in a new temporary folder and start it (on its Unix socket
        only, or also on 127.0.0.1:``tcp_port`` for the benchmarks' loopback)."""
        owner = _server_user()
        folder = Path(tempfile.mkdtemp(prefix="nsdesk-pg-"))
        if owner is not None:
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        os.chmod(folder, 0o755)  # the tests (root) and the server user both enter it
        server = cls(binaries, folder, folder, folder / "data", owner)
        init = [binaries / "initdb", "-D", server.data, "-U", SUPERUSER, "--auth=trust"]
        init += ["--encoding=UTF8", "--no-sync"]
        icu = server._run(*init, "--locale-provider=icu", "--icu-locale=en", check=False)
        if icu.returncode != 0:  # a PostgreSQL built without ICU
            shutil.rmtree(server.data, ignore_errors=True)
            server._run(*init, "--locale=C.UTF-8")
        settings = [
            f"listen_addresses='{'127.0.0.1' if tcp_port else ''}'",
            f"port={tcp_port or 5432}",
            f"unix_socket_directories='{server.socket_dir}'",
            "fsync=off",
            "synchronous_commit=off",
            "full_page_writes=off",
            "max_connections=200",
            "shared_buffers=64MB",
        ]
        with (server.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# nsdesk tests\n" + "\n".join(settings) + "\n")
        server._run(
            binaries / "pg_ctl", "-D", server.data, "-l", folder / "server.log", "-w", "start"
        )
        return server

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def restart(self) -> None:
        """Stop the server (fast: every connection is cut) and start it again."""
        self.halt()
        self.resume()

    def halt(self) -> None:
        """Stop the server, cutting every connection (open transactions roll back),
        and keep its data for :meth:`resume`."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start the server :meth:`halt` stopped."""
        self._run(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.folder / "server.log", "-w", "start"
        )

    def add_hba_lines(self, *lines: str) -> None:
        """Put ``lines`` at the top of pg_hba.conf (first match wins) and reload."""
        hba = self.data / "pg_hba.conf"
        hba.write_text("\n".join(lines) + "\n" + hba.read_text())
        self._run(self.bin / "pg_ctl", "-D", self.data, "reload")

    def log(self) -> str:
        """What the server wrote to its log."""
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


def main() -> int:
    """``python -m tests.support.pg_server``: exit 0 when the server-desk run can start
    a PostgreSQL server here; otherwise say why, and how to install one, and exit 1."""
    binaries = find_binaries()
    if binaries is None:
        print(
            "make test: the server-desk run is SKIPPED: PostgreSQL's server binaries "
            f"(initdb, pg_ctl) are not installed. To run it: {APT_LINE} (see the README)."
        )
        return 1
    print(f"make test: the server-desk run uses PostgreSQL from {binaries}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
