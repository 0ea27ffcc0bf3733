"""Set-up on first run: virtual environment, locked Python and npm packages, Debian packages.

Standard library only: this runs before any dependency is installed. `python3 build.py`
re-executes itself inside `.venv` once everything is in place, so the two commands in the
README work on a fresh Debian machine with nothing prepared.

The locks decide, never the registry: Python packages come from `uv.lock` (exact versions
with hashes, installed by uv, itself installed from the same lock with its hashes), npm
packages from `package-lock.json` (`npm ci`). What is installed is remembered by the
locks' content, so a fresh clone or a changed lock installs again, and nothing else does.
`python3 build.py upgrade` refreshes the locks on purpose (see `upgrade`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from wegweiser.resources import CHECKOUT as ROOT

VENV = ROOT / ".venv"
UV_LOCK = ROOT / "uv.lock"
NPM_LOCK = ROOT / "package-lock.json"
PYTHON_STAMP = VENV / ".wegweiser-installed"
# Bytecode is compiled at install, as pip does: a build imports some 600 modules, and where
# PYTHONDONTWRITEBYTECODE is set (common in containers) they were compiled on every run.
# The stamp says so ("bytecode" after the profile), and an older stamp installs once more.
UV_SYNC = ("sync", "--frozen", "--no-install-project", "--compile-bytecode")
NPM_STAMP = ROOT / "node_modules" / ".wegweiser-installed"

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
    "faketime": "faketime",  # builds under another real clock: output must not show it
    "zbar-tools": "zbarimg",  # decodes the QR codes of rendered brochure pages in the tests
    "nginx": "/usr/sbin/nginx",  # serves the site with its .gz files as production does
}


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure(with_tests: bool) -> None:
    """Install what is missing, then re-run this command inside the virtual environment."""
    install_debian(DEBIAN_BUILD | (DEBIAN_TEST if with_tests else {}))
    install_python(with_tests)
    install_npm(with_tests)
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


# --- Python packages from uv.lock -----------------------------------------------------------


def _installed(stamp: Path, lock: Path, profile: str, *how: str) -> bool:
    """True if `profile` (build or test) was installed from this very lock, and `how`.

    The test profile holds the build profile, so a build after the tests installs nothing."""
    if not stamp.exists():
        return False
    digest, _, profiles = stamp.read_text().partition(" ")
    wanted = {"build", "test"} if profile == "build" else {"test"}
    words = set(profiles.split())
    return digest == _digest(lock) and bool(wanted & words) and words.issuperset(how)


def _digest(*files: Path) -> str:
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def install_python(with_tests: bool) -> None:
    profile = "test" if with_tests else "build"
    if _installed(PYTHON_STAMP, UV_LOCK, profile, "bytecode"):
        return
    if not (VENV / "bin" / "python").exists():
        print("Creating the virtual environment .venv", flush=True)
        if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
            install_debian({"python3-venv": "python3-venv-is-missing"})
            shutil.rmtree(VENV, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    install_uv()
    print(f"Installing the Python packages of uv.lock ({profile}) into .venv", flush=True)
    extras = ["--extra", "test"] if with_tests else []
    run_uv(*UV_SYNC, *extras)
    PYTHON_STAMP.write_text(f"{_digest(UV_LOCK)} {profile} bytecode\n")


def uv_version() -> tuple[str, list[str]]:
    """The version of uv in uv.lock and the sha256 of each of its wheels."""
    lock = tomllib.loads(UV_LOCK.read_text(encoding="utf-8"))
    uv = next(p for p in lock["package"] if p["name"] == "uv")
    return uv["version"], [w["hash"] for w in uv.get("wheels", [])]


def install_uv() -> None:
    """uv itself, at the version of the lock, checked against the lock's hashes by pip."""
    version, hashes = uv_version()
    uv = VENV / "bin" / "uv"
    if uv.exists():
        found = subprocess.run([str(uv), "--version"], capture_output=True, text=True).stdout
        if found.split()[1:2] == [version]:
            return
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as requirement:
        requirement.write(f"uv=={version} " + " ".join(f"--hash={h}" for h in hashes) + "\n")
        requirement.flush()
        subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "-q",
                        "--disable-pip-version-check", "--require-hashes", "--no-deps",
                        "-r", requirement.name], check=True)


def run_uv(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    # the machine's own Python, never one downloaded by uv; the project's .venv
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never", UV_PROJECT_ENVIRONMENT=str(VENV),
               UV_PYTHON=str(VENV / "bin" / "python"))
    return subprocess.run([str(VENV / "bin" / "uv"), "--quiet", *args], cwd=ROOT, env=env,
                          check=check, text=True)


# --- npm packages from package-lock.json ---------------------------------------------------


def install_npm(with_tests: bool) -> None:
    """Fonts (and, for the tests, the browser tooling) come from the npm registry."""
    profile = "test" if with_tests else "build"
    if not NPM_LOCK.exists() or _installed(NPM_STAMP, NPM_LOCK, profile):
        return
    print(f"Installing the npm packages of package-lock.json ({profile}) into node_modules",
          flush=True)
    omit = [] if with_tests else ["--omit=dev"]
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", *omit],
                   cwd=ROOT, check=True)
    NPM_STAMP.write_text(f"{_digest(NPM_LOCK)} {profile}\n")


# --- refreshing the locks on purpose -------------------------------------------------------


def pytest_arguments(args: list[str]) -> list[str]:
    """The suite's test files spread over one process per core (pytest-xdist), each file's
    tests in one process, so a file's fixtures are made once; `-n 0` runs it in one."""
    if any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" for a in args):
        return args
    return ["-n", "auto", "--dist", "loadfile", *args]


def upgrade(pytest_args: list[str]) -> int:
    """`build.py upgrade`: newest allowed versions into the locks, then the whole suite.

    The ranges in pyproject.toml and package.json say what may be taken. If the suite
    fails with the new versions, the old locks are put back and installed again, so the
    project stays as it was, and the failures are listed."""
    old = {lock: lock.read_bytes() for lock in (UV_LOCK, NPM_LOCK)}
    print("Looking for newer versions within the ranges of pyproject.toml", flush=True)
    run_uv("lock", "--upgrade")
    print("Looking for newer versions within the ranges of package.json", flush=True)
    subprocess.run(["npm", "update", "--package-lock-only", "--no-audit", "--no-fund",
                    "--loglevel=error"], cwd=ROOT, check=True)
    changes = changed_versions(old[UV_LOCK], old[NPM_LOCK])
    if not changes:
        print("Every package is at the newest allowed version already.")
        return 0
    print("New versions:\n" + "\n".join(f"  {line}" for line in changes), flush=True)
    install_python(with_tests=True)
    install_npm(with_tests=True)
    code = subprocess.run([str(VENV / "bin" / "python"), "-m", "pytest",
                           *pytest_arguments(["-q", *pytest_args])], cwd=ROOT).returncode
    if code == 0:
        print("The suite passes with the new versions: commit uv.lock and package-lock.json.")
        return 0
    for lock, text in old.items():
        lock.write_bytes(text)
    install_python(with_tests=True)
    install_npm(with_tests=True)
    print("The suite fails with the new versions (see above); the previous locks are back in"
          " place and installed. Pin the package that broke in pyproject.toml (e.g. `<2.19`)"
          " and run `python3 build.py upgrade` again.")
    return 1


def changed_versions(old_uv: bytes, old_npm: bytes) -> list[str]:
    """'name 1.0 -> 1.1' for every locked package whose version changed."""
    before = {**_uv_versions(old_uv), **_npm_versions(old_npm)}
    after = {**_uv_versions(UV_LOCK.read_bytes()), **_npm_versions(NPM_LOCK.read_bytes())}
    return [f"{name} {before.get(name, '(new)')} -> {version}"
            for name, version in sorted(after.items()) if before.get(name) != version]


def _uv_versions(text: bytes) -> dict[str, str]:
    lock = tomllib.loads(text.decode("utf-8"))
    # the project itself is in the lock too, without a version of its own
    return {p["name"]: p["version"] for p in lock["package"] if p["name"] != "wegweiser"}


def _npm_versions(text: bytes) -> dict[str, str]:
    import json

    packages = json.loads(text)["packages"]
    return {f"npm:{path.removeprefix('node_modules/')}": info["version"]
            for path, info in packages.items() if path.startswith("node_modules/")
            and "/node_modules/" not in path and "version" in info}
