"""What the deployment tests read: the code's shape, the compose file, manifests, the gateway.

The list of services always comes from the code (packages under services/ with an
__init__.py), so the checks follow what exists in the checkout.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
NGINX_DIR = DEPLOY / "nginx"
NGINX_TEMPLATE = NGINX_DIR / "templates" / "default.conf.template"
K8S_DIR = DEPLOY / "k8s"
VENV_BIN = Path(sys.executable).parent

# env.str("NAME", ...) and friends, possibly with the name on the next line.
ENV_READ = re.compile(r"env\.(?:str|int|bool|float|list|raw)\(\s*[\"']([A-Z0-9_]+)[\"']")
# A queue a service's tasks name explicitly (queue="webhooks", "queue": "webhooks").
QUEUE_LITERAL = re.compile(r"[\"']?\bqueue[\"']?\s*[:=]\s*[\"']([a-z][a-z0-9_-]*)[\"']")


@dataclass(frozen=True)
class ServicePackage:
    """One package under services/, as the deployment files must know it."""

    name: str
    path: Path

    @property
    def has_tasks(self) -> bool:
        return (self.path / "tasks.py").is_file() or (self.path / "tasks" / "__init__.py").is_file()

    @property
    def has_database(self) -> bool:
        return (self.path / "migrations").is_dir()

    @property
    def celery_app(self) -> str:
        return f"services.{self.name}.tasks:celery_app"

    @property
    def queues(self) -> set[str]:
        """Its own queue, plus any other queue its tasks name (the webhooks queue, say)."""
        if not self.has_tasks:
            return set()
        sources = [self.path / "tasks.py", *sorted((self.path / "tasks").glob("*.py"))]
        named = {
            match
            for source in sources
            if source.is_file()
            for match in QUEUE_LITERAL.findall(source.read_text(encoding="utf-8"))
        }
        return {self.name, *named}


def service_packages() -> list[ServicePackage]:
    """The services that exist in this checkout."""
    root = REPO_ROOT / "services"
    return [
        ServicePackage(path.name, path)
        for path in sorted(root.iterdir())
        if path.is_dir() and (path / "__init__.py").is_file()
    ]


def env_vars_read_by_code() -> dict[str, str]:
    """Every variable read through shared.config's helpers, with one file that reads it."""
    found: dict[str, str] = {}
    for top in ("services", "shared"):
        for source in sorted((REPO_ROOT / top).rglob("*.py")):
            for name in ENV_READ.findall(source.read_text(encoding="utf-8")):
                found.setdefault(name, str(source.relative_to(REPO_ROOT)))
    return found


def env_example_names() -> set[str]:
    """Variables listed in .env.example, set (`NAME=`) or commented out (`# NAME=`)."""
    if not ENV_EXAMPLE.is_file():
        pytest.fail(f"{ENV_EXAMPLE.name} is missing: it must list every variable, with a comment")
    pattern = re.compile(r"^\s*#?\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=", re.MULTILINE)
    return set(pattern.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))


def load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_yaml_documents(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def load_compose() -> dict:
    return load_yaml(COMPOSE_FILE)


def command_args(command) -> list[str]:
    """A compose or Kubernetes command as an argument list, whichever form it is written in."""
    if command is None:
        return []
    if isinstance(command, str):
        return shlex.split(command)
    return [str(arg) for arg in command]


def option_value(args: list[str], *flags: str) -> str | None:
    """The value after the first of `flags` in an argument list."""
    for index, arg in enumerate(args[:-1]):
        if arg in flags:
            return args[index + 1]
    return None


def celery_worker(args: list[str]) -> tuple[str, set[str], str] | None:
    """(app, queues, node name) of a `celery ... worker` command, None for anything else."""
    if not args or Path(args[0]).name != "celery" or "worker" not in args:
        return None
    app = option_value(args, "-A", "--app") or ""
    queues = set((option_value(args, "-Q", "--queues") or "").split(",")) - {""}
    node = option_value(args, "-n", "--hostname") or ""
    return app, queues, node


def gunicorn_app(args: list[str]) -> str | None:
    """The WSGI app a gunicorn command serves (its last argument), None for anything else."""
    if not args or Path(args[0]).name != "gunicorn":
        return None
    return args[-1]


def venv_tool(name: str) -> Path:
    """A console script of the test run's own virtualenv (hadolint, kubernetes-validate)."""
    path = VENV_BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed next to {sys.executable}; run `make install`")
    return path


def require_binary(name: str, *candidates: str) -> str:
    """A system binary; missing on CI is a failure, missing locally a skip."""
    found = shutil.which(name) or next((c for c in candidates if Path(c).exists()), None)
    if found:
        return found
    message = f"{name} is not installed (apt-get install {name}; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# --- the gateway ------------------------------------------------------------------------------


def render_template(text: str, variables: dict[str, str]) -> str:
    """envsubst limited to `variables`, as the nginx image's entrypoint does with its filter:
    `$NAME` and `${NAME}` of those names are replaced, nginx's own `$variables` stay."""

    def replace(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        return variables[name] if name in variables else match.group(0)

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", replace, text)


def template_variables() -> set[str]:
    """The `${NAME}` placeholders of the gateway template."""
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", NGINX_TEMPLATE.read_text(encoding="utf-8")))


def local_gateway_variables(listen: int = 8000, upstreams: dict[str, str] | None = None):
    """The template's variables for a gateway on this machine: services on 127.0.0.1:800x."""
    from shared.config import LOCAL_PORTS

    variables = {
        f"{name.upper()}_UPSTREAM": f"127.0.0.1:{port}"
        for name, port in LOCAL_PORTS.items()
        if name != "gateway"
    }
    variables.update(upstreams or {})
    variables.update({"GATEWAY_LISTEN": str(listen), "GATEWAY_RESOLVER": "127.0.0.1"})
    return variables


def render_local_gateway(directory: Path, variables: dict[str, str]) -> Path:
    """deploy/nginx rendered into `directory` for an nginx that is not root and not in Docker.

    deploy/nginx/nginx.conf keeps every path nginx writes under /tmp (it is written for the
    unprivileged image), so relocating /tmp and the conf.d include is all it takes.
    Returns the main configuration file, for `nginx -p directory -c <it>`.
    """
    conf_d = directory / "conf.d"
    conf_d.mkdir(parents=True, exist_ok=True)
    rendered = render_template(NGINX_TEMPLATE.read_text(encoding="utf-8"), variables)
    (conf_d / "default.conf").write_text(rendered, encoding="utf-8")
    main = (NGINX_DIR / "nginx.conf").read_text(encoding="utf-8")
    for original in ("/tmp/", "/etc/nginx/conf.d/"):
        if original not in main:
            raise AssertionError(f"deploy/nginx/nginx.conf no longer mentions {original}")
    relocated = {"/etc/nginx/conf.d/": f"{conf_d}/", "/tmp/": f"{directory}/"}
    main = re.sub("|".join(map(re.escape, relocated)), lambda m: relocated[m.group(0)], main)
    if not Path("/etc/nginx/mime.types").exists():
        (directory / "mime.types").write_text("types { text/html html; }\n", encoding="utf-8")
        main = main.replace("/etc/nginx/mime.types", str(directory / "mime.types"))
    path = directory / "nginx.conf"
    path.write_text(main, encoding="utf-8")
    return path
