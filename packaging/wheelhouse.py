"""Collect every wheel nsdesk needs on the supported platforms into one folder, and
prove the folder installs nsdesk with no network.

    python packaging/wheelhouse.py build/wheelhouse [--no-verify]

1. builds nsdesk's own wheel;
2. downloads, for each supported platform and Python version, every wheel its
   dependencies need (binary wheels only: a laptop without a compiler cannot
   build an sdist);
3. writes SHA256SUMS and INSTALL.txt beside the wheels;
4. resolves nsdesk from the folder alone for every platform and Python version,
   then creates a fresh virtual environment, installs nsdesk into it from the folder
   alone (``--no-index``, pip's configuration ignored, in a network namespace of
   its own when Linux allows), and runs ``nsdesk --version``, ``nsdesk demo`` and
   ``nsdesk check`` there.

IT installs with::

    python -m venv nsdesk-env
    nsdesk-env/bin/pip install --no-index --find-links WHEELHOUSE nsdesk
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build_info import REPOSITORY, read_build_info  # noqa: E402
from offline import network_isolation  # noqa: E402


@dataclass(frozen=True)
class Platform:
    name: str
    #: pip's --platform tags. For macOS pip also takes wheels built for older
    #: releases; for Linux it does not, so every glibc the laptop's can run is named.
    tags: tuple[str, ...]


def _manylinux(newest_glibc_minor: int, machine: str) -> tuple[str, ...]:
    """manylinux tags from glibc 2.``newest_glibc_minor`` down to 2.17 (manylinux2014)."""
    tags = [f"manylinux_2_{minor}_{machine}" for minor in range(newest_glibc_minor, 16, -1)]
    return (*tags, f"manylinux2014_{machine}")


#: Where delegation laptops run nsdesk. Linux needs glibc 2.34 or newer (Qt 6.11's
#: wheels do): RHEL 9, Ubuntu 22.04, Debian 12 and later. macOS 13 or newer.
PLATFORMS = (
    Platform("Windows 10/11, x86-64", ("win_amd64",)),
    Platform("macOS 13+, Apple silicon", ("macosx_13_0_arm64",)),
    Platform("macOS 13+, Intel", ("macosx_13_0_x86_64",)),
    Platform("Linux (glibc 2.34+), x86-64", _manylinux(34, "x86_64")),
)
#: The CPython versions a laptop may have (pyproject: requires-python >= 3.11).
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")


def _pip(python: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(python), "-m", "pip", *args], check=True, env=env)


def build_own_wheel(folder: Path) -> Path:
    version = read_build_info().version
    _pip(Path(sys.executable), "wheel", "--quiet", "--no-deps", "-w", str(folder), str(REPOSITORY))
    wheel = folder / f"nsdesk-{version}-py3-none-any.whl"
    if not wheel.is_file():
        raise SystemExit(f"wheelhouse: pip wheel did not produce {wheel.name}")
    return wheel


def download_dependencies(folder: Path, own_wheel: Path) -> None:
    for platform in PLATFORMS:
        for version in PYTHON_VERSIONS:
            print(f"wheelhouse: {platform.name}, Python {version}", flush=True)
            _pip(
                Path(sys.executable),
                "download",
                "--quiet",
                "--only-binary=:all:",
                *(arg for tag in platform.tags for arg in ("--platform", tag)),
                "--python-version",
                version,
                "--implementation",
                "cp",
                "--dest",
                str(folder),
                str(own_wheel),
            )


def write_checksums(folder: Path) -> Path:
    lines = []
    for wheel in sorted(folder.glob("*.whl")):
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        lines.append(f"{digest}  {wheel.name}")
    sums = folder / "SHA256SUMS"
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sums


def write_instructions(folder: Path) -> None:
    version = read_build_info().version
    platforms = "\n".join(f"  - {p.name}" for p in PLATFORMS)
    (folder / "INSTALL.txt").write_text(
        f"""nsdesk {version}: offline installation from this folder

Every wheel nsdesk needs is here, for Python {", ".join(PYTHON_VERSIONS)} on:
{platforms}

Check the files first (Linux, macOS: `shasum -a 256 -c SHA256SUMS`; Windows
PowerShell: `Get-FileHash` against SHA256SUMS). Then, with no network:

  python -m venv C:\\nsdesk-env        (or ~/nsdesk-env)
  C:\\nsdesk-env\\Scripts\\pip install --no-index --find-links THIS_FOLDER nsdesk
  ~/nsdesk-env/bin/pip install --no-index --find-links THIS_FOLDER nsdesk

This gives `nsdesk` (command line) and `nsdesk-gui` (the app, no console window).
`nsdesk --version` must end with "Self-check    ok".
""",
        encoding="utf-8",
    )


def offline_environment() -> dict[str, str]:
    """The environment for pip with no index: pip's own configuration (which here
    names local package folders) is ignored, so only the wheelhouse can serve."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def verify_every_platform(folder: Path, isolate: list[str], env: dict[str, str]) -> None:
    """Resolve nsdesk from ``folder`` alone for every platform and Python version
    (pip's dry run: what it would install on that laptop), so a wheel missing for
    one platform fails here and not in a ministry's IT department."""
    with tempfile.TemporaryDirectory(prefix="nsdesk-resolve-") as target:
        for platform in PLATFORMS:
            for version in PYTHON_VERSIONS:
                resolved = subprocess.run(
                    [
                        *isolate,
                        sys.executable,
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--dry-run",
                        "--ignore-installed",
                        "--no-index",
                        "--only-binary=:all:",
                        "--find-links",
                        str(folder),
                        *(arg for tag in platform.tags for arg in ("--platform", tag)),
                        "--python-version",
                        version,
                        "--implementation",
                        "cp",
                        "--target",
                        target,
                        "nsdesk",
                    ],
                    env=env,
                )
                if resolved.returncode != 0:
                    raise SystemExit(
                        f"wheelhouse: incomplete for {platform.name}, Python {version} "
                        "(pip says which wheel is missing, above)"
                    )
    combinations = len(PLATFORMS) * len(PYTHON_VERSIONS)
    print(f"wheelhouse: resolves offline for every platform and Python ({combinations})")


def verify(folder: Path) -> None:
    """Install nsdesk from ``folder`` alone into a fresh venv and run it."""
    isolate = network_isolation()
    if not isolate:
        print("wheelhouse: no network namespace here; the install runs with --no-index only")
    env = offline_environment()
    verify_every_platform(folder, isolate, env)
    with tempfile.TemporaryDirectory(prefix="nsdesk-wheelhouse-") as scratch:
        root = Path(scratch)
        venv = root / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        bin_dir = venv / ("Scripts" if sys.platform == "win32" else "bin")
        python = bin_dir / ("python.exe" if sys.platform == "win32" else "python")
        print("wheelhouse: installing into a fresh venv, no index, no network", flush=True)
        subprocess.run(
            [
                *isolate,
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-index",
                "--only-binary=:all:",
                "--find-links",
                str(folder),
                "nsdesk",
            ],
            check=True,
            env=env,
        )
        nsdesk = bin_dir / ("nsdesk.exe" if sys.platform == "win32" else "nsdesk")
        run_env = {**env, "NSDESK_HOME": str(root / "home")}
        version = subprocess.run(
            [*isolate, str(nsdesk), "--version"],
            check=True,
            capture_output=True,
            text=True,
            env=run_env,
        ).stdout
        print(version)
        if "Self-check    ok" not in version:
            raise SystemExit("wheelhouse: the installed nsdesk fails its self-check")
        desk = root / "demo.nsdesk"
        subprocess.run([*isolate, str(nsdesk), "demo", str(desk)], check=True, env=run_env)
        check = subprocess.run(
            [*isolate, str(nsdesk), "check", str(desk)],
            capture_output=True,
            text=True,
            env=run_env,
        )
        print(check.stdout)
        if check.returncode != 0 or "Integrity:  ok" not in check.stdout:
            raise SystemExit(f"wheelhouse: nsdesk check failed\n{check.stdout}{check.stderr}")
    print("wheelhouse: installed offline into a fresh venv; nsdesk check passes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--no-verify", action="store_true", help="skip the offline install")
    args = parser.parse_args()
    folder = args.folder.resolve()
    if folder.exists():
        shutil.rmtree(folder)  # a wheel of an earlier version must not linger
    folder.mkdir(parents=True)
    own = build_own_wheel(folder)
    download_dependencies(folder, own)
    write_checksums(folder)
    write_instructions(folder)
    wheels = sorted(folder.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels) / 1e6
    print(f"wheelhouse: {len(wheels)} wheels, {size:.0f} MB, in {folder}")
    if not args.no_verify:
        verify(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
