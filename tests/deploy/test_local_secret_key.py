"""`make run` generates a strong SECRET_KEY once under var/ and keeps using it."""

from __future__ import annotations

import importlib.util
import stat

from shared.config import secret_key_problem
from tests.deploy.support import REPO_ROOT


def _module():
    path = REPO_ROOT / "deploy" / "local" / "secret_key.py"
    spec = importlib.util.spec_from_file_location("local_secret_key", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_key_is_generated_once_private_and_strong_then_reused(tmp_path):
    ensure = _module().ensure_secret_key
    first_env: dict = {}
    key = ensure(first_env, tmp_path / "var")
    assert first_env["SECRET_KEY"] == key
    assert secret_key_problem(key) is None
    stored = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert ensure({}, tmp_path / "var") == key  # the next `make run` signs with the same key


def test_a_key_the_operator_set_is_left_alone(tmp_path):
    env = {"SECRET_KEY": "x" * 40}
    assert _module().ensure_secret_key(env, tmp_path) == "x" * 40
    assert not (tmp_path / "secret_key").exists()
