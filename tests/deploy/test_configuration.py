"""Configuration: .env.example lists every variable the code and the manifests use."""

from __future__ import annotations

import re

from tests.deploy.support import (
    COMPOSE_FILE,
    K8S_DIR,
    env_example_names,
    env_vars_read_by_code,
    load_yaml_documents,
)


def test_every_variable_the_code_reads_is_listed_in_env_example():
    listed = env_example_names()
    missing = {name: where for name, where in env_vars_read_by_code().items() if name not in listed}
    assert not missing, "missing from .env.example: " + ", ".join(
        f"{name} (read in {where})" for name, where in sorted(missing.items())
    )


def test_the_variable_scan_finds_reads_split_over_two_lines():
    read = env_vars_read_by_code()
    assert "JWKS_URL" in read, "shared/config.py reads JWKS_URL over two lines"
    assert "REDIS_URL" in read


def test_every_key_of_the_kubernetes_config_and_secret_is_listed_in_env_example():
    listed = env_example_names()
    for path in (K8S_DIR / "base").glob("*.yaml"):
        for doc in load_yaml_documents(path):
            if doc.get("kind") in ("ConfigMap", "Secret"):
                keys = {**doc.get("data", {}), **doc.get("stringData", {})}
                unknown = sorted(set(keys) - listed)
                assert not unknown, f"{path.name} sets {unknown}, which .env.example does not list"


def test_variables_compose_requires_are_listed_in_env_example():
    listed = env_example_names()
    required = re.findall(r"\$\{([A-Z][A-Z0-9_]*):\?", COMPOSE_FILE.read_text(encoding="utf-8"))
    assert required, "compose requires POSTGRES_PASSWORD at least"
    for name in required:
        assert name in listed, f"docker compose refuses to start without {name}; list it"
