"""docker-compose.yml describes the same stack as the code: services, ports, variables."""

from pathlib import Path

import pytest
import yaml
from typer.main import get_command

from hiring_pipeline.cli import app as cli
from hiring_pipeline.devstack.settings import InfraSettings
from services.aggregation.settings import AggregationSettings
from services.greenhouse.settings import GreenhouseSettings
from services.scoring.settings import ScoringSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SETTINGS = {
    "scoring": ScoringSettings,
    "aggregation": AggregationSettings,
    "topics": InfraSettings,
    "greenhouse-sync": GreenhouseSettings,
    "greenhouse-webhook": GreenhouseSettings,
}


def env_names(settings_class) -> set[str]:
    names = set()
    for name, field in settings_class.model_fields.items():
        names.add(name.upper())
        alias = field.validation_alias
        if alias is not None:
            names |= {str(a).upper() for a in getattr(alias, "choices", [alias])}
    return names


def test_compose_runs_kafka_postgres_and_both_services():
    assert {"kafka", "postgres", "scoring", "aggregation"} <= set(SERVICES)
    assert SERVICES["kafka"]["image"].startswith("apache/kafka:4.")
    assert SERVICES["postgres"]["image"].startswith("postgres:")


def test_kafka_runs_in_kraft_mode_without_zookeeper():
    env = SERVICES["kafka"]["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert not any("ZOOKEEPER" in key for key in env)


@pytest.mark.parametrize(
    "name", ["kafka", "postgres", "scoring", "aggregation", "greenhouse-webhook", "greenhouse-sync"]
)
def test_every_long_running_service_has_a_health_check(name):
    assert SERVICES[name]["healthcheck"]["test"]


@pytest.mark.parametrize("name", list(SETTINGS))
def test_every_variable_given_to_our_containers_is_read_by_their_settings(name):
    file_variables = {
        f"{secret.upper()}_FILE" for secret in ("database_url", "greenhouse_api_key", "greenhouse_webhook_secret")
    }
    assert set(SERVICES[name]["environment"]) <= env_names(SETTINGS[name]) | file_variables


@pytest.mark.parametrize("name", ["scoring", "aggregation"])
def test_published_ports_are_the_services_http_ports(name):
    port = SETTINGS[name](**{"http_port": SERVICES[name]["environment"]["HTTP_PORT"]}).http_port
    assert SERVICES[name]["ports"] == [f"{port}:{port}"]
    assert f":{port}/health/ready" in " ".join(SERVICES[name]["healthcheck"]["test"])
    assert SETTINGS[name]().http_port == port  # the code's default is the same port


@pytest.mark.parametrize("name", list(SETTINGS))
def test_container_commands_are_commands_of_the_cli(name):
    group = get_command(cli)
    words = SERVICES[name]["command"]
    command = group
    for word in words:
        command = command.commands[word]  # KeyError when the CLI has no such command
    assert command.name == words[-1]


def test_the_greenhouse_adapter_is_optional_and_its_secrets_come_from_files():
    for name in ("greenhouse-sync", "greenhouse-webhook"):
        assert SERVICES[name]["profiles"] == ["greenhouse"]
        assert not any(key.endswith(("_API_KEY", "_SECRET")) for key in SERVICES[name]["environment"])
    port = GreenhouseSettings(
        greenhouse_webhook_port=SERVICES["greenhouse-webhook"]["environment"]["GREENHOUSE_WEBHOOK_PORT"]
    )
    assert SERVICES["greenhouse-webhook"]["ports"] == [f"{port.greenhouse_webhook_port}:{port.greenhouse_webhook_port}"]


def test_the_greenhouse_health_checks_probe_the_ports_the_code_listens_on():
    defaults = GreenhouseSettings()
    checks = {
        name: " ".join(SERVICES[name]["healthcheck"]["test"]) for name in ("greenhouse-sync", "greenhouse-webhook")
    }
    assert f":{defaults.greenhouse_sync_http_port}/health/ready" in checks["greenhouse-sync"]
    assert f":{defaults.greenhouse_webhook_port}/health/ready" in checks["greenhouse-webhook"]


def test_kafka_is_published_on_a_host_listener_for_the_cli_on_the_host():
    env = SERVICES["kafka"]["environment"]
    listeners = dict(item.split("://") for item in env["KAFKA_ADVERTISED_LISTENERS"].split(","))
    assert listeners["PLAINTEXT"] == "kafka:9092"  # the containers
    host, port = listeners["HOST"].rsplit(":", 1)
    assert host == "127.0.0.1"
    assert f"HOST://:{port}" in env["KAFKA_LISTENERS"]
    assert "HOST:PLAINTEXT" in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] == "PLAINTEXT"
    assert SERVICES["kafka"]["ports"] == [f"127.0.0.1:{port}:{port}"]
    readme = (ROOT / "README.md").read_text()
    assert f"KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:{port}" in readme  # the README says how to use it


def test_postgres_is_published_on_loopback_only_and_the_readme_says_where():
    [mapping] = SERVICES["postgres"]["ports"]
    host, host_port, container_port = mapping.split(":")
    assert (host, container_port) == ("127.0.0.1", "5432")
    assert f"postgresql://hiring@127.0.0.1:{host_port}/hiring" in (ROOT / "README.md").read_text()


DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_the_image_installs_the_lock_and_carries_the_files_the_commands_need():
    assert "pip install --no-cache-dir -r requirements.lock" in DOCKERFILE
    for needed in ("samples", "infra", "docs/asyncapi.json", "benchmarks"):  # infra: the broker's pom.xml
        assert f"COPY {needed} " in DOCKERFILE, needed
    # Each is also installed with the wheel, where the commands look for it (pyproject's data-files).
    pyproject = (ROOT / "pyproject.toml").read_text()
    for file in ("samples/interview-loop.jsonl", "infra/kafka/pom.xml", "docs/asyncapi.json"):
        assert f'"{file}"' in pyproject, file
