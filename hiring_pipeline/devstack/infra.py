"""The local stack without Docker: a real Kafka 4 broker (KRaft) and a real PostgreSQL.

Kafka's jars come from Maven Central through `infra/kafka/pom.xml` (cached in ~/.m2);
the broker runs as a plain `java kafka.Kafka` process with its storage formatted by
`kafka.tools.StorageTool`. PostgreSQL is the distribution's server binaries with a
cluster of our own under the state directory, trust authentication on 127.0.0.1 only
(a development default: no password to leak, nothing listening beyond loopback).

Everything is idempotent: `up` starts what is not running and leaves the rest alone.
Addresses come from KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL; when they point somewhere
other than this machine, `up` only waits for them and creates topics and the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import glob
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError

from hiring_pipeline.devstack.settings import InfraSettings
from schemas.tooling.files import project_file
from schemas.topics import topic_specs
from services.runtime.kafka import KafkaOptions, address, admin_client, client_options

KAFKA_POM = project_file("infra/kafka/pom.xml")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class InfraError(RuntimeError):
    """Something the operator has to fix; the message says what, in one line."""


@dataclass(frozen=True)
class Status:
    component: str
    up: bool
    detail: str

    def line(self) -> str:
        return f"{self.component}: {'up' if self.up else 'DOWN'} - {self.detail}"


def _host_port(address: str, default_port: int) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return (host or address, int(port) if port else default_port)


# --- Kafka -----------------------------------------------------------------------------


class KafkaNode:
    """One `kafka.Kafka` process: broker and KRaft controller in one, on 127.0.0.1. Its
    PLAINTEXT port is the one in KAFKA_BOOTSTRAP_SERVERS, the controller listens on the next
    port and SASL_PLAINTEXT on the one after."""

    def __init__(self, cluster: LocalKafka, node_id: int, port: int) -> None:
        self.cluster = cluster
        self.settings = cluster.settings
        self.node_id = node_id
        self.port = port
        # A single broker keeps the original layout (state_dir/kafka); a cluster one home per node.
        self.home = cluster.home if len(cluster.ports) == 1 else cluster.home.with_name(f"kafka-node-{node_id}")
        self.data = self.home / "data"
        self.pidfile = self.home / "kafka.pid"
        self.log = self.home / "server.log"

    @property
    def controller_port(self) -> int:
        return self.port + 1

    @property
    def sasl_port(self) -> int:
        return self.port + 2

    def pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text())
            os.kill(pid, 0)
            return pid
        except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
            return None

    def _write_config(self) -> Path:
        props = self.home / "server.properties"
        password = self.cluster.sasl_password()
        brokers = len(self.cluster.ports)
        # Internal topics replicated like ours: three copies on a cluster (two must be in sync).
        internal_rf, internal_isr = (3, 2) if brokers >= 3 else (brokers, 1)
        voters = ",".join(f"{n.node_id}@127.0.0.1:{n.controller_port}" for n in self.cluster.nodes)
        props.write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    f"node.id={self.node_id}",
                    f"controller.quorum.voters={voters}",
                    # PLAINTEXT for local development; SASL_PLAINTEXT (user `hiring`, password in
                    # sasl-password) to exercise the authenticated client configuration.
                    f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port},"
                    f"SASL_PLAINTEXT://127.0.0.1:{self.sasl_port}",
                    f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port},SASL_PLAINTEXT://127.0.0.1:{self.sasl_port}",
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                    "sasl.enabled.mechanisms=PLAIN",
                    "listener.name.sasl_plaintext.plain.sasl.jaas.config="
                    f'org.apache.kafka.common.security.plain.PlainLoginModule required user_hiring="{password}";',
                    f"log.dirs={self.data}",
                    "num.partitions=6",
                    f"default.replication.factor={internal_rf}",
                    f"offsets.topic.replication.factor={internal_rf}",
                    "offsets.topic.num.partitions=6",
                    f"transaction.state.log.replication.factor={internal_rf}",
                    f"transaction.state.log.min.isr={internal_isr}",
                    "transaction.state.log.num.partitions=6",
                    f"share.coordinator.state.topic.replication.factor={internal_rf}",
                    f"share.coordinator.state.topic.min.isr={internal_isr}",
                    "group.initial.rebalance.delay.ms=0",
                    "log.cleaner.backoff.ms=1000",
                    "auto.create.topics.enable=false",
                    # A restarted broker catches up and rejoins the ISR within seconds.
                    "replica.lag.time.max.ms=10000",
                    "",
                ]
            )
        )
        (self.home / "log4j2.yaml").write_text(
            "Configuration:\n"
            "  Appenders:\n"
            "    File:\n"
            "      name: FILE\n"
            f"      fileName: {self.log}\n"
            "      PatternLayout:\n"
            '        pattern: "[%d] %p %m (%c)%n"\n'
            "  Loggers:\n"
            "    Root:\n"
            "      level: INFO\n"
            "      AppenderRef:\n"
            "        - ref: FILE\n"
        )
        return props

    def start(self) -> None:
        if self.pid() is not None:
            return
        self.home.mkdir(parents=True, exist_ok=True)
        props = self._write_config()
        classpath = f"{self.cluster.libs}/*"
        java = _java()
        if not (self.data / "meta.properties").exists():
            result = subprocess.run(
                [
                    java,
                    "-cp",
                    classpath,
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    self.cluster.cluster_id(),
                    "-c",
                    str(props),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise InfraError(f"kafka storage format failed: {result.stdout[-300:]} {result.stderr[-300:]}")
        with open(self.home / "kafka.out", "ab") as out:
            process = subprocess.Popen(
                [
                    java,
                    f"-Xms{self.settings.kafka_heap}",
                    f"-Xmx{self.settings.kafka_heap}",
                    "-XX:+UseG1GC",
                    "-XX:TieredStopAtLevel=1",
                    "-Djava.awt.headless=true",
                    f"-Dlog4j2.configurationFile={self.home / 'log4j2.yaml'}",
                    "-cp",
                    classpath,
                    "kafka.Kafka",
                    str(props),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pidfile.write_text(str(process.pid))

    def stop(self) -> None:
        pid = self.pid()
        if pid is None:
            return
        _terminate(pid, timeout=60)
        self.pidfile.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL, as a crash would: for fault tests."""
        pid = self.pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _terminate(pid, timeout=10)
        self.pidfile.unlink(missing_ok=True)


class LocalKafka:
    """The local Kafka: one broker per address in KAFKA_BOOTSTRAP_SERVERS when they are all
    on this machine. One address is the development default; three (for example
    `127.0.0.1:51092,127.0.0.1:51095,127.0.0.1:51098`) make a three-node KRaft cluster, each
    node a broker and a controller, for trying replication and broker failures."""

    def __init__(self, settings: InfraSettings) -> None:
        self.settings = settings
        self.home = settings.state_dir / "kafka"
        self.libs = self.home / "libs"
        addresses = [a.strip() for a in settings.kafka_bootstrap_servers.split(",") if a.strip()]
        hosts_ports = [_host_port(a, 9092) for a in addresses]
        self.hosts = {host for host, _ in hosts_ports}
        self.host, self.port = hosts_ports[0]
        self.ports = [port for _, port in hosts_ports]
        self.nodes = [KafkaNode(self, n, port) for n, port in enumerate(self.ports, start=1)]

    @property
    def is_local(self) -> bool:
        return self.hosts <= LOCAL_HOSTS

    # The first node's, as the single-broker stack has always had them.
    @property
    def pidfile(self) -> Path:
        return self.nodes[0].pidfile

    @property
    def log(self) -> Path:
        return self.nodes[0].log

    @property
    def data(self) -> Path:
        return self.nodes[0].data

    def pid(self) -> int | None:
        return self.nodes[0].pid()

    @property
    def sasl_port(self) -> int:
        return self.nodes[0].sasl_port

    @property
    def sasl_password_file(self) -> Path:
        """The local SASL/PLAIN user's password: generated once, never in the repository."""
        return self.home / "sasl-password"

    def sasl_password(self) -> str:
        self.home.mkdir(parents=True, exist_ok=True)
        if not self.sasl_password_file.exists():
            self.sasl_password_file.write_text(secrets.token_urlsafe(24))
            self.sasl_password_file.chmod(0o600)
        return self.sasl_password_file.read_text().strip()

    def cluster_id(self) -> str:
        """Every node of one cluster is formatted with the same id, made once (again if an
        earlier version wrote one starting with "-": no node can have been formatted with it)."""
        path = self.home / "cluster-id"
        self.home.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text().startswith("-"):
            path.write_text(_kafka_cluster_id())
        return path.read_text().strip()

    def fetch_jars(self) -> None:
        """Copy the broker's runtime jars out of ~/.m2, downloading them once."""
        stamp = self.libs / ".pom-sha256"
        digest = hashlib.sha256(KAFKA_POM.read_bytes()).hexdigest()
        if stamp.exists() and stamp.read_text() == digest:
            return
        if shutil.which("mvn") is None:
            raise InfraError("mvn not found: install Maven (apt-get install maven) to fetch the Kafka jars")
        shutil.rmtree(self.libs, ignore_errors=True)
        self.libs.mkdir(parents=True)
        result = subprocess.run(
            [
                "mvn",
                "-q",
                "-B",
                "-f",
                str(KAFKA_POM),
                "dependency:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={self.libs}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise InfraError(f"mvn could not fetch the Kafka jars: {result.stdout[-500:]}{result.stderr[-500:]}")
        stamp.write_text(digest)

    def start(self) -> None:
        if all(node.pid() is not None for node in self.nodes):
            return
        self.home.mkdir(parents=True, exist_ok=True)
        self.fetch_jars()
        for node in self.nodes:
            node.start()

    def stop(self) -> None:
        """SIGTERM to every node at once, then wait: one by one, the last nodes would wait
        for a controller quorum that is already gone."""
        running = [(node, pid) for node in self.nodes if (pid := node.pid()) is not None]
        for _, pid in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for node, pid in running:
            _terminate(pid, timeout=60)
            node.pidfile.unlink(missing_ok=True)


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise InfraError("java not found: Kafka 4 needs Java 17+ (apt-get install openjdk-17-jre-headless)")
    return java


def _kafka_cluster_id(random_bytes: Callable[[], bytes] = lambda: uuid.uuid4().bytes) -> str:
    """Kafka wants a base64url-encoded 16-byte UUID, as `StorageTool random-uuid` prints.

    One in 64 such ids starts with "-", which the storage tool's argument parser reads as
    an option ("--cluster-id: expected one argument"): Kafka's own `Uuid.randomUuid` draws
    again then, and so do we."""
    import base64

    while (cluster_id := base64.urlsafe_b64encode(random_bytes()).decode().rstrip("=")).startswith("-"):
        pass
    return cluster_id


def _terminate(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


async def kafka_status(kafka: KafkaOptions, timeout: float = 5.0, expect_brokers: int = 1) -> Status:
    """Up when the cluster answers with at least `expect_brokers` brokers (a local cluster:
    every node we run)."""
    admin = AIOKafkaAdminClient(**client_options(kafka), request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(admin.start(), timeout)
        cluster = await asyncio.wait_for(admin.describe_cluster(), timeout)
        topics = await asyncio.wait_for(admin.list_topics(), timeout)
        ours = sorted(t for t in topics if not t.startswith("__"))
        brokers = len(cluster.get("brokers", []))
        return Status(
            "kafka",
            brokers >= expect_brokers,
            f"{address(kafka)}, cluster {cluster['cluster_id']}, {brokers} broker{'s' * (brokers != 1)}"
            + (f" of {expect_brokers}" if brokers < expect_brokers else "")
            + f", {len(ours)} topics",
        )
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; say which
        said = str(exc) if str(exc).startswith(type(exc).__name__) else f"{type(exc).__name__} {exc}"
        return Status("kafka", False, f"cannot reach {address(kafka)}: {said}".strip())
    finally:
        with contextlib.suppress(Exception):
            await admin.close()


@dataclass(frozen=True)
class TopicHealth:
    """One topic as the brokers describe it: how many copies, which partitions lack some."""

    name: str
    partitions: int
    replication_factor: int
    min_insync_replicas: int | None
    under_replicated: list[int]
    """Partitions whose in-sync replicas are fewer than their replicas."""
    offline: list[int]
    """Partitions without a leader: nothing can be read or written there."""

    def problem(self) -> str | None:
        if self.offline:
            return f"{self.name}: partitions {_ranges(self.offline)} offline (no leader)"
        if self.under_replicated:
            return f"{self.name}: partitions {_ranges(self.under_replicated)} under-replicated"
        return None

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def _ranges(numbers: list[int]) -> str:
    return ",".join(str(n) for n in numbers)


async def topic_health(kafka: KafkaOptions, timeout: float = 5.0) -> list[TopicHealth]:
    """The pipeline's topics that exist, with their replication (ISR against replicas)."""
    names = [spec.name for spec in topic_specs()]
    async with admin_client(kafka, request_timeout_ms=int(timeout * 1000)) as admin:
        existing = set(await asyncio.wait_for(admin.list_topics(), timeout))
        names = [n for n in names if n in existing]
        if not names:
            return []
        descriptions = await asyncio.wait_for(admin.describe_topics(names), timeout)
        configs = await asyncio.wait_for(
            admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n) for n in names]), timeout
        )
    min_isr: dict[str, int] = {}
    for response in configs:
        for resource in response.resources:
            name, entries = resource[3], resource[4]
            for entry in entries:
                if entry[0] == "min.insync.replicas" and entry[1] is not None:
                    min_isr[name] = int(entry[1])
    health = []
    for description in sorted(descriptions, key=lambda d: d["topic"]):
        partitions = sorted(description["partitions"], key=lambda p: p["partition"])
        health.append(
            TopicHealth(
                name=description["topic"],
                partitions=len(partitions),
                replication_factor=max((len(p["replicas"]) for p in partitions), default=0),
                min_insync_replicas=min_isr.get(description["topic"]),
                under_replicated=[p["partition"] for p in partitions if len(p["isr"]) < len(p["replicas"])],
                offline=[p["partition"] for p in partitions if p["leader"] < 0],
            )
        )
    return health


async def topics_status(kafka: KafkaOptions, timeout: float = 5.0) -> Status:
    """`topics: up` when every partition of every pipeline topic has all its replicas in sync;
    DOWN, naming the partitions, when some are under-replicated or offline."""
    try:
        health = await topic_health(kafka, timeout)
    except Exception as exc:  # noqa: BLE001 - the kafka line says why the cluster is unreachable
        return Status("topics", False, f"cannot describe the topics: {type(exc).__name__}")
    missing = len(topic_specs()) - len(health)
    problems = [p for p in (h.problem() for h in health) if p]
    factors = sorted({h.replication_factor for h in health})
    isr = sorted({h.min_insync_replicas for h in health if h.min_insync_replicas is not None})
    summary = (
        f"{len(health)} topics, replication factor {'/'.join(map(str, factors)) or '-'}, "
        f"min.insync.replicas {'/'.join(map(str, isr)) or '-'}"
    )
    if missing:
        problems.append(f"{missing} topics missing (run `hiring-pipeline infra up`)")
    if problems:
        return Status("topics", False, f"{summary}; " + "; ".join(problems))
    return Status("topics", True, f"{summary}, all partitions in sync")


def replication_for(brokers: int, factor: int | None, min_insync: int | None) -> tuple[int, int]:
    """Replication factor and min.insync.replicas for the pipeline's topics: as configured,
    else 3 and 2 on a cluster of three or more brokers, 1 and 1 on a single broker."""
    if factor is None:
        factor = 3 if brokers >= 3 else 1
    if min_insync is None:
        min_insync = min(2, factor) if factor >= 3 else 1
    if factor > brokers:
        raise InfraError(
            f"TOPIC_REPLICATION_FACTOR={factor} but the cluster has {brokers} broker{'s' * (brokers != 1)}"
        )
    if min_insync > factor:
        raise InfraError(f"TOPIC_MIN_INSYNC_REPLICAS={min_insync} exceeds the replication factor {factor}")
    return factor, min_insync


async def create_topics(
    kafka: KafkaOptions,
    partitions: int,
    replication_factor: int | None = None,
    min_insync_replicas: int | None = None,
) -> list[str]:
    """Create every topic of the pipeline that does not exist yet; return those created.
    (Existing topics are left as they are: `infra status` reports their replication.)"""
    async with admin_client(kafka) as admin:
        cluster = await admin.describe_cluster()
        factor, min_insync = replication_for(len(cluster["brokers"]), replication_factor, min_insync_replicas)
        existing = set(await admin.list_topics())
        missing = [spec for spec in topic_specs(partitions) if spec.name not in existing]
        if missing:
            new = [
                NewTopic(
                    s.name,
                    s.partitions,
                    factor,
                    topic_configs={**s.config, "min.insync.replicas": str(min_insync)},
                )
                for s in missing
            ]
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(new)
        return [spec.name for spec in missing]


# --- PostgreSQL ------------------------------------------------------------------------


class LocalPostgres:
    def __init__(self, settings: InfraSettings) -> None:
        self.settings = settings
        self.home = settings.state_dir / "postgres"
        self.data = self.home / "data"
        self.log = self.home / "postgres.log"
        url = urlsplit(settings.database_url)
        self.host = url.hostname or "127.0.0.1"
        self.port = url.port or 5432
        self.user = url.username or "hiring"
        self.password = url.password
        self.database = (url.path or "/hiring").lstrip("/") or "hiring"

    @property
    def is_local(self) -> bool:
        return self.host in LOCAL_HOSTS

    def _bin(self, name: str) -> str:
        candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
        if candidates:
            return candidates[-1]
        found = shutil.which(name)
        if found is None:
            raise InfraError(f"{name} not found: install the PostgreSQL server (apt-get install postgresql)")
        return found

    def _run_as_owner(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        if os.geteuid() == 0:
            args = ["runuser", "-u", "postgres", "--", *args]
        return subprocess.run(args, capture_output=True, text=True, check=False)

    def _prepare_home(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            for path in (self.settings.state_dir, self.home):
                os.chmod(path, 0o755)
            os.chown(self.home, owner.pw_uid, owner.pw_gid)

    def running(self) -> bool:
        if not (self.data / "PG_VERSION").exists():
            return False
        return self._run_as_owner([self._bin("pg_ctl"), "-D", str(self.data), "status"]).returncode == 0

    def start(self) -> None:
        if self.running():
            return
        self._prepare_home()
        if not (self.data / "PG_VERSION").exists():
            result = self._run_as_owner(
                [
                    self._bin("initdb"),
                    "-D",
                    str(self.data),
                    "--auth=trust",
                    "--username=postgres",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            )
            if result.returncode != 0:
                raise InfraError(f"initdb failed: {result.stderr.strip()[-300:]}")
        self._ensure_certificate()
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.home} "
            "-c fsync=on -c max_connections=200 -c shared_buffers=128MB "
            # Write-heavy: fewer, compressed full-page images after each checkpoint (a
            # checkpoint forced by the default 1 GB of WAL stalled commits for ~1 s).
            "-c max_wal_size=4GB -c wal_compression=on -c checkpoint_timeout=15min "
            "-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key"
        )
        result = self._run_as_owner(
            [
                self._bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        if result.returncode != 0:
            raise InfraError(f"postgres did not start (see {self.log}): {result.stderr.strip()[-300:]}")

    @property
    def certificate(self) -> Path:
        """The local server's self-signed TLS certificate: clients may verify against it."""
        return self.data / "server.crt"

    def _ensure_certificate(self) -> None:
        """A self-signed certificate, made once, so TLS connections (sslmode=...) work locally."""
        if self.certificate.exists():
            return
        if shutil.which("openssl") is None:
            raise InfraError("openssl not found: install it (apt-get install openssl) for the local TLS certificate")
        result = self._run_as_owner(
            [
                "openssl",
                "req",
                "-new",
                "-x509",
                "-days",
                "3650",
                "-nodes",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                str(self.data / "server.key"),
                "-out",
                str(self.certificate),
            ]
        )
        if result.returncode != 0:
            raise InfraError(f"could not make the TLS certificate: {result.stderr.strip()[-300:]}")
        self._run_as_owner(["chmod", "600", str(self.data / "server.key")])

    def stop(self) -> None:
        if self.running():
            self._run_as_owner([self._bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    async def ensure_database(self) -> None:
        """Create the project's login role and database when this is our local cluster."""
        conn = await asyncpg.connect(host=self.host, port=self.port, user="postgres", database="postgres")
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", self.user):
                # Identifiers cannot be bound as parameters; quote them with PostgreSQL's own function.
                role = await conn.fetchval("SELECT quote_ident($1)", self.user)
                await conn.execute(f"CREATE ROLE {role} LOGIN")
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", self.database):
                db = await conn.fetchval("SELECT quote_ident($1)", self.database)
                role = await conn.fetchval("SELECT quote_ident($1)", self.user)
                await conn.execute(f"CREATE DATABASE {db} OWNER {role}")
        finally:
            await conn.close()


def _version_key(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


async def postgres_status(database_url: str, timeout: float = 5.0) -> Status:
    url = urlsplit(database_url)
    where = f"{url.hostname}:{url.port or 5432}/{(url.path or '/').lstrip('/')}"  # never the password
    try:
        conn = await asyncpg.connect(database_url, timeout=timeout)
        try:
            version = await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()
        return Status("postgres", True, f"{where}, server {version}")
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; say which
        return Status("postgres", False, f"cannot connect to {where}: {type(exc).__name__} {exc}".strip())


# --- the stack -------------------------------------------------------------------------


async def wait_until(check, what: str, timeout: float) -> Status:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    status = await check()
    while not status.up and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        status = await check()
    if not status.up:
        raise InfraError(f"{what} not ready after {timeout:.0f}s: {status.detail}")
    return status


async def up(settings: InfraSettings, timeout: float = 120.0) -> list[Status]:
    kafka, postgres = LocalKafka(settings), LocalPostgres(settings)
    if postgres.is_local:
        if not postgres.running() and not await _answers(postgres.host, postgres.port):
            postgres.start()
        await postgres.ensure_database()
    if kafka.is_local:
        kafka.start()
    brokers = len(kafka.nodes) if kafka.is_local else 1
    statuses = [
        await wait_until(lambda: kafka_status(settings.kafka_options(), expect_brokers=brokers), "kafka", timeout),
        await wait_until(lambda: postgres_status(settings.database_url), "postgres", timeout),
    ]
    await create_topics(
        settings.kafka_options(),
        settings.topic_partitions,
        settings.topic_replication_factor,
        settings.topic_min_insync_replicas,
    )
    return statuses


async def _answers(host: str, port: int) -> bool:
    """Something (another state directory's server, a system one) listens there already."""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 2)
    except (OSError, TimeoutError):
        return False
    writer.close()
    return True


def down(settings: InfraSettings) -> None:
    LocalKafka(settings).stop()
    LocalPostgres(settings).stop()


async def status(settings: InfraSettings) -> list[Status]:
    kafka = LocalKafka(settings)
    return list(
        await asyncio.gather(
            kafka_status(settings.kafka_options(), expect_brokers=len(kafka.nodes) if kafka.is_local else 1),
            topics_status(settings.kafka_options()),
            postgres_status(settings.database_url),
        )
    )
