"""A local HTTP server that answers like Greenhouse's Harvest API, for the adapter's tests.

Serves `GET /v1/scorecards`, `GET /v1/scheduled_interviews` (both with `updated_after`,
`per_page`, `page` and a `Link: rel="next"` header) and `GET /v1/applications/{id}`,
checks HTTP Basic with the API key, and can answer the next request(s) with 429 and
`Retry-After`. Documented Harvest field names only; the data is whatever a test puts in.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

API_KEY = "test-harvest-key"


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

    def put(self, card: dict[str, Any]) -> None:
        with self.lock:
            self.scorecards[card["id"]] = card


class _Handler(BaseHTTPRequestHandler):
    harvest: Harvest

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        harvest = self.server.harvest  # type: ignore[attr-defined]
        harvest.requests.append(self.path)
        expected = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
        if self.headers.get("Authorization") != expected:
            harvest.refused += 1
            return self._json(401, {"message": "Invalid Basic Auth credentials"})
        with harvest.lock:
            if harvest.rate_limit_next > 0:
                harvest.rate_limit_next -= 1
                return self._json(429, {"message": "Too Many Requests"}, {"Retry-After": harvest.retry_after})
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
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
        collections = {"/v1/scorecards": harvest.scorecards, "/v1/scheduled_interviews": harvest.scheduled_interviews}
        if url.path not in collections:
            return self._json(404, {"message": "Resource not found"})
        with harvest.lock:
            items = sorted(
                collections[url.path].values(), key=lambda s: s.get("candidate_id", 0)
            )  # "ordered by candidate"
        if "updated_after" in query:
            after = datetime.fromisoformat(query["updated_after"].replace("Z", "+00:00"))
            items = [i for i in items if datetime.fromisoformat(i["updated_at"].replace("Z", "+00:00")) >= after]
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
