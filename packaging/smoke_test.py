"""Smoke-test a one-folder bundle the way a delegation laptop runs it: no Python on
PATH, no network, a fresh user profile.

    python packaging/smoke_test.py build/package/dist/nsdesk [--report FILE]

Checks, each failing loudly with what it saw:
- ``--version`` names pyproject's version, the catalogue, the schema and the
  libraries, and the self-check passes;
- ``demo``, ``check``, ``brief``, ``export`` and ``import --dry-run`` (of that very
  export) work from the bundle, and what they write is a real desk, PDF, workbook;
- the app opens the demo desk and shows its data (offscreen, and under Xvfb through
  the X11 plugin a desktop uses, when Xvfb is installed);
- the desktop integration installs, claims ``*.nsdesk`` and its Exec line opens a
  desk (Linux);
- a bundle with a font or defusedxml taken out refuses to start (exit 4), naming it.

Then measures the bundle's size and its start-up against running from source in
this same run, and writes the figures (JSON) for packaging/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build_info import APP_ID, REPOSITORY, read_build_info  # noqa: E402
from offline import network_isolation  # noqa: E402

EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
SOURCE_PYTHON = Path(sys.executable)
TIMING_RUNS = 5


class SmokeTestError(Exception):
    pass


def check(condition: bool, what: str, seen: str = "", *, quiet: bool = False) -> None:
    if not condition:
        raise SmokeTestError(f"{what}\n--- seen ---\n{seen}")
    if not quiet:
        print(f"  ok  {what}")


class Laptop:
    """A fresh profile with an empty PATH, and no network when Linux lets us take
    it away (a network namespace of our own)."""

    def __init__(self, root: Path):
        self.root = root
        self.empty_bin = root / "bin"
        self.empty_bin.mkdir()
        self.env = {
            "HOME": str(root / "home"),
            "NSDESK_HOME": str(root / "nsdesk-home"),
            "PATH": str(self.empty_bin),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "TMPDIR": str(root / "tmp"),
        }
        for key in ("SYSTEMROOT", "WINDIR"):  # Windows cannot start a process without them
            if key in os.environ:
                self.env[key] = os.environ[key]
        (root / "home").mkdir()
        (root / "tmp").mkdir()
        self.isolate = network_isolation()
        if not self.isolate:
            print("  note: no network namespace here; the bundle runs with the network present")

    def run(
        self, command: list[str], *, extra_env: dict[str, str] | None = None, timeout: int = 300
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.isolate, *command],
            env={**self.env, **(extra_env or {})},
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def _probe_moments(output: str, started: float) -> dict[str, float]:
    moments = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "nsdesk-probe":
            moments[parts[1]] = float(parts[2]) - started
    return moments


def open_app(
    laptop: Laptop, command: list[str], desk: Path, *, quiet: bool = False, **env: str
) -> dict[str, float]:
    """Start the app on ``desk`` with the start-up probe; the moments it painted."""
    started = time.time()
    result = laptop.run(
        [*command, str(desk)], extra_env={"NSDESK_STARTUP_PROBE": "1", **env}, timeout=120
    )
    moments = _probe_moments(result.stdout, started)
    check(
        result.returncode == 0 and "data_shown" in moments,
        f"the app opened {desk.name} and showed its data "
        f"(Qt platform {env.get('QT_QPA_PLATFORM', laptop.env['QT_QPA_PLATFORM'])})",
        result.stdout + result.stderr,
        quiet=quiet,
    )
    moments["exited"] = time.time() - started
    return moments


def check_commands(laptop: Laptop, nsdesk: Path, version: str) -> Path:
    print("command line, from the bundle:")
    check(shutil.which("python3", path=laptop.env["PATH"]) is None, "no Python on PATH")
    result = laptop.run([str(nsdesk), "--version"])
    out = result.stdout
    check(result.returncode == 0, "--version exits 0", out + result.stderr)
    check(out.startswith(f"nsdesk {version}\n"), f"--version names {version}", out)
    for word in ("Catalogue", "Desk schema", "Qt (PySide6)", "SQLite", "reportlab", "openpyxl"):
        check(word in out and "not installed" not in out, f"--version gives {word}", out)
    check("Self-check    ok" in out, "the self-check passes", out)

    desk = laptop.root / "demo.nsdesk"
    result = laptop.run([str(nsdesk), "demo", str(desk)])
    check(result.returncode == 0 and desk.is_file(), "demo creates a desk", result.stderr)
    result = laptop.run([str(nsdesk), "check", str(desk)])
    check(
        result.returncode == 0 and "Integrity:  ok" in result.stdout,
        "check finds the demo desk sound",
        result.stdout + result.stderr,
    )
    pack = laptop.root / "pack.pdf"
    result = laptop.run([str(nsdesk), "brief", str(desk), "-o", str(pack)])
    check(
        result.returncode == 0 and pack.read_bytes()[:5] == b"%PDF-",
        "brief writes a PDF",
        result.stdout + result.stderr,
    )
    check(b"/NsSans" in pack.read_bytes() or b"Noto" in pack.read_bytes(), "the PDF embeds Noto")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pack), "-"], capture_output=True, text=True).stdout
        check("DEMO" in text and "Gift baskets" in text, "the PDF reads as a briefing pack", text)
    workbook = laptop.root / "register.xlsx"
    result = laptop.run([str(nsdesk), "export", str(desk), "-o", str(workbook)])
    check(result.returncode == 0, "export writes a workbook", result.stdout + result.stderr)
    with zipfile.ZipFile(workbook) as archive:
        check("xl/workbook.xml" in archive.namelist(), "the workbook is an .xlsx")
    result = laptop.run([str(nsdesk), "import", str(desk), str(workbook), "--dry-run"])
    check(
        result.returncode == 0,
        "import --dry-run reads the export back (calamine and the checks are bundled)",
        result.stdout + result.stderr,
    )
    return desk


def check_refusals(laptop: Laptop, bundle: Path, desk: Path) -> None:
    """Take out what the self-check guards, from a copy, and see the bundle refuse."""
    print("self-check, on a copy of the bundle with parts taken out:")
    broken = laptop.root / "broken"
    shutil.copytree(bundle, broken, symlinks=True)
    nsdesk = broken / f"nsdesk{EXE_SUFFIX}"
    internal = broken / "_internal"
    font = internal / "nsdesk" / "_resources" / "fonts" / "NotoSans-Regular.ttf"
    defused = internal / "defusedxml"
    for part, word in ((font, "NotoSans-Regular.ttf"), (defused, "defusedxml")):
        check(part.exists(), f"the bundle carries {part.relative_to(broken)}")
        aside = part.with_name(part.name + ".aside")
        part.rename(aside)
        try:
            result = laptop.run([str(nsdesk), "check", str(desk)])
            check(
                result.returncode == 4 and word in result.stderr,
                f"without {word} the bundle refuses to start (exit 4, naming it)",
                f"exit {result.returncode}\n{result.stdout}{result.stderr}",
            )
        finally:
            aside.rename(part)
    result = laptop.run([str(nsdesk), "check", str(desk)], extra_env={"OPENPYXL_DEFUSEDXML": "0"})
    check(
        result.returncode == 4 and "OPENPYXL_DEFUSEDXML" in result.stderr,
        "with OPENPYXL_DEFUSEDXML=0 the bundle refuses to start",
        result.stderr,
    )
    shutil.rmtree(broken)


def check_linux_desktop(laptop: Laptop, bundle: Path, desk: Path) -> None:
    print("desktop integration (Linux):")
    share = laptop.root / "xdg-data"
    config = laptop.root / "xdg-config"
    script = bundle / "install-desktop-integration.sh"
    check(script.is_file(), "the bundle carries install-desktop-integration.sh")
    result = subprocess.run(
        [str(script)],
        env={**os.environ, "XDG_DATA_HOME": str(share), "XDG_CONFIG_HOME": str(config)},
        capture_output=True,
        text=True,
    )
    check(result.returncode == 0, "the integration installs", result.stdout + result.stderr)
    entry = share / "applications" / f"{APP_ID}.desktop"
    globs = share / "mime" / "globs2"
    check(
        globs.is_file() and "application/x-nsdesk:*.nsdesk" in globs.read_text(),
        "the desktop now knows *.nsdesk as application/x-nsdesk",
        globs.read_text() if globs.is_file() else "no globs2",
    )
    check((share / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").is_file(), "icon")
    exec_line = next(
        line.split("=", 1)[1] for line in entry.read_text().splitlines() if line.startswith("Exec=")
    )
    command = shlex.split(exec_line)
    check(command[-1] == "%f" and Path(command[0]) == bundle / "nsdesk", "Exec runs this bundle")
    # What the file manager does on a double-click: the Exec line with %f as the desk.
    open_app(laptop, command[:-1], desk)
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True
        )
        check(result.returncode == 0, "desktop-file-validate accepts the entry", result.stdout)
    if shutil.which("appstreamcli"):
        metainfo = bundle / "share" / "metainfo" / f"{APP_ID}.metainfo.xml"
        result = subprocess.run(
            ["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True
        )
        check(result.returncode == 0, "appstreamcli validates the metainfo", result.stdout)


def measure(laptop: Laptop, nsdesk: Path, desk: Path) -> dict[str, float]:
    """Start-up, bundle against source, interleaved, medians of TIMING_RUNS."""
    print(f"start-up, bundle against source (medians of {TIMING_RUNS}, interleaved):")
    source = [str(SOURCE_PYTHON), "-m", "nsdesk"]
    source_env = {"PYTHONPATH": str(REPOSITORY), "PYTHONDONTWRITEBYTECODE": "1"}
    samples: dict[str, list[float]] = {}

    def sample(key: str, seconds: float) -> None:
        samples.setdefault(key, []).append(seconds)

    for _ in range(TIMING_RUNS):
        for label, command, env in (("bundle", [str(nsdesk)], {}), ("source", source, source_env)):
            started = time.perf_counter()
            result = laptop.run([*command, "--version"], extra_env=env)
            sample(f"version_{label}_s", time.perf_counter() - started)
            check(result.returncode == 0, f"--version from the {label}", result.stderr, quiet=True)
            moments = open_app(laptop, command, desk, quiet=True, **env)
            sample(f"first_paint_{label}_s", moments["first_paint"])
            sample(f"data_shown_{label}_s", moments["data_shown"])
    figures = {key: round(statistics.median(values), 3) for key, values in samples.items()}
    for what in ("version", "first_paint", "data_shown"):
        figures[f"{what}_bundle_over_source"] = round(
            figures[f"{what}_bundle_s"] / figures[f"{what}_source_s"], 2
        )
    return figures


def bundle_size(bundle: Path) -> dict[str, float]:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    qt = sum(p.stat().st_size for p in files if "PySide6" in p.parts)
    return {
        "bundle_mb": round(total / 1e6, 1),
        "bundle_files": len(files),
        "qt_mb": round(qt / 1e6, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--report", type=Path, help="write the figures here (JSON)")
    args = parser.parse_args()
    bundle = args.bundle.resolve()
    nsdesk = bundle / f"nsdesk{EXE_SUFFIX}"
    version = read_build_info().version
    print(f"smoke-testing {bundle} (nsdesk {version})")
    with tempfile.TemporaryDirectory(prefix="nsdesk-smoke-") as folder:
        laptop = Laptop(Path(folder))
        try:
            desk = check_commands(laptop, nsdesk, version)
            print("the app, from the bundle:")
            open_app(laptop, [str(nsdesk)], desk)
            if sys.platform == "linux" and shutil.which("xvfb-run"):
                xvfb = shutil.which("xvfb-run")
                # xvfb-run is a shell script that needs the system's PATH; the bundle does not.
                open_app(
                    laptop,
                    [xvfb, "-a", str(nsdesk)],
                    desk,
                    QT_QPA_PLATFORM="xcb",
                    PATH="/usr/bin:/bin",
                )
            check_refusals(laptop, bundle, desk)
            if sys.platform == "linux":
                check_linux_desktop(laptop, bundle, desk)
            figures = {**bundle_size(bundle), **measure(laptop, nsdesk, desk)}
        except SmokeTestError as failure:
            print(f"SMOKE TEST FAILED: {failure}", file=sys.stderr)
            return 1
    figures["network_isolated"] = bool(laptop.isolate)
    figures["platform"] = sys.platform
    print(json.dumps(figures, indent=2))
    if args.report:
        args.report.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
