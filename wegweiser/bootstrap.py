"""Set-up on first run: virtual environment, Python and npm packages, missing Debian packages.

Standard library only: this runs before any dependency is installed. `python3 build.py`
re-executes itself inside `.venv` once everything is in place, so the two commands in the
README work on a fresh Debian machine with nothing prepared.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".wegweiser-installed"

# Debian packages by purpose; each is probed by a command or a library it installs.
DEBIAN_BUILD = {
    "libpango-1.0-0": "libpango-1.0.so.0",
    "libpangoft2-1.0-0": "libpangoft2-1.0.so.0",
    "nodejs": "node",
    "npm": "npm",
}
DEBIAN_TEST = {
    "chromium": "chromium",
    "poppler-utils": "pdftotext",
    "gettext": "msgfmt",
    "default-jre-headless": "java",  # runs the Nu HTML Checker (npm vnu-jar) in the tests
}


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure(with_tests: bool) -> None:
    """Install what is missing, then re-run this command inside the virtual environment."""
    install_debian(DEBIAN_BUILD | (DEBIAN_TEST if with_tests else {}))
    install_python(with_tests)
    install_npm()
    if not in_venv():
        python = VENV / "bin" / "python"
        os.execv(python, [str(python), *sys.argv])


def install_debian(packages: dict[str, str]) -> None:
    missing = [name for name, probe in packages.items() if not _present(probe)]
    if not missing:
        return
    if not shutil.which("apt-get"):
        sys.exit(f"Please install these packages first: {' '.join(missing)}")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"Installing Debian packages: {' '.join(missing)}", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                   check=True, env=env)


def _present(probe: str) -> bool:
    if ".so" in probe:  # a library, under any multiarch directory
        return any(Path("/usr/lib").glob(f"*/{probe}")) or Path("/usr/lib", probe).exists()
    return shutil.which(probe) is not None


def requirements(with_tests: bool) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = project.get("optional-dependencies", {}).get("test", []) if with_tests else []
    return [*project["dependencies"], *extra]


def install_python(with_tests: bool) -> None:
    wanted = requirements(with_tests)
    digest = hashlib.sha256("\n".join(wanted).encode()).hexdigest()
    if STAMP.exists() and digest in STAMP.read_text().split():
        return
    if not (VENV / "bin" / "python").exists():
        print("Creating the virtual environment .venv", flush=True)
        result = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
        if result.returncode != 0:
            install_debian({"python3-venv": "python3-venv-is-missing"})
            shutil.rmtree(VENV, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print("Installing Python packages into .venv", flush=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q",
           "--disable-pip-version-check"]
    subprocess.run([*pip, *wanted], check=True)
    previous = STAMP.read_text().split() if STAMP.exists() else []
    STAMP.write_text("\n".join([*previous, digest]) + "\n")


def install_npm() -> None:
    """Fonts (and, for the tests, the browser tooling) come from the npm registry."""
    lock = ROOT / "package-lock.json"
    marker = ROOT / "node_modules" / ".package-lock.json"
    if not lock.exists() or (marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime):
        return
    print("Installing npm packages into node_modules", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT,
                   check=True)
