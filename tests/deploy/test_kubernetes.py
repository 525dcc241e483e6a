"""deploy/k8s: valid manifests, a complete Kustomize tree, and the same shape as compose."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest

from tests.deploy.support import (
    K8S_DIR,
    celery_worker,
    command_args,
    gunicorn_app,
    load_compose,
    load_yaml,
    load_yaml_documents,
    service_packages,
)

KUBERNETES_VERSION = "1.31.0"
BASE = K8S_DIR / "base"
KEDA = K8S_DIR / "components" / "keda"

# KEDA's CRDs are not in kubernetes-validate's schemas: the part of them we rely on.
KEDA_SCALED_OBJECT = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "keda.sh/v1alpha1"},
        "kind": {"const": "ScaledObject"},
        "metadata": {"type": "object", "required": ["name"]},
        "spec": {
            "type": "object",
            "required": ["scaleTargetRef", "triggers"],
            "additionalProperties": False,
            "properties": {
                "scaleTargetRef": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}},
                },
                "minReplicaCount": {"type": "integer", "minimum": 0},
                "maxReplicaCount": {"type": "integer", "minimum": 1},
                "pollingInterval": {"type": "integer", "minimum": 1},
                "cooldownPeriod": {"type": "integer", "minimum": 0},
                "triggers": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["type", "metadata"],
                        "properties": {
                            "type": {"const": "redis"},
                            "metadata": {
                                "type": "object",
                                "required": ["listName", "listLength"],
                                "additionalProperties": {"type": "string"},
                                "properties": {"listLength": {"pattern": "^[0-9]+$"}},
                            },
                            "authenticationRef": {
                                "type": "object",
                                "required": ["name"],
                            },
                        },
                    },
                },
            },
        },
    },
}
KEDA_TRIGGER_AUTHENTICATION = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "keda.sh/v1alpha1"},
        "kind": {"const": "TriggerAuthentication"},
        "spec": {
            "type": "object",
            "required": ["secretTargetRef"],
            "properties": {
                "secretTargetRef": {
                    "type": "array",
                    "items": {"type": "object", "required": ["parameter", "name", "key"]},
                }
            },
        },
    },
}


def kustomizations() -> list[Path]:
    return sorted(K8S_DIR.rglob("kustomization.yaml"))


def listed_files(kustomization: Path) -> list[Path]:
    """The manifest files a kustomization (and the directories it includes) brings in."""
    spec = load_yaml(kustomization)
    files = []
    for entry in [*spec.get("resources", []), *spec.get("components", [])]:
        path = (kustomization.parent / entry).resolve()
        if path.is_dir():
            files += listed_files(path / "kustomization.yaml")
        else:
            files.append(path)
    return files


def base_documents() -> list[dict]:
    return [
        doc
        for path in listed_files(BASE / "kustomization.yaml")
        for doc in load_yaml_documents(path)
    ]


def deployments() -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in base_documents() if doc["kind"] == "Deployment"}


def container(deployment: dict) -> dict:
    return deployment["spec"]["template"]["spec"]["containers"][0]


def keda_documents() -> list[dict]:
    return [
        doc
        for path in listed_files(KEDA / "kustomization.yaml")
        for doc in load_yaml_documents(path)
    ]


@pytest.mark.parametrize(
    "kustomization", kustomizations(), ids=lambda p: str(p.relative_to(K8S_DIR))
)
def test_everything_a_kustomization_lists_exists(kustomization):
    spec = load_yaml(kustomization)
    assert spec["kind"] in ("Kustomization", "Component")
    for entry in [*spec.get("resources", []), *spec.get("components", [])]:
        path = kustomization.parent / entry
        assert path.is_file() or (path / "kustomization.yaml").is_file(), f"{entry} is missing"


def test_every_manifest_file_is_used_by_a_kustomization_or_is_a_secret_template():
    used = {path for k in kustomizations() for path in listed_files(k)}
    for path in K8S_DIR.rglob("*.yaml"):
        if path.name == "kustomization.yaml" or path.name.endswith(".example.yaml"):
            continue
        assert path.resolve() in used, f"{path.relative_to(K8S_DIR)} is in no kustomization"


def kubernetes_manifests() -> list[tuple[str, dict]]:
    """Every Kubernetes object except KEDA's, secret templates included."""
    found = []
    for path in sorted(K8S_DIR.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in load_yaml_documents(path):
            if not doc["apiVersion"].startswith("keda.sh/"):
                found.append(
                    (f"{path.relative_to(K8S_DIR)}:{doc['kind']}/{doc['metadata']['name']}", doc)
                )
    return found


@pytest.mark.parametrize("manifest", kubernetes_manifests(), ids=lambda m: m[0])
def test_manifest_is_valid_for_kubernetes(manifest):
    _name, doc = manifest
    try:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        pytest.fail(f"{'/'.join(map(str, error.path))}: {error.message}")


def test_keda_objects_have_the_structure_keda_expects():
    documents = keda_documents()
    assert documents
    for doc in documents:
        schema = (
            KEDA_SCALED_OBJECT if doc["kind"] == "ScaledObject" else KEDA_TRIGGER_AUTHENTICATION
        )
        jsonschema.validate(doc, schema)


def test_every_service_package_has_a_web_deployment_service_autoscaler_and_probes():
    docs = base_documents()
    by_kind = {(doc["kind"], doc["metadata"]["name"]) for doc in docs}
    for package in service_packages():
        deployment = deployments().get(package.name)
        assert deployment, f"no Deployment for services/{package.name}"
        web = container(deployment)
        assert gunicorn_app(web["command"]) == f"services.{package.name}:create_app()"
        assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert ("Service", package.name) in by_kind
        assert ("HorizontalPodAutoscaler", package.name) in by_kind


def test_every_queue_of_the_code_has_a_worker_deployment_scaled_by_keda_on_that_queue():
    workers = {
        name: worker
        for name, deployment in deployments().items()
        if (worker := celery_worker(container(deployment)["command"]))
    }
    scaled = {
        doc["spec"]["scaleTargetRef"]["name"]: doc
        for doc in keda_documents()
        if doc["kind"] == "ScaledObject"
    }
    for package in service_packages():
        for queue in sorted(package.queues):
            names = [
                name
                for name, (app, queues, _node) in workers.items()
                if app == package.celery_app and queue in queues
            ]
            assert names, f"no worker Deployment runs {package.celery_app} on {queue}"
            for name in names:
                assert name in scaled, f"no KEDA ScaledObject scales {name}"
                lists = {t["metadata"]["listName"] for t in scaled[name]["spec"]["triggers"]}
                assert lists == {queue}, f"{name} is scaled on {lists}, not on its queue {queue}"
    for name in scaled:
        assert name in workers, f"ScaledObject targets {name}, which is not a worker Deployment"


def test_beat_is_a_single_replica_that_is_replaced_not_rolled():
    beat = deployments()["beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"


def test_pods_run_as_non_root_with_read_only_root_and_resource_limits():
    pods = [
        doc["spec"]["template"]["spec"]
        for doc in base_documents()
        if doc["kind"] in ("Deployment", "Job")
    ]
    assert pods
    for pod in pods:
        assert pod["securityContext"]["runAsNonRoot"] is True
        for each in pod["containers"]:
            assert each["securityContext"]["allowPrivilegeEscalation"] is False
            assert each["securityContext"]["readOnlyRootFilesystem"] is True
            assert each["resources"]["requests"] and each["resources"]["limits"]["memory"]


def test_kubernetes_runs_the_same_commands_as_compose():
    services = load_compose()["services"]
    k8s = {name: container(doc)["command"] for name, doc in deployments().items()}
    job = next(doc for doc in base_documents() if doc["kind"] == "Job")
    k8s["migrate"] = job["spec"]["template"]["spec"]["containers"][0]["command"]
    for name, command in k8s.items():
        assert name in services, f"{name} runs on Kubernetes but not in compose"
        compose_args = [arg.replace("$$", "$") for arg in command_args(services[name]["command"])]
        assert command_args(command) == compose_args, name


def test_ingress_routes_like_the_gateway():
    ingress = next(doc for doc in base_documents() if doc["kind"] == "Ingress")
    paths = {
        path["path"]: path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    services = {doc["metadata"]["name"] for doc in base_documents() if doc["kind"] == "Service"}
    for package in service_packages():
        prefix = "/" if package.name == "portal" else f"/api/{package.name}/"
        assert paths.get(prefix) == package.name
    assert set(paths.values()) <= services
