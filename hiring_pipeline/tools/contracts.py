"""The AsyncAPI document from the real services: their apps are built (nothing connects
until they start) and their brokers' declared subscribers and publishers documented."""

from __future__ import annotations

from typing import Any

from schemas.tooling import asyncapi
from services.aggregation.app import create_app as aggregation_app
from services.aggregation.settings import AggregationSettings
from services.greenhouse.settings import WritebackSettings
from services.greenhouse.writeback import create_app as writeback_app
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings


def service_brokers() -> list[Any]:
    """The brokers of both services, built with their defaults (never this environment's
    addresses or credentials: the document is the same wherever it is generated)."""
    return [
        scoring_app(ScoringSettings.model_construct()).broker,
        aggregation_app(AggregationSettings.model_construct()).broker,
        writeback_app(WritebackSettings.model_construct()).broker,
    ]


def asyncapi_document() -> dict[str, Any]:
    return asyncapi.document(service_brokers())


def asyncapi_text() -> str:
    return asyncapi.render(asyncapi_document())
