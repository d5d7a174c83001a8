"""`hiring-pipeline`: the one command for the local stack, the services and the tools.

Thin on purpose: each command reads its settings, calls one function of the package that
does the work (`tools`, `devstack`, a service, `schemas.tooling`) and prints the outcome.
Those packages are imported inside the commands, so a command loads only what it uses:
`hiring-pipeline score` loads no Kafka or database client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from pydantic import ValidationError

from services.runtime.settings import ProcessSettings

if TYPE_CHECKING:
    from hiring_pipeline.devstack.settings import InfraSettings
    from hiring_pipeline.tools.recommendations import Latest
    from services.greenhouse.settings import GreenhouseSettings

Settings = TypeVar("Settings", bound=ProcessSettings)
app = typer.Typer(no_args_is_help=True, add_completion=True, help=__doc__)
# aiokafka logs every failed connection attempt at ERROR; the tools say what is wrong themselves.
logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
infra_app = typer.Typer(no_args_is_help=True, help="The local Kafka broker and PostgreSQL server.")
run_app = typer.Typer(no_args_is_help=True, help="Run a service in the foreground.")
app.add_typer(infra_app, name="infra")
rebuild_app = typer.Typer(no_args_is_help=True, help="Rebuild a service's state from its input topic.")
app.add_typer(rebuild_app, name="rebuild")
dlq_app = typer.Typer(no_args_is_help=True, help="Dead-lettered records: list them, replay them after a fix.")
app.add_typer(dlq_app, name="dlq")
schemas_app = typer.Typer(no_args_is_help=True, help="The event contracts as JSON Schema files.")
app.add_typer(run_app, name="run")
app.add_typer(schemas_app, name="schemas")
ats_app = typer.Typer(no_args_is_help=True, help="Adapters that turn an ATS's data into interview events.")
greenhouse_app = typer.Typer(
    no_args_is_help=True, help="Greenhouse: Harvest API polling, deletion webhooks, decisions written back as notes."
)
ats_app.add_typer(greenhouse_app, name="greenhouse")
app.add_typer(ats_app, name="ats")


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"hiring-pipeline {version('hiring-pipeline')}")
        raise typer.Exit()


@app.callback()
def _options(
    _version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Options before any command (shell completion: `--install-completion`)."""


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _config_error(exc: ValidationError) -> str:
    """The first problem of a configuration, in one line: which variable, what is wrong."""
    error = exc.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in error["loc"]).upper()
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _settings(settings_class: type[Settings]) -> Settings:
    """The environment's configuration, or a one-line error saying what is wrong with it."""
    try:
        return settings_class()
    except ValidationError as exc:
        raise _fail(f"configuration error: {_config_error(exc)}", 2) from None


def _log_format() -> str:
    """LOG_FORMAT as set, for the one line a service writes when it cannot start (JSON unless console)."""
    import os

    return "console" if os.environ.get("LOG_FORMAT", "").strip().lower() == "console" else "json"


def _service_settings(settings_class: type[Settings], service: str) -> Settings:
    """A long-running process's settings; when they are wrong, one log line (JSON unless
    LOG_FORMAT=console) on stderr and exit code 2."""
    from services.runtime.logs import error_line

    try:
        return settings_class()
    except ValidationError as exc:
        typer.echo(error_line("configuration_error", _config_error(exc), _log_format(), service=service), err=True)
        raise typer.Exit(2) from None


def _dependencies_reachable(settings: ProcessSettings, service: str) -> None:
    """Fail fast, in one log line and exit code 1, when the database or Kafka is down at start."""
    from hiring_pipeline.devstack.infra import kafka_status
    from services.runtime.logs import error_line
    from services.runtime.migrations import DatabaseUnavailable, check_database

    try:
        asyncio.run(check_database(settings.database_url))
    except DatabaseUnavailable as exc:
        typer.echo(error_line("database_unavailable", str(exc), settings.log_format, service=service), err=True)
        raise typer.Exit(1) from None
    kafka = asyncio.run(kafka_status(settings.kafka_options(), timeout=10))
    if not kafka.up:
        typer.echo(error_line("kafka_unavailable", kafka.detail, settings.log_format, service=service), err=True)
        raise typer.Exit(1)


def _echo_json(document: Any) -> None:
    """One JSON document on stdout, for scripts (`--json`)."""
    import json

    typer.echo(json.dumps(document, default=str))


@contextlib.contextmanager
def _progress(description: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr while long work runs, only when stderr is a terminal (so
    scripts and logs get none); yields `update(done, total=None)`."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(description, total=total)

        def update(done: int, total: int | None = None) -> None:
            if total is not None:
                progress.update(task, total=total)
            progress.update(task, completed=done)

        yield update


def _kafka() -> dict[str, object]:
    """The aiokafka options (address, SASL/SSL) every operator tool connects with."""
    return _settings(ProcessSettings).kafka_options()


def _infra_settings() -> InfraSettings:
    from hiring_pipeline.devstack.settings import InfraSettings

    return _settings(InfraSettings)


@infra_app.command("up")
def infra_up() -> None:
    """Start what is not running, wait until it answers, create the topics."""
    from hiring_pipeline.devstack import infra

    try:
        statuses = asyncio.run(infra.up(_infra_settings()))
    except infra.InfraError as exc:
        raise _fail(f"infra up failed: {exc}") from None
    for status in statuses:
        typer.echo(status.line())


@infra_app.command("down")
def infra_down() -> None:
    """Stop the local broker and database (their data stays)."""
    from hiring_pipeline.devstack import infra

    infra.down(_infra_settings())
    typer.echo("kafka and postgres stopped")


@infra_app.command("status")
def infra_status(
    as_json: bool = typer.Option(False, "--json", help="One JSON document: each component, each topic's replication."),
) -> None:
    """One line per component (Kafka, the topics' replication, PostgreSQL); exit code 1 when any is down."""
    import dataclasses

    from hiring_pipeline.devstack import infra

    settings = _infra_settings()
    statuses = asyncio.run(infra.status(settings))
    if as_json:
        try:
            health = [h.to_json() for h in asyncio.run(infra.topic_health(settings.kafka_options()))]
        except Exception:  # noqa: BLE001 - the kafka component already says why
            health = []
        _echo_json(
            {
                "up": all(s.up for s in statuses),
                "components": [dataclasses.asdict(s) for s in statuses],
                "topics": health,
            }
        )
    else:
        for status in statuses:
            typer.echo(status.line())
    if not all(s.up for s in statuses):
        raise typer.Exit(1)


@app.command("score")
def score() -> None:
    """Score one InterviewCompleted JSON document from stdin; print InterviewScored JSON.

    No Kafka, no database: the same scoring core the service uses, for trying the
    rubric on your own notes.
    """
    from schemas.events import InterviewCompleted, describe_validation_error
    from schemas.rubric import load_rubric
    from services.scoring.score import score_interview

    try:
        event = InterviewCompleted.model_validate_json(sys.stdin.buffer.read())
    except ValidationError as exc:
        raise _fail(describe_validation_error(exc), 2) from None
    scored = score_interview(event, load_rubric(), scored_at=datetime.now(UTC))
    typer.echo(scored.model_dump_json(indent=2))


@app.command("compile")
def compile_scoring() -> None:
    """Compile the scoring core with mypyc into the cache, where `services.scoring` finds it.

    Kept under a hash of the sources: an edited source runs as plain Python until the next
    `hiring-pipeline compile`. Without mypyc or a C compiler this says so and exits 0: the
    plain modules serve. HIRING_PIPELINE_COMPILED=0 turns the compiled modules off.
    """
    from services.scoring.compiled import Unavailable, build

    try:
        folder, built = build()
    except Unavailable as exc:
        typer.echo(f"scoring core not compiled: {exc}; the plain Python modules serve")
        return
    except (RuntimeError, OSError) as exc:
        raise _fail(f"compiling the scoring core failed: {exc}") from None
    typer.echo(f"scoring core {'compiled' if built else 'already compiled'}: {folder}")


@app.command("eval")
def eval_scorer(
    files: list[Path] = typer.Argument(
        None, help="JSON lines of labelled notes, or folders of them (default: the test split)"
    ),
    as_json: bool = typer.Option(False, "--json", help="The report as one JSON document"),
    typos: float = typer.Option(
        0.0, "--typos", min=0.0, max=1.0, help="Misspell this share of the words first, as fast typists do"
    ),
    seed: int = typer.Option(1, "--seed", help="Which typos or asides: the same seed, the same notes"),
    no_sentence_ends: bool = typer.Option(
        False, "--no-sentence-ends", help="Take out the full stops, ? and ! that end sentences first"
    ),
    no_apostrophes: bool = typer.Option(
        False, "--no-apostrophes", help="Take out the apostrophes inside words first (didnt, wasnt)"
    ),
    wrap: int = typer.Option(0, "--wrap", min=0, help="Wrap each paragraph at this many columns first"),
    she: bool = typer.Option(False, "--she", help="Write 'she' where the notes say 'he' first"),
    asides: bool = typer.Option(
        False, "--asides", help="Open each note with a sentence about the interview itself first (the call, manner)"
    ),
    leave_voices_out: int = typer.Option(
        0,
        "--leave-voices-out",
        min=0,
        help="Deal the voices into this many folds and score each with a notes model trained on the other"
        " folds of the same files (default files: the dev split, the model's own training)",
    ),
) -> None:
    """Measure the scorer on labelled notes: accuracy, red-flag recall, each failure by note id."""
    import json

    from hiring_pipeline.tools.scorer_eval import (
        DEFAULT_SPLIT,
        as_she,
        evaluate,
        load_labelled,
        render,
        with_asides,
        with_typos,
        without_apostrophes,
        without_sentence_ends,
        wrapped,
    )
    from hiring_pipeline.tools.scorer_training import TRAIN_SPLIT
    from hiring_pipeline.tools.voices_left_out import folds_of
    from hiring_pipeline.tools.voices_left_out import leave_voices_out as left_out
    from schemas.rubric import load_rubric

    try:
        written = notes = load_labelled(files or [TRAIN_SPLIT if leave_voices_out else DEFAULT_SPLIT])
    except (OSError, ValueError, KeyError) as exc:
        raise _fail(f"cannot read labelled notes: {exc}") from None
    if not notes:
        raise _fail("no labelled notes found")
    notes = with_typos(notes, typos, seed) if typos else notes
    notes = without_sentence_ends(notes) if no_sentence_ends else notes
    notes = without_apostrophes(notes) if no_apostrophes else notes
    notes = wrapped(notes, wrap) if wrap else notes
    notes = with_asides(notes, seed) if asides else notes
    notes = as_she(notes) if she else notes
    if leave_voices_out:
        try:
            folds_of(written, leave_voices_out)
        except ValueError as exc:
            raise _fail(str(exc)) from None
        report = left_out(written, leave_voices_out, scored=notes)
    else:
        report = evaluate(notes, load_rubric())
    typer.echo(json.dumps(report.to_json(), indent=2) if as_json else render(report))


@app.command("train-scorer")
def train_scorer(
    check: bool = typer.Option(
        False, "--check", help="Only verify the committed model is what the dev split trains to"
    ),
) -> None:
    """Train the notes model on the dev split of the labelled notes (needs the dev extras)."""
    from hiring_pipeline.tools.scorer_eval import load_labelled
    from hiring_pipeline.tools.scorer_training import TRAIN_SPLIT, agrees, load_neutral, render, train
    from services.scoring.notes_model import MODEL_PATH

    trained = train(load_labelled([TRAIN_SPLIT]), load_neutral())
    text = render(trained)
    if check:
        committed = MODEL_PATH.read_text(encoding="utf-8") if MODEL_PATH.exists() else None
        if committed is None or (committed != text and not agrees(json.loads(committed), trained)):
            raise _fail(f"{MODEL_PATH} is not what the dev split trains to: run hiring-pipeline train-scorer")
        same = "byte for byte" if committed == text else "up to this machine's float noise"
        typer.echo(f"{MODEL_PATH} is current ({same})")
        return
    MODEL_PATH.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {MODEL_PATH}")


@app.command("demo")
def demo(
    sample: Path = typer.Option(
        None, help="A JSON-lines file of InterviewCompleted events (default: the bundled sample)."
    ),
    timeout: float = typer.Option(90.0, help="Seconds to wait for the recommendations."),
    as_json: bool = typer.Option(
        False, "--json", help="The decisions as JSON lines on stdout (one Recommendation per pair); progress on stderr."
    ),
) -> None:
    """The whole pipeline on local infrastructure, fed a sample interview loop; prints the decisions."""
    from rich.console import Console

    from hiring_pipeline.devstack import demo as demo_run
    from hiring_pipeline.devstack.infra import InfraError
    from hiring_pipeline.tools.dry_run import InvalidLine

    decided: list[Any] = []
    try:
        ok = demo_run.run(
            _infra_settings(),
            sample or demo_run.SAMPLE,
            timeout,
            console=Console(stderr=True, width=200) if as_json else None,
            on_result=decided.extend,
        )
    except (InfraError, InvalidLine) as exc:
        raise _fail(f"demo failed: {exc}") from None
    if as_json:
        for recommendation in decided:
            typer.echo(recommendation.model_dump_json())
    if not ok:
        raise typer.Exit(1)


@app.command(
    "bench",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Benchmark the pipeline against the real stack (options: see `hiring-pipeline bench --help`)."""
    from hiring_pipeline.devstack.benchmark import main as bench_main

    if not {"-h", "--help"} & set(ctx.args):
        _settings(ProcessSettings)  # the same Kafka settings (and errors) as every command
    bench_main(ctx.args)


@app.command("publish")
def publish(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON lines of InterviewCompleted"),
    as_json: bool = typer.Option(False, "--json", help="The outcome as one JSON document."),
) -> None:
    """Validate every event in FILE, then send them to ats.interview-completed.v1 in file order."""
    from hiring_pipeline.tools.dry_run import InvalidLine
    from hiring_pipeline.tools.publish import publish as send
    from hiring_pipeline.tools.publish import read_events

    try:
        events = read_events(file)
    except InvalidLine as exc:
        raise _fail(f"{file}: {exc}; nothing was sent", 2) from None
    kafka = _kafka()
    with _progress("publishing", total=len(events)) as update:
        sent = asyncio.run(send(events, kafka, on_progress=update))
    if as_json:
        _echo_json({"published": sent, "topic": "ats.interview-completed.v1", "file": str(file)})
    else:
        typer.echo(f"published {sent} events to ats.interview-completed.v1")


@app.command("recommendations")
def recommendations(
    once: bool = typer.Option(False, "--once", help="Print the current state and exit."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines (one Recommendation per pair) for scripts."),
    candidate: str = typer.Option(None, help="Only this candidate."),
    role: str = typer.Option(None, help="Only this role."),
) -> None:
    """The current decision per candidate and role, from hiring.recommendation.v1.

    Live table by default (Ctrl-C to leave); each row explains itself: per-competency
    scores, the interviews counted and the reasons.
    """
    from rich.live import Live

    from hiring_pipeline.tools.recommendations import follow_latest, selected, table, wide_console

    kafka = _kafka()
    if once or as_json:
        latest = asyncio.run(follow_latest(kafka, until=lambda _: False, timeout=60, stop_at_end=True))
        chosen = selected(latest, candidate, role)
        if as_json:
            for r in chosen:
                typer.echo(r.model_dump_json())
        else:
            console = wide_console()
            console.print(table(chosen, width=console.width))
        return
    with Live(table([]), auto_refresh=False) as live:

        def render(latest: Latest) -> None:
            live.update(table(selected(latest, candidate, role), width=live.console.width), refresh=True)

        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a reader leaves the live table
            asyncio.run(follow_latest(kafka, until=lambda _: False, timeout=None, on_update=render))


@app.command("explain")
def explain(
    candidate: str = typer.Argument(..., help="The candidate id"),
    role: str = typer.Argument(..., help="The role id"),
    as_json: bool = typer.Option(False, "--json", help="The Recommendation as JSON."),
) -> None:
    """The decision record of one pair from hiring.recommendation.v1: decision, reasons,
    debrief reasons, overrides, interviewers and their votes, per-competency scores and quotes.

    Exit code 1 when the topic holds no recommendation for the pair.
    """
    from hiring_pipeline.tools.explain import current, render

    recommendation = asyncio.run(current(_kafka(), candidate, role))
    if recommendation is None:
        raise _fail(f"no recommendation for {candidate} and {role} on hiring.recommendation.v1")
    typer.echo(recommendation.model_dump_json(indent=2) if as_json else render(recommendation))


@app.command("calibration")
def calibration(
    interviewer: str = typer.Option(None, "--interviewer", help="Only this interviewer."),
    role: str = typer.Option(None, "--role", help="Only loops of this role (and its threshold)."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines, one per interviewer and competency."),
) -> None:
    """How each interviewer's scores sit against the rest of their loops, per competency.

    Mean offset (positive: above the loop), its spread, the interviews it rests on, and
    whether decision records name them (beyond the role's calibration threshold). Read from
    the aggregation service's stored interviews (DATABASE_URL, ROLES_FILE).
    """
    from hiring_pipeline.tools import calibration as tool
    from services.aggregation.settings import AggregationSettings

    settings = _settings(AggregationSettings)
    roles = settings.roles()
    if role is not None and role not in roles:
        raise _fail(f"unknown role {role}; known roles: {', '.join(sorted(roles))}", 2)
    chosen = [roles[role]] if role else list(roles.values())
    found = tool.selected(asyncio.run(tool.offsets(settings.database_url, role)), interviewer)
    if as_json:
        for offset in found:
            typer.echo(tool.as_json(offset, chosen))
        return
    from hiring_pipeline.tools.recommendations import wide_console

    wide_console().print(tool.table(found, chosen))


@app.command("audit")
def audit(
    role: str = typer.Option(..., "--role", help="The role whose decisions are audited."),
    since: datetime | None = typer.Option(None, help="Only decisions issued since (ISO date or time, UTC if naive)."),
    as_json: bool = typer.Option(False, "--json", help="The report as one JSON document."),
) -> None:
    """Adverse-impact report (NYC Local Law 144): selection and scoring rates and their impact
    ratios per sex, race/ethnicity and their intersection; ratios below 0.8 flagged.

    Decisions from hiring.recommendation.v1; self-identification from the Greenhouse
    adapter's store (GREENHOUSE_EEOC_SYNC). Exit 2 for an unknown role.
    """
    from hiring_pipeline.tools import audit as tool
    from schemas.rubric import role_ids

    if role not in role_ids():
        raise _fail(f"unknown role {role}; known roles: {', '.join(sorted(role_ids()))}", 2)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    settings = _settings(ProcessSettings)
    recommendations, demographics = asyncio.run(tool.load(settings.kafka_options(), settings.database_url, role))
    people, undecided, unknown = tool.audited(recommendations, demographics, role, since)
    report = tool.adverse_impact(
        people,
        role,
        since=since.isoformat() if since else None,
        undecided=undecided,
        without_self_identification=unknown,
    )
    if as_json:
        typer.echo(report.to_json())
        return
    from hiring_pipeline.tools.recommendations import wide_console

    wide_console().print(tool.render(report))


@app.command("recommend")
def recommend(
    as_table: bool = typer.Option(
        False, "--table", help="A table, as `recommendations` prints, instead of JSON lines."
    ),
    roles_file: Path = typer.Option(
        None,
        "--roles",
        exists=True,
        dir_okay=False,
        help="Decide by these role profiles instead of the bundled ones (to try a change).",
    ),
) -> None:
    """Dry run: InterviewCompleted JSON lines on stdin -> final Recommendation per pair (JSON lines).

    Scoring and aggregation in-process, no Kafka, no database. Exit code 2 with the line
    number on an invalid line.
    """
    from hiring_pipeline.tools import dry_run
    from schemas.rubric import load_roles, load_rubric

    try:
        events = dry_run.parse_lines(sys.stdin)
    except dry_run.InvalidLine as exc:
        raise _fail(str(exc), 2) from None
    try:
        roles = load_roles(roles_file) if roles_file else load_roles()
    except ValueError as exc:
        raise _fail(f"role profiles {roles_file}: {exc}", 2) from None
    recommendations = dry_run.recommend(events, load_rubric(), roles)
    if as_table:
        from hiring_pipeline.tools.recommendations import table, wide_console

        console = wide_console()
        console.print(table(recommendations, title="Dry run: final recommendations", width=console.width))
        return
    for recommendation in recommendations:
        typer.echo(recommendation.model_dump_json())


@run_app.command("scoring")
def run_scoring() -> None:
    """The scoring service: interview-completed in, interview-scored out."""
    from services.scoring.app import serve
    from services.scoring.settings import ScoringSettings

    settings = _service_settings(ScoringSettings, "scoring")
    _dependencies_reachable(settings, "scoring")
    serve(settings)


@run_app.command("aggregation")
def run_aggregation() -> None:
    """The aggregation service: interview-scored in, recommendations out."""
    from services.aggregation.app import serve
    from services.aggregation.settings import AggregationSettings

    settings = _service_settings(AggregationSettings, "aggregation")
    _dependencies_reachable(settings, "aggregation")
    serve(settings)


def _greenhouse_settings() -> GreenhouseSettings:
    from services.greenhouse.settings import GreenhouseSettings

    return _settings(GreenhouseSettings)


@greenhouse_app.command("sync")
def greenhouse_sync(
    once: bool = typer.Option(False, "--once", help="One poll, then exit (for cron and tests)"),
    since: datetime | None = typer.Option(
        None,
        help="Re-read scorecards updated since (ISO time, UTC if naive), "
        "e.g. after a mapping change; what was published is not published again",
    ),
    as_json: bool = typer.Option(False, "--json", help="With --once: the poll's report as one JSON document."),
) -> None:
    """Poll Harvest's scorecards and publish new and edited ones as InterviewCompleted.

    Needs GREENHOUSE_API_KEY (or _FILE) and GREENHOUSE_MAPPING_FILE (see the README).
    """
    from services.greenhouse.app import run_sync
    from services.greenhouse.harvest import HarvestError
    from services.greenhouse.mapping import GreenhouseMapping
    from services.runtime.logs import configure_logging

    settings = _greenhouse_settings()
    # With --json, stdout is the report's alone: the logs go to stderr.
    configure_logging(settings.log_format, settings.log_level, stream=sys.stderr if as_json else None)
    try:
        GreenhouseMapping.load(settings.greenhouse_mapping_file)
        settings.api_key()
    except FileNotFoundError:
        raise _fail(
            f"mapping file not found: {settings.greenhouse_mapping_file} (GREENHOUSE_MAPPING_FILE)", 2
        ) from None
    except (ValueError, ValidationError) as exc:
        raise _fail(f"configuration error: {exc}", 2) from None
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    if as_json and not once:
        raise _fail("--json needs --once (a running sync logs its reports)", 2)

    def report(r: Any) -> None:
        if as_json:
            _echo_json(
                {"fetched": r.fetched, "published": r.published, "unchanged": r.unchanged, "skipped": dict(r.skipped)}
            )
        else:
            typer.echo(r.line(), err=True)

    try:
        progress = _progress("scorecards fetched" if since is None else "backfilling scorecards")
        with progress if once else contextlib.nullcontext(lambda *_: None) as update:  # a loop: its logs say it
            asyncio.run(
                run_sync(settings, once=once, since=since, on_report=report, on_page=lambda r: update(r.fetched))
            )
    except HarvestError as exc:
        raise _fail(f"sync failed: {exc}") from None


@greenhouse_app.command("webhook")
def greenhouse_webhook() -> None:
    """Serve POST /webhooks/greenhouse for scorecard_deleted and interview_deleted.

    Needs GREENHOUSE_WEBHOOK_SECRET (or _FILE); listens on HTTP_HOST:GREENHOUSE_WEBHOOK_PORT,
    with TLS when GREENHOUSE_SSL_CERTFILE and GREENHOUSE_SSL_KEYFILE are set.
    """
    from services.greenhouse.app import serve_webhook
    from services.runtime.logs import configure_logging

    settings = _greenhouse_settings()
    configure_logging(settings.log_format, settings.log_level)
    try:
        settings.webhook_secret()
    except ValueError as exc:
        raise _fail(f"configuration error: {exc}", 2) from None
    asyncio.run(serve_webhook(settings))


@greenhouse_app.command("writeback")
def greenhouse_writeback() -> None:
    """Write each changed decision of hiring.recommendation.v1 as a note on the Greenhouse candidate.

    Needs GREENHOUSE_API_KEY (or _FILE, with permission to add notes) and
    GREENHOUSE_ON_BEHALF_OF; health and metrics on HTTP_HOST:GREENHOUSE_WRITEBACK_HTTP_PORT.
    """
    from services.greenhouse.settings import WritebackSettings
    from services.greenhouse.writeback import serve

    settings = _settings(WritebackSettings)
    try:
        settings.api_key()
        settings.on_behalf_of()
    except ValueError as exc:
        raise _fail(f"configuration error: {exc}", 2) from None
    serve(settings)


@rebuild_app.command("aggregation")
def rebuild_aggregation(
    as_json: bool = typer.Option(False, "--json", help="The report as one JSON document."),
) -> None:
    """Replay hiring.interview-scored.v1 from the start into empty state (service stopped).

    Every pair is decided again under the role profiles of ROLES_FILE (default: the
    bundled ones): pairs whose decision record comes out unchanged publish nothing; changed
    ones get the next version. The consumer group then resumes where the replay ended.
    """
    from services.aggregation.app import connect
    from services.aggregation.rebuild import GroupStillActive, RebuildReport, rebuild
    from services.aggregation.settings import AggregationSettings
    from services.runtime.logs import configure_logging

    settings = _settings(AggregationSettings)
    try:
        roles = settings.roles()
    except (OSError, ValueError) as exc:
        raise _fail(f"rebuild refused: role profiles {settings.roles_file}: {exc}", 2) from None

    async def go(update: Callable[..., None]) -> RebuildReport:
        configure_logging(settings.log_format, settings.log_level, stream=sys.stderr)  # stdout: the report
        async with connect(settings) as (store, sender):
            return await rebuild(
                settings.kafka_options(),
                settings.aggregation_group_id,
                store,
                sender,
                roles,
                lambda: datetime.now(UTC),
                on_progress=lambda done, total: update(done, total=total),
            )

    try:
        with _progress("replaying hiring.interview-scored.v1") as update:
            report = asyncio.run(go(update))
    except GroupStillActive as exc:
        raise _fail(f"rebuild refused: {exc}") from None
    if as_json:
        import dataclasses

        _echo_json(dataclasses.asdict(report))
        return
    typer.echo(
        f"replayed {report.events} scored events ({report.skipped} invalid skipped) into {report.pairs} pairs; "
        f"{report.republished} recommendations changed and were published "
        f"(role profiles {', '.join(sorted({r.version for r in roles.values()}))})"
    )


@dlq_app.command("list")
def dlq_list(
    topic: str = typer.Argument(..., help="An input topic (or its .dlq topic)"),
    as_json: bool = typer.Option(False, "--json", help="JSON lines for scripts."),
) -> None:
    """Every dead letter of TOPIC with its error; values are not shown (they may hold notes)."""
    import dataclasses
    import json

    from rich.table import Table

    from hiring_pipeline.tools.dead_letters import list_dead_letters
    from hiring_pipeline.tools.recommendations import wide_console

    try:
        letters = asyncio.run(list_dead_letters(_kafka(), topic))
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    if as_json:
        for letter in letters:
            typer.echo(json.dumps(dataclasses.asdict(letter)))
        return
    table = Table(title=f"{len(letters)} dead letters of {topic.removesuffix('.dlq')}")
    for column in ("dlq partition:offset", "source topic:partition:offset", "key", "error", "reason"):
        table.add_column(column, overflow="fold")
    for letter in letters:
        table.add_row(
            f"{letter.dlq_partition}:{letter.dlq_offset}", letter.source, letter.key, letter.error_type, letter.reason
        )
    wide_console().print(table)


@dlq_app.command("replay")
def dlq_replay(
    topic: str = typer.Argument(..., help="An input topic (or its .dlq topic)"),
    as_json: bool = typer.Option(False, "--json", help="The report as one JSON document."),
) -> None:
    """Re-publish the dead letters not replayed before to their source topic, once each."""
    import dataclasses

    from hiring_pipeline.tools.dead_letters import replay

    kafka = _kafka()
    try:
        with _progress("replaying dead letters") as update:
            report = asyncio.run(replay(kafka, topic, on_progress=update))
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    if as_json:
        _echo_json({"topic": topic.removesuffix(".dlq"), **dataclasses.asdict(report)})
        return
    typer.echo(
        f"replayed {report.replayed} of {report.read} new dead letters to {topic.removesuffix('.dlq')} "
        f"({report.skipped} skipped: duplicates, summaries of records too large, or without dead-letter headers)"
    )


@schemas_app.command("export")
def schemas_export(
    check: bool = typer.Option(
        False, "--check", help="Write nothing; exit 1 when a file differs from what the code generates"
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Write into this folder (jsonschema/*.json, asyncapi.json) instead of the checkout"
    ),
) -> None:
    """Regenerate schemas/jsonschema/*.json and docs/asyncapi.json from the code (or check them)."""
    from hiring_pipeline.tools.contracts import asyncapi_text
    from schemas.tooling import asyncapi, json_schema
    from schemas.tooling.files import in_checkout

    generated = {json_schema.SCHEMA_DIR / f"{name}.json": text for name, text in json_schema.rendered().items()}
    generated[asyncapi.DOCUMENT] = asyncapi_text()
    if check:
        stale = [p for p, text in generated.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            typer.echo(f"stale: {path}", err=True)
        if stale:
            raise _fail(f"{len(stale)} of {len(generated)} files differ: run `hiring-pipeline schemas export`")
        typer.echo(f"{len(generated)} files are what the code generates")
        return
    if out is None and not in_checkout():
        raise _fail("not a source checkout: pass --out DIR to write the files somewhere", 2)
    for path, text in generated.items():
        if out is not None:
            path = out / ("asyncapi.json" if path == asyncapi.DOCUMENT else f"jsonschema/{path.name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {path}")


consumer_app = typer.Typer(no_args_is_help=True, help="A service's consumer group: move it past a record.")
app.add_typer(consumer_app, name="consumer")


@consumer_app.command("skip")
def consumer_skip(
    service: str = typer.Argument(..., help="scoring or aggregation"),
    partition: int = typer.Option(..., "--partition", help="The partition of the service's input topic"),
    offset: int = typer.Option(..., "--offset", help="The last offset to skip: the group resumes after it"),
    apply: bool = typer.Option(False, "--apply", help="Do it (without: a dry run that only says what it would do)"),
) -> None:
    """Move SERVICE's consumer group past OFFSET (service stopped); skipped records go to the DLQ first."""
    from hiring_pipeline.tools.consumer_groups import INPUTS, SkipRefused, skip_past
    from services.aggregation.settings import AggregationSettings
    from services.scoring.settings import ScoringSettings

    if service not in INPUTS:
        raise _fail(f"unknown service {service!r}: scoring or aggregation", 2)
    group = (
        _settings(ScoringSettings).scoring_group_id
        if service == "scoring"
        else _settings(AggregationSettings).aggregation_group_id
    )
    try:
        plan = asyncio.run(skip_past(_kafka(), service, group, partition, offset, apply=apply))
    except SkipRefused as exc:
        raise _fail(f"consumer skip refused: {exc}") from None
    for line in plan.lines():
        typer.echo(line)


def _connection_error(exc: BaseException) -> str | None:
    """A one-line description of a failure to reach Kafka or PostgreSQL, else None."""
    module = type(exc).__module__.split(".")[0]
    if isinstance(exc, OSError | TimeoutError) or module in {"asyncpg", "aiokafka", "kafka"}:
        detail = str(exc).splitlines()[0] if str(exc) else ""
        return f"{type(exc).__name__}{': ' + detail if detail else ''}"
    return None


def main() -> None:
    """The entry point: the commands, and one line instead of a traceback when Kafka or the
    database cannot be reached (or a file cannot be read) in the middle of one."""
    try:
        app()
    except ValidationError as exc:  # settings read deeper than a command's own check
        typer.echo(f"configuration error: {_config_error(exc)}", err=True)
        sys.exit(2)
    except Exception as exc:
        problem = _connection_error(exc)
        if problem is None:
            raise
        typer.echo(f"error: {problem}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
