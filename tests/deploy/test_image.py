"""deploy/Dockerfile and .dockerignore: lint-clean, hashed installs, non-root, no secrets inside."""

from __future__ import annotations

import re
import subprocess

from tests.deploy.support import DEPLOY, REPO_ROOT, venv_tool

DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def stages() -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for keyword, rest in instructions():
        if keyword == "FROM":
            found.append([])
        if found:
            found[-1].append((keyword, rest))
    return found


def test_hadolint_finds_nothing_in_the_dockerfile():
    result = subprocess.run(
        [str(venv_tool("hadolint")), "--no-color", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_is_built_in_two_stages_on_python_3_11_slim():
    assert len(stages()) == 2
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim", DOCKERFILE.read_text(), re.MULTILINE)
    builder, runtime = stages()
    assert builder[0][1].endswith("AS builder")
    assert ("COPY", "--from=builder /opt/venv /opt/venv") in runtime


def test_dependencies_are_installed_from_the_hashed_lock_and_the_project_without_deps():
    runs = [rest for keyword, rest in stages()[0] if keyword == "RUN"]
    assert any("--require-hashes" in run and "-r requirements.lock" in run for run in runs)
    assert any("pip install --no-deps ." in run for run in runs)


def test_final_stage_runs_as_a_numeric_non_root_user_without_build_tools():
    runtime = stages()[1]
    users = [rest for keyword, rest in runtime if keyword == "USER"]
    assert users and users[-1].split(":")[0].isdigit() and users[-1].split(":")[0] != "0"
    runs = " ".join(rest for keyword, rest in runtime if keyword == "RUN")
    assert "build-essential" not in runs and "gcc" not in runs


def test_no_secret_goes_into_the_image():
    for keyword, rest in instructions():
        if keyword in ("ENV", "ARG"):
            assert not re.search(r"SECRET|PASSWORD|DATABASE_URL|TOKEN", rest), rest
        if keyword == "COPY":
            assert ".env" not in rest.split(), rest
    patterns = DOCKERIGNORE.read_text(encoding="utf-8").split()
    assert patterns[patterns.index("*") if "*" in patterns else 0] == "*", "deny by default"
    assert "!.env" not in patterns and not any(p.startswith("!.env") for p in patterns)


def test_everything_the_dockerfile_copies_from_the_context_is_allowed_by_dockerignore():
    allowed = {
        line[1:].rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.startswith("!")
    }
    for keyword, rest in instructions():
        if keyword != "COPY" or "--from=" in rest:
            continue
        *sources, _destination = rest.split()
        for source in sources:
            assert source.rstrip("/") in allowed, f"{source} is excluded by .dockerignore"
            assert (REPO_ROOT / source).exists(), f"{source} does not exist"
