"""The templates for content repositories: pre-commit hooks, GitLab CI, GitHub Actions."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO, run_build

BIN = Path(sys.executable).parent


def vendor_check(schema: str, file: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema ships the GitLab CI and GitHub workflow schemas (no network)."""
    return subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(file)],
                          capture_output=True, text=True)


def test_gitlab_ci_checks_merge_requests_and_publishes_pages() -> None:
    file = REPO / ".gitlab-ci.yml"
    assert vendor_check("vendor.gitlab-ci", file).returncode == 0
    ci = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert "merge_request_event" in ci["check"]["rules"][0]["if"]
    assert "build.py check" in " ".join(ci["check"]["script"])
    pages = ci["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert "$CI_DEFAULT_BRANCH" in pages["rules"][0]["if"]
    assert "build.py build --out public" in " ".join(pages["script"])


def test_github_workflow_checks_pull_requests_and_deploys_pages() -> None:
    file = REPO / ".github" / "workflows" / "site.yml"
    assert vendor_check("vendor.github-workflows", file).returncode == 0
    flow = yaml.safe_load(file.read_text(encoding="utf-8"))
    jobs = flow["jobs"]
    assert "pull_request" in flow[True]  # YAML 1.1 reads the key `on` as true
    uses = [s.get("uses", "") for job in jobs.values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    runs = [s.get("run", "") for s in jobs["check"]["steps"]]
    assert any("--format github check" in r for r in runs)


def hooks() -> list[dict]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [h for repo in config["repos"] for h in repo["hooks"]]


def test_pre_commit_schema_hooks_pass_on_the_shipped_content(shipped_project: Path) -> None:
    """Run each check-jsonschema hook as pre-commit would: its entry on the files it matches."""
    assert run_build(shipped_project, "schemas").returncode == 0
    files = [p.relative_to(shipped_project).as_posix()
             for p in sorted(shipped_project.rglob("*.y*ml")) if "schemas" not in p.parts]
    covered = set()
    for hook in hooks():
        if not hook["entry"].startswith("check-jsonschema"):
            continue
        matched = [f for f in files if re.search(hook["files"], f)]
        assert matched, hook["id"]
        covered.update(matched)
        command = shlex.split(hook["entry"])
        command[0] = str(BIN / "check-jsonschema")
        result = subprocess.run([*command, *matched], capture_output=True, text=True,
                                cwd=shipped_project)
        assert result.returncode == 0, (hook["id"], result.stdout)
    assert covered == {f for f in files if f.startswith(("offers/", "content/"))}


def test_pre_commit_check_hooks_run_the_real_commands(minimal_project: Path) -> None:
    entries = {h["id"]: h["entry"] for h in hooks()}
    assert entries["wegweiser-check"] == "python3 build.py check"
    assert entries["wegweiser-schemas"] == "python3 build.py schemas"
    offer = minimal_project / "offers" / "sprachcafe.yml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("category: sprache", "category: x"))
    result = run_build(minimal_project, "check")
    assert result.returncode == 1  # a failing hook stops the commit
