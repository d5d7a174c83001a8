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
