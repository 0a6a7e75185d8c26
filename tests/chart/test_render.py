"""The chart renders, lints and validates for every value set; it refuses what cannot work."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from .conftest import CHART, VALUE_SETS, Manifest, render

KUBERNETES_VERSIONS = ("1.30", "1.33")
CRDS = Path(__file__).parent / "crds"
#: Kinds whose CRD is not here: their shape is asserted by the tests below instead (the
#: PrometheusRule's by tests/monitoring).
SHAPE_CHECKED = {"KafkaTopic", "ServiceMonitor", "PrometheusRule"}
Render = Callable[[dict[str, Any]], list[Manifest]]


def _strict(schema: Any) -> Any:
    """A CRD schema that refuses unknown fields, as the API server prunes (and would drop)
    them: a misspelt field fails here instead of vanishing in the cluster."""
    if isinstance(schema, dict):
        out = {key: _strict(value) for key, value in schema.items()}
        if (
            "properties" in out
            and "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")
        ):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


def _crd_validators() -> dict[str, Draft202012Validator]:
    validators = {}
    for path in sorted(CRDS.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        for version in crd["spec"]["versions"]:
            schema = _strict(version["schema"]["openAPIV3Schema"])
            api_version = f"{crd['spec']['group']}/{version['name']}"
            validators[f"{api_version}/{crd['spec']['names']['kind']}"] = Draft202012Validator(
                schema
            )
    return validators


CRD_VALIDATORS = _crd_validators()


def _of(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def test_every_value_set_passes_the_schema_and_lint(value_set: str) -> None:
    with helm.Chart.load(CHART) as chart:
        chart.validate_schema(VALUE_SETS[value_set])
    report = helm.lint(CHART, VALUE_SETS[value_set], strict=True, kube_version="v1.30.0")
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


def test_every_object_is_valid_kubernetes(manifests: list[Manifest]) -> None:
    checked = 0
    for manifest in manifests:
        key = f"{manifest['apiVersion']}/{manifest['kind']}"
        if key in CRD_VALIDATORS:
            errors = [e.message for e in CRD_VALIDATORS[key].iter_errors(manifest)]
            assert errors == [], f"{key} {manifest['metadata']['name']}: {errors}"
        elif manifest["kind"] not in SHAPE_CHECKED:
            for version in KUBERNETES_VERSIONS:
                kubernetes_validate.validate(manifest, version, strict=True)
        checked += 1
    assert checked == len(manifests) > 0


def test_the_crd_check_catches_a_misspelt_field() -> None:
    scaled = _of(_rendered("defaults"), "ScaledObject")
    assert list(CRD_VALIDATORS["keda.sh/v1alpha1/ScaledObject"].iter_errors(scaled[0])) == []
    broken = {**scaled[0], "spec": {**scaled[0]["spec"], "cooldownPeriods": 3}}
    validator = CRD_VALIDATORS["keda.sh/v1alpha1/ScaledObject"]
    assert list(validator.iter_errors(broken))


def test_names_are_unique_per_kind(manifests: list[Manifest]) -> None:
    keys = [(m["kind"], m["metadata"]["name"]) for m in manifests]
    assert len(keys) == len(set(keys))


def test_docflow_pods_run_under_restricted_security(manifests: list[Manifest]) -> None:
    docflow = [d for d in _of(manifests, "Deployment")]
    assert docflow
    for deployment in docflow:
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["automountServiceAccountToken"] is False
        tmp = {v["name"]: v for v in pod["volumes"]}["tmp"]
        assert "emptyDir" in tmp
        for container in pod["containers"] + pod.get("initContainers", []):
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"]["drop"] == ["ALL"]
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
            assert container["resources"]["limits"]
            assert container["resources"]["requests"]


def test_every_deployment_has_a_disruption_budget_and_spread(value_set: str) -> None:
    manifests = _rendered(value_set)
    budgets = {p["metadata"]["name"] for p in _of(manifests, "PodDisruptionBudget")}
    for deployment in _of(manifests, "Deployment"):
        assert deployment["metadata"]["name"] in budgets
        spread = deployment["spec"]["template"]["spec"].get("topologySpreadConstraints")
        assert bool(spread) == (value_set != "quickstart")


def test_no_replicas_where_an_autoscaler_owns_them(manifests: list[Manifest]) -> None:
    scaled = {s["spec"]["scaleTargetRef"]["name"] for s in _of(manifests, "ScaledObject")}
    scaled |= {
        h["spec"]["scaleTargetRef"]["name"] for h in _of(manifests, "HorizontalPodAutoscaler")
    }
    for deployment in _of(manifests, "Deployment"):
        name = deployment["metadata"]["name"]
        assert ("replicas" in deployment["spec"]) == (name not in scaled), name


def test_ingest_has_a_service_and_an_hpa_on_cpu() -> None:
    manifests = _rendered("defaults")
    (service,) = [s for s in _of(manifests, "Service") if s["metadata"]["name"].endswith("-ingest")]
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    (hpa,) = _of(manifests, "HorizontalPodAutoscaler")
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    assert hpa["spec"]["scaleTargetRef"]["name"] == "docflow-ingest"


def test_a_reconciler_runs_as_one_deployment(manifests: list[Manifest]) -> None:
    (reconciler,) = [
        d for d in _of(manifests, "Deployment") if d["metadata"]["name"].endswith("-reconciler")
    ]
    assert reconciler["spec"]["replicas"] == 1
    assert not [
        s for s in _of(manifests, "ScaledObject") if s["metadata"]["name"].endswith("-reconciler")
    ]


def test_migrations_run_docflow_migrate_before_install_and_upgrade() -> None:
    (job,) = [
        j for j in _of(_rendered("defaults"), "Job") if j["metadata"]["name"].endswith("-migrate")
    ]
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["docflow-migrate"]
    env = {e["name"]: e for e in container["env"]}
    assert env["DOCFLOW_STORE_URL"]["valueFrom"]["secretKeyRef"]["name"] == "docflow-secrets"
    scripts = (CHART.parents[1] / "libs" / "results" / "pyproject.toml").read_text()
    assert 'docflow-migrate = "docflow_results.migrate:main"' in scripts


def test_the_quickstart_migrates_in_init_containers_once_its_database_runs() -> None:
    manifests = _rendered("quickstart")
    assert not [j for j in _of(manifests, "Job") if j["metadata"]["name"].endswith("-migrate")]
    for deployment in _of(manifests, "Deployment"):
        env = {e["name"] for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
        inits = deployment["spec"]["template"]["spec"].get("initContainers", [])
        assert bool(inits) == ("DOCFLOW_STORE_URL" in env)
        for init in inits:
            assert init["command"] == ["docflow-migrate"]


def test_the_quickstart_starts_kafka_postgresql_and_minio() -> None:
    manifests = _rendered("quickstart")
    sets = {s["metadata"]["name"]: s for s in _of(manifests, "StatefulSet")}
    assert set(sets) == {"docflow-kafka", "docflow-postgresql", "docflow-minio"}
    kafka_env = {
        e["name"]: e.get("value")
        for e in sets["docflow-kafka"]["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    assert kafka_env["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft, no ZooKeeper
    (secret,) = _of(manifests, "Secret")
    assert {"api-keys", "webhook-secret", "store-url", "postgres-password"} <= set(secret["data"])
    jobs = {j["metadata"]["name"] for j in _of(manifests, "Job")}
    assert {"docflow-topics-1", "docflow-minio-bucket-1"} <= jobs


def test_none_of_the_quickstart_is_on_by_default() -> None:
    manifests = _rendered("defaults")
    assert not _of(manifests, "StatefulSet")
    assert not _of(manifests, "Secret")


def test_helm_test_posts_a_document_and_waits_until_stored(manifests: list[Manifest]) -> None:
    (pod,) = [
        p
        for p in _of(manifests, "Pod")
        if p["metadata"]["annotations"].get("helm.sh/hook") == "test"
    ]
    (script_map,) = [
        c for c in _of(manifests, "ConfigMap") if c["metadata"]["name"].endswith("-test")
    ]
    script = script_map["data"]["document-stored.sh"]
    assert "/v1/documents" in script
    assert "stored) exit 0" in script
    env = {e["name"]: e for e in pod["spec"]["containers"][0]["env"]}
    assert env["API"]["value"].startswith("http://docflow-ingest:")


def test_strimzi_topics_have_the_configured_partitions_and_retention() -> None:
    topics = _of(_rendered("aws"), "KafkaTopic")
    values = VALUE_SETS["aws"]["topics"]
    assert len(topics) == 14  # eight flow topics, six dead-letter topics
    for topic in topics:
        assert topic["apiVersion"] == "kafka.strimzi.io/v1"
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "main"
        spec = topic["spec"]
        assert set(spec) == {"topicName", "partitions", "replicas", "config"}
        assert spec["partitions"] == values["partitions"]
        assert spec["replicas"] == values["replicas"]
        hours = 720 if ".dlq." in spec["topicName"] else 168
        assert spec["config"] == {"retention.ms": str(hours * 3_600_000)}


def test_service_monitors_select_the_metrics_services() -> None:
    manifests = _rendered("aws")
    monitors = _of(manifests, "ServiceMonitor")
    services = {s["metadata"]["name"]: s for s in _of(manifests, "Service")}
    assert len(monitors) == 8
    for monitor in monitors:
        assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
        assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
        service = services[monitor["metadata"]["name"]]
        assert (
            monitor["spec"]["selector"]["matchLabels"].items()
            <= service["metadata"]["labels"].items()
        )
        (endpoint,) = monitor["spec"]["endpoints"]
        assert endpoint["path"] == "/metrics"
        assert endpoint["port"] in {p["name"] for p in service["spec"]["ports"]}


def test_serviceaccounts_carry_the_cloud_role() -> None:
    for account in _of(_rendered("aws"), "ServiceAccount"):
        annotations = account["metadata"]["annotations"]
        assert annotations["eks.amazonaws.com/role-arn"].startswith("arn:aws:iam::")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"services": {"extract": {"scaling": {"maxReplicaCount": 7}}}},
            "exceeds topics.partitions",
        ),
        ({"topics": {"partitions": 2}}, "exceeds topics.partitions"),
        ({"kafka": {"saslMechanism": "PLAIN"}}, "kafka.auth.existingSecret"),
    ],
)
def test_values_that_cannot_work_are_refused(
    render_chart: Render, values: dict[str, Any], message: str
) -> None:
    merged = _merge(VALUE_SETS["defaults"], values)
    with pytest.raises((helm.HelmRenderError, helm.HelmValuesError), match=message):
        render_chart(merged)


@pytest.mark.parametrize(
    "values",
    [
        {"topics": {"partitions": 0}},
        {"kafka": {"securityProtocol": "TLS"}},
        {"extract": {"backend": "tesseract"}},
        {"services": {"extract": {"env": {"EXTRACT_BACKEND": "local"}}}},
        {"services": {"reconciler": {"replicas": 2}}},
        {"blob": {"url": "/var/blobs"}},
        {"ingest": {"unknown": True}},
    ],
)
def test_the_schema_refuses_bad_values(values: dict[str, Any]) -> None:
    with helm.Chart.load(CHART) as chart, pytest.raises(helm.HelmValuesError):
        chart.validate_schema(_merge(VALUE_SETS["defaults"], values))


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("kafka", "kafka.bootstrap is required"),
        ("secrets", "secrets.existingSecret must name a Secret"),
        ("blob", "blob.url is required"),
    ],
)
def test_required_values_are_named_when_missing(
    render_chart: Render, section: str, message: str
) -> None:
    values = {key: value for key, value in VALUE_SETS["defaults"].items() if key != section}
    with pytest.raises(helm.HelmRenderError, match=message):
        render_chart(values)


def test_the_schema_describes_every_value() -> None:
    with helm.Chart.load(CHART) as chart:
        schema = chart.schema
        defaults = chart.values
    assert schema is not None
    missing = [path for path in _paths(defaults) if not _described(schema, path)]
    assert missing == []


_CACHE: dict[str, list[Manifest]] = {}


def _rendered(name: str) -> list[Manifest]:
    """One render per value set for the tests that name theirs."""
    if name not in _CACHE:
        _CACHE[name] = render(VALUE_SETS[name])
    return _CACHE[name]


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _paths(values: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path of the defaults, down to where a value is free-form (a map of names)."""
    if not isinstance(values, dict) or not values:
        return [prefix]
    return [path for key, value in values.items() for path in _paths(value, (*prefix, key))]


def _described(schema: dict[str, Any], path: tuple[str, ...]) -> bool:
    node = schema
    for key in path:
        properties = node.get("properties", {})
        if key not in properties:
            # Only a map (or a free-form Kubernetes object) leaves its keys to the user.
            return "properties" not in node and node.get("additionalProperties") is not False
        node = properties[key]
    return "type" in node or "oneOf" in node or "const" in node or "enum" in node


def test_the_readme_lists_every_value() -> None:
    readme = (CHART / "README.md").read_text()
    with helm.Chart.load(CHART) as chart:
        defaults = chart.values
    # A value is listed under its own name, or a group of it (`migrations.resources`) is.
    missing = [
        ".".join(path)
        for path in _paths(defaults)
        if path[0] != "services"
        and not any(f"| `{'.'.join(path[:size])}` |" in readme for size in range(1, len(path) + 1))
    ]
    assert missing == []
