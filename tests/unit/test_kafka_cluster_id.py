"""The local broker's cluster id: one the storage tool accepts on its command line."""

from __future__ import annotations

from hiring_pipeline.devstack.infra import LocalKafka, _kafka_cluster_id
from hiring_pipeline.devstack.settings import InfraSettings

DASH_FIRST = bytes([0xF8]) + bytes(15)  # base64url of 0b111110... starts with "-"


def test_an_id_that_would_start_with_a_dash_is_drawn_again():
    draws = iter([DASH_FIRST, DASH_FIRST, bytes(16)])
    assert _kafka_cluster_id(lambda: next(draws)) == "AAAAAAAAAAAAAAAAAAAAAA"


def test_random_ids_are_22_base64url_characters_and_never_start_with_a_dash():
    ids = [_kafka_cluster_id() for _ in range(2000)]  # about 31 would start with "-" undrawn
    assert all(len(i) == 22 and not i.startswith("-") for i in ids)
    assert len(set(ids)) == len(ids)


def test_a_stored_id_starting_with_a_dash_is_replaced_and_a_good_one_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("HIRING_PIPELINE_STATE_DIR", str(tmp_path))
    kafka = LocalKafka(InfraSettings())
    kafka.home.mkdir(parents=True)
    (kafka.home / "cluster-id").write_text("-" + "A" * 21)
    first = kafka.cluster_id()
    assert not first.startswith("-")
    assert kafka.cluster_id() == first == LocalKafka(InfraSettings()).cluster_id()
