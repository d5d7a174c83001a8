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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from hiring_pipeline.devstack.settings import InfraSettings
from schemas.topics import topic_specs
from services.runtime.kafka import KafkaOptions, address, admin_client, client_options

REPO_ROOT = Path(__file__).resolve().parents[2]
KAFKA_POM = REPO_ROOT / "infra" / "kafka" / "pom.xml"
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


class LocalKafka:
    def __init__(self, settings: InfraSettings) -> None:
        self.settings = settings
        self.home = settings.state_dir / "kafka"
        self.libs = self.home / "libs"
        self.data = self.home / "data"
        self.pidfile = self.home / "kafka.pid"
        self.log = self.home / "server.log"
        first = settings.kafka_bootstrap_servers.split(",")[0]
        self.host, self.port = _host_port(first, 9092)

    @property
    def is_local(self) -> bool:
        return self.host in LOCAL_HOSTS

    def pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text())
            os.kill(pid, 0)
            return pid
        except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
            return None

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

    @property
    def sasl_port(self) -> int:
        return self.port + 2

    @property
    def sasl_password_file(self) -> Path:
        """The local SASL/PLAIN user's password: generated once, never in the repository."""
        return self.home / "sasl-password"

    def _sasl_password(self) -> str:
        if not self.sasl_password_file.exists():
            self.sasl_password_file.write_text(secrets.token_urlsafe(24))
            self.sasl_password_file.chmod(0o600)
        return self.sasl_password_file.read_text().strip()

    def _write_config(self) -> Path:
        controller_port = self.port + 1
        props = self.home / "server.properties"
        password = self._sasl_password()
        props.write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.voters=1@127.0.0.1:{controller_port}",
                    # PLAINTEXT for local development; SASL_PLAINTEXT (user `hiring`, password in
                    # sasl-password) to exercise the authenticated client configuration.
                    f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{controller_port},"
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
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=6",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=6",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "log.cleaner.backoff.ms=1000",
                    "auto.create.topics.enable=false",
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

    def _java(self) -> str:
        java = shutil.which("java")
        if java is None:
            raise InfraError("java not found: Kafka 4 needs Java 17+ (apt-get install openjdk-17-jre-headless)")
        return java

    def start(self) -> None:
        if self.pid() is not None:
            return
        self.home.mkdir(parents=True, exist_ok=True)
        self.fetch_jars()
        props = self._write_config()
        classpath = f"{self.libs}/*"
        java = self._java()
        if not (self.data / "meta.properties").exists():
            cluster_id = _kafka_cluster_id()
            result = subprocess.run(
                [java, "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(props)],
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


def _kafka_cluster_id() -> str:
    """Kafka wants a base64url-encoded 16-byte UUID, as `StorageTool random-uuid` prints."""
    import base64

    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


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


async def kafka_status(kafka: KafkaOptions, timeout: float = 5.0) -> Status:
    admin = AIOKafkaAdminClient(**client_options(kafka), request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(admin.start(), timeout)
        cluster = await asyncio.wait_for(admin.describe_cluster(), timeout)
        topics = await asyncio.wait_for(admin.list_topics(), timeout)
        ours = sorted(t for t in topics if not t.startswith("__"))
        return Status("kafka", True, f"{address(kafka)}, cluster {cluster['cluster_id']}, {len(ours)} topics")
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; say which
        return Status("kafka", False, f"cannot reach {address(kafka)}: {type(exc).__name__} {exc}".strip())
    finally:
        with contextlib.suppress(Exception):
            await admin.close()


async def create_topics(kafka: KafkaOptions, partitions: int) -> list[str]:
    """Create every topic of the pipeline that does not exist yet; return those created."""
    async with admin_client(kafka) as admin:
        existing = set(await admin.list_topics())
        missing = [spec for spec in topic_specs(partitions) if spec.name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([NewTopic(s.name, s.partitions, 1, topic_configs=s.config) for s in missing])
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
        postgres.start()
        await postgres.ensure_database()
    if kafka.is_local:
        kafka.start()
    statuses = [
        await wait_until(lambda: kafka_status(settings.kafka_options()), "kafka", timeout),
        await wait_until(lambda: postgres_status(settings.database_url), "postgres", timeout),
    ]
    await create_topics(settings.kafka_options(), settings.topic_partitions)
    return statuses


def down(settings: InfraSettings) -> None:
    LocalKafka(settings).stop()
    LocalPostgres(settings).stop()


async def status(settings: InfraSettings) -> list[Status]:
    return list(
        await asyncio.gather(
            kafka_status(settings.kafka_options()),
            postgres_status(settings.database_url),
        )
    )
