"""A local HTTP server that answers like Greenhouse's Harvest API, for the adapter's tests.

Serves `GET /v1/scorecards`, `GET /v1/scheduled_interviews` (both with `updated_after`,
`per_page`, `page` and a `Link: rel="next"` header), `GET /v1/applications/{id}`,
`GET /v1/eeoc` (`submitted_after`, paged) and a candidate's activity feed: `POST
/v1/candidates/{id}/activity_feed/notes` checks the `On-Behalf-Of` header (a known user),
the body (`user_id`, `body`, `visibility` one of admin_only/private/public) and answers 404
for a deleted candidate; `GET /v1/candidates/{id}/activity_feed` lists the notes. Every
request must carry HTTP Basic with the API key; the next request(s) can be answered with
429 and `Retry-After`, the next note(s) with 500. Documented Harvest field names only; the
data is whatever a test puts in.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

API_KEY = "test-harvest-key"
USER_ID = 158108
"""The Greenhouse user the write-back writes as (On-Behalf-Of)."""


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def scorecard(
    scorecard_id: int,
    *,
    candidate_id: int,
    application_id: int,
    updated_at: datetime,
    ratings: dict[str, str],
    notes: dict[str, str] | None = None,
    interviewer_id: int = 821,
    overall: str = "yes",
    questions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    notes = notes or {}
    return {
        "id": scorecard_id,
        "updated_at": timestamp(updated_at),
        "created_at": timestamp(updated_at),
        "interview": "Technical Interview",
        "interview_step": {"id": 432, "name": "Technical Interview"},
        "candidate_id": candidate_id,
        "application_id": application_id,
        "interviewed_at": timestamp(updated_at),
        "submitted_by": {
            "id": interviewer_id,
            "first_name": "Robert",
            "last_name": "Robertson",
            "name": "Robert Robertson",
            "employee_id": "100377",
        },
        "interviewer": {
            "id": interviewer_id,
            "first_name": "Robert",
            "last_name": "Robertson",
            "name": "Robert Robertson",
            "employee_id": "100377",
        },
        "submitted_at": timestamp(updated_at),
        "overall_recommendation": overall,
        "attributes": [
            {"name": name, "type": "Skills", "note": notes.get(name), "rating": rating}
            for name, rating in ratings.items()
        ],
        "questions": questions
        if questions is not None
        else [
            {"id": None, "question": "Key Take-Aways", "answer": "<p>Solid.</p>"},
            {"id": None, "question": "Private Notes", "answer": "Lives near Jane Doe; salary expectations high."},
        ],
    }


@dataclass
class Harvest:
    scorecards: dict[int, dict[str, Any]] = field(default_factory=dict)
    scheduled_interviews: dict[int, dict[str, Any]] = field(default_factory=dict)
    applications: dict[int, int | None] = field(default_factory=dict)
    """application id -> job id (None: a prospect without a job)"""
    rate_limit_next: int = 0
    failing_pages: set[int] = field(default_factory=set)
    """Scorecard pages answered with 500 (Harvest having a bad day)."""
    retry_after: str = "1"
    requests: list[str] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    users: set[int] = field(default_factory=lambda: {USER_ID})
    """Greenhouse users an `On-Behalf-Of` header may name."""
    deleted_candidates: set[int] = field(default_factory=set)
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    """candidate id -> the notes of its activity feed, oldest first"""
    bad_notes: list[str] = field(default_factory=list)
    """Why each refused note was refused (a test asserts there are none)."""
    fail_notes_next: int = 0
    """The next note requests answered with 500 (nothing written)."""
    note_delay_s: float = 0.0
    eeoc: dict[int, dict[str, Any]] = field(default_factory=dict)
    """application id -> its EEOC object"""
    _next_note_id: int = 226809000

    def put(self, card: dict[str, Any]) -> None:
        with self.lock:
            self.scorecards[card["id"]] = card

    def all_notes(self) -> list[dict[str, Any]]:
        with self.lock:
            return [{**n, "candidate_id": c} for c, notes in self.notes.items() for n in notes]


NOTES_PATH = re.compile(r"/v1/candidates/(\d+)/activity_feed/notes")
FEED_PATH = re.compile(r"/v1/candidates/(\d+)/activity_feed")
VISIBILITIES = ("admin_only", "private", "public")


def _note_problem(on_behalf_of: str | None, raw: bytes, users: set[int]) -> str | None:
    """What Harvest would refuse in a note request, or None."""
    if not on_behalf_of or not on_behalf_of.strip().isdigit() or int(on_behalf_of) not in users:
        return "On-Behalf-Of: missing or not a Greenhouse user"
    try:
        note = json.loads(raw)
    except ValueError:
        return "body: not JSON"
    if not isinstance(note, dict):
        return "body: not an object"
    if str(note.get("user_id", "")).strip() not in {str(u) for u in users}:
        return "user_id: missing or not a Greenhouse user"
    if not isinstance(note.get("body"), str) or not note["body"].strip():
        return "body: missing"
    if note.get("visibility") not in VISIBILITIES:
        return "visibility: must be one of admin_only, private, public"
    return None


def eeoc(
    application_id: int,
    candidate_id: int,
    *,
    gender: str | None,
    race: str | None,
    submitted_at: datetime,
    veteran: str | None = "I don't wish to answer",
    disability: str | None = None,
) -> dict[str, Any]:
    """An EEOC object as Harvest's documentation shows it (veteran_status says `message`)."""
    return {
        "application_id": application_id,
        "candidate_id": candidate_id,
        "race": None if race is None else {"id": 1, "description": race},
        "gender": None if gender is None else {"id": 1, "description": gender},
        "veteran_status": None if veteran is None else {"id": 3, "message": veteran},
        "disability_status": None if disability is None else {"id": 1, "description": disability},
        "submitted_at": timestamp(submitted_at),
    }


class _Handler(BaseHTTPRequestHandler):
    harvest: Harvest

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _admitted(self, harvest: Harvest) -> bool:
        """Basic auth with the API key, and the rate limit; answers and says no otherwise."""
        harvest.requests.append(self.path)
        expected = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
        if self.headers.get("Authorization") != expected:
            harvest.refused += 1
            self._json(401, {"message": "Invalid Basic Auth credentials"})
            return False
        with harvest.lock:
            if harvest.rate_limit_next > 0:
                harvest.rate_limit_next -= 1
                self._json(429, {"message": "Too Many Requests"}, {"Retry-After": harvest.retry_after})
                return False
        return True

    def do_POST(self) -> None:
        harvest = self.server.harvest  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self._admitted(harvest):
            return None
        match = NOTES_PATH.fullmatch(urlparse(self.path).path)
        if match is None:
            return self._json(404, {"message": "Resource not found"})
        candidate = int(match.group(1))
        problem = _note_problem(self.headers.get("On-Behalf-Of"), raw, harvest.users)
        if problem is not None:
            harvest.bad_notes.append(problem)
            return self._json(403 if "On-Behalf-Of" in problem else 422, {"message": problem})
        with harvest.lock:
            if harvest.fail_notes_next > 0:
                harvest.fail_notes_next -= 1
                return self._json(500, {"message": "Internal Server Error"})
            if candidate in harvest.deleted_candidates:
                return self._json(404, {"message": "Resource not found"})
        if harvest.note_delay_s:
            time.sleep(harvest.note_delay_s)  # a slow write: a kill lands between request and answer
        note = json.loads(raw)
        with harvest.lock:
            harvest._next_note_id += 1
            created = {
                "id": harvest._next_note_id,
                "created_at": timestamp(datetime.now(UTC)),
                "body": note["body"],
                "user": {"id": int(note["user_id"]), "name": "Hiring Pipeline"},
                "private": note["visibility"] == "private",
                "visiblity": note["visibility"],
                "visibility": note["visibility"],
            }
            harvest.notes.setdefault(candidate, []).append(created)
        return self._json(201, created)

    def do_GET(self) -> None:
        harvest = self.server.harvest  # type: ignore[attr-defined]
        if not self._admitted(harvest):
            return None
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        feed = FEED_PATH.fullmatch(url.path)
        if feed is not None:
            candidate = int(feed.group(1))
            if candidate in harvest.deleted_candidates:
                return self._json(404, {"message": "Resource not found"})
            with harvest.lock:
                notes = list(reversed(harvest.notes.get(candidate, [])))  # newest first
            return self._json(200, {"notes": notes, "emails": [], "activities": []})
        if url.path.startswith("/v1/applications/"):
            application_id = int(url.path.rsplit("/", 1)[1])
            if application_id not in harvest.applications:
                return self._json(404, {"message": "Resource not found"})
            job = harvest.applications[application_id]
            return self._json(
                200,
                {
                    "id": application_id,
                    "candidate_id": 1,
                    "prospect": job is None,
                    "jobs": [] if job is None else [{"id": job, "name": "Backend Engineer"}],
                },
            )
        collections = {
            "/v1/scorecards": harvest.scorecards,
            "/v1/scheduled_interviews": harvest.scheduled_interviews,
            "/v1/eeoc": harvest.eeoc,
        }
        if url.path not in collections:
            return self._json(404, {"message": "Resource not found"})
        with harvest.lock:
            items = sorted(
                collections[url.path].values(), key=lambda s: s.get("candidate_id", 0)
            )  # "ordered by candidate"
        for parameter, attribute in (("updated_after", "updated_at"), ("submitted_after", "submitted_at")):
            if parameter in query:
                after = datetime.fromisoformat(query[parameter].replace("Z", "+00:00"))
                items = [i for i in items if datetime.fromisoformat(i[attribute].replace("Z", "+00:00")) >= after]
        per_page, page = int(query.get("per_page", 100)), int(query.get("page", 1))
        if url.path == "/v1/scorecards" and page in harvest.failing_pages:
            return self._json(500, {"message": "Internal Server Error"})
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            rest = {**query, "page": str(page + 1)}
            link = f"http://{self.headers['Host']}{url.path}?" + "&".join(f"{k}={v}" for k, v in rest.items())
            headers["Link"] = f'<{link}>; rel="next"'
        return self._json(200, chunk, headers)

    def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class HarvestServer:
    """`with HarvestServer() as server:` serves `server.harvest` at `server.url` until the block ends."""

    def __init__(self) -> None:
        self.harvest = Harvest()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.harvest = self.harvest  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HarvestServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
