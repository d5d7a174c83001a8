"""Session fixtures: real infrastructure is started once per session, when a test needs it."""

from __future__ import annotations

import logging

import pytest

from hiring_pipeline.devstack import infra
from hiring_pipeline.devstack.settings import InfraSettings


@pytest.fixture(scope="session")
def infra_settings() -> InfraSettings:
    return InfraSettings()


@pytest.fixture(scope="session")
async def stack(infra_settings: InfraSettings) -> InfraSettings:
    """The real Kafka broker and PostgreSQL: started if not running (idempotent), topics created."""
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    await infra.up(infra_settings, timeout=180)
    return infra_settings
