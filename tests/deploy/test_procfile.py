"""`make run` starts what compose starts: a web process per service, a worker per queue."""

from __future__ import annotations

import shlex

from tests.deploy.support import (
    REPO_ROOT,
    celery_worker,
    gunicorn_app,
    load_compose,
    service_packages,
)


def procfile() -> dict[str, list[str]]:
    entries = {}
    for line in (REPO_ROOT / "deploy" / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            entries[name.strip()] = shlex.split(command)
    return entries


def test_every_service_package_has_a_local_web_process_serving_its_app():
    served = {gunicorn_app(args) for args in procfile().values()}
    for package in service_packages():
        assert f"services.{package.name}:create_app()" in served, package.name


def test_every_queue_of_the_code_has_a_local_worker_running_its_services_app():
    workers = [w for w in map(celery_worker, procfile().values()) if w]
    for package in service_packages():
        for queue in package.queues:
            assert any(
                app == package.celery_app and queue in queues for app, queues, _ in workers
            ), f"no Procfile worker consumes {queue} with {package.celery_app}"


def test_the_local_run_has_the_workers_compose_has():
    compose_workers = {
        name for name, spec in load_compose()["services"].items() if name.endswith("-worker")
    }
    assert compose_workers <= set(procfile())
    assert sum("beat" in args for args in procfile().values()) == 1
