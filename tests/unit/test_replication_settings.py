"""Replication of the pipeline's topics: from configuration, else from the cluster's size."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hiring_pipeline.devstack.infra import InfraError, TopicHealth, replication_for
from hiring_pipeline.devstack.settings import InfraSettings


@pytest.mark.parametrize(
    ("brokers", "factor", "min_insync", "expected"),
    [
        (1, None, None, (1, 1)),  # local development
        (3, None, None, (3, 2)),  # a cluster
        (5, None, None, (3, 2)),
        (2, None, None, (1, 1)),
        (3, 2, None, (2, 1)),
        (5, 5, 3, (5, 3)),
    ],
)
def test_replication_from_configuration_else_from_the_cluster(brokers, factor, min_insync, expected):
    assert replication_for(brokers, factor, min_insync) == expected


def test_more_replicas_than_brokers_is_refused_with_a_clear_error():
    with pytest.raises(InfraError, match="TOPIC_REPLICATION_FACTOR=3 but the cluster has 1 broker"):
        replication_for(1, 3, None)


def test_settings_read_the_environment_and_refuse_min_insync_above_the_factor(monkeypatch):
    monkeypatch.setenv("TOPIC_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("TOPIC_MIN_INSYNC_REPLICAS", "2")
    settings = InfraSettings()
    assert (settings.topic_replication_factor, settings.topic_min_insync_replicas) == (3, 2)
    monkeypatch.setenv("TOPIC_MIN_INSYNC_REPLICAS", "4")
    with pytest.raises(ValidationError, match="cannot exceed"):
        InfraSettings()


def test_a_topic_with_partitions_out_of_sync_names_them():
    healthy = TopicHealth("t", 3, 3, 2, under_replicated=[], offline=[])
    assert healthy.problem() is None
    assert TopicHealth("t", 3, 3, 2, under_replicated=[0, 2], offline=[]).problem() == (
        "t: partitions 0,2 under-replicated"
    )
    assert "offline" in (TopicHealth("t", 3, 3, 2, under_replicated=[0], offline=[1]).problem() or "")


async def test_the_projects_producer_waits_for_every_in_sync_replica():
    from services.runtime.kafka import new_producer

    producer = new_producer("127.0.0.1:1", "tests")  # not started: nothing connects
    try:
        assert producer._sender._acks == -1  # acks=all
        assert producer._txn_manager is not None  # idempotent: a retried send is not doubled
    finally:
        await producer.client.close()
