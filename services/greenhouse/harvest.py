"""A small client of Greenhouse's Harvest API: the reads the adapter needs, and the decision note it writes.

Harvest authenticates with HTTP Basic (the API key as user name, empty password), pages
with `per_page` / `page` and an RFC 5988 `Link: <...>; rel="next"` header, and limits
the request rate: a 429 answer carries `Retry-After` (seconds), and `X-RateLimit-Remaining`
says how many requests are left in the window. The client waits as told and tries again;
server errors and dropped connections are retried with exponential backoff. Nothing of a
response body is logged: it holds candidates' and interviewers' data.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx
import structlog

log = structlog.get_logger(service="greenhouse")

MAX_PER_PAGE = 500
MAX_WAIT_S = 60.0


class HarvestError(RuntimeError):
    """Harvest refused the request for good (bad key, missing permission, retries exhausted)."""


class HarvestRejected(HarvestError):
    """A 4xx that no retry will change (a deleted candidate's 404, a 422 on the body): the
    request itself is wrong, unlike a rate limit, a server error or a refused key."""

    def __init__(self, status: int, path: str) -> None:
        super().__init__(f"Harvest answered {status} for {path}")
        self.status = status


class HarvestClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        per_page: int = MAX_PER_PAGE,
        attempts: int = 6,
        timeout_s: float = 30.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            auth=httpx.BasicAuth(api_key, ""),
            timeout=timeout_s,
            headers={"accept": "application/json", "user-agent": "hiring-pipeline-greenhouse-adapter"},
        )
        self.per_page = min(per_page, MAX_PER_PAGE)
        self.attempts = attempts
        self.sleep = sleep
        self.requests = 0
        self.rate_limited = 0

    async def close(self) -> None:
        await self.http.aclose()

    async def scorecards(self, updated_after: datetime | None) -> AsyncIterator[list[dict[str, Any]]]:
        """Every scorecard updated at or after `updated_after` (all of them for None), page by page."""
        async for page in self._pages("/v1/scorecards", updated_after):
            yield page

    async def scheduled_interviews(self, updated_after: datetime | None) -> AsyncIterator[list[dict[str, Any]]]:
        async for page in self._pages("/v1/scheduled_interviews", updated_after):
            yield page

    async def job_of_application(self, application_id: int) -> int | None:
        """The application's job; None for a prospect (no job) or an application gone since."""
        response = await self._get(f"/v1/applications/{application_id}", None, allow_missing=True)
        if response is None:
            return None
        jobs = response.json().get("jobs") or []
        return int(jobs[0]["id"]) if jobs else None

    async def add_note(self, candidate_id: int, body: str, *, on_behalf_of: int, visibility: str) -> int:
        """`POST /v1/candidates/{id}/activity_feed/notes` as the `On-Behalf-Of` user; the note's id."""
        response = await self._send(
            "POST",
            f"/v1/candidates/{candidate_id}/activity_feed/notes",
            None,
            json={"user_id": on_behalf_of, "body": body, "visibility": visibility},
            headers={"on-behalf-of": str(on_behalf_of)},
        )
        assert response is not None
        return int(response.json()["id"])

    async def notes(self, candidate_id: int) -> list[dict[str, Any]]:
        """The notes of a candidate's activity feed (`GET /v1/candidates/{id}/activity_feed`)."""
        response = await self._get(f"/v1/candidates/{candidate_id}/activity_feed", None)
        assert response is not None
        return list(response.json().get("notes") or [])

    async def eeoc(self, submitted_after: datetime | None) -> AsyncIterator[list[dict[str, Any]]]:
        """Voluntary self-identification per application (`GET /v1/eeoc`), page by page."""
        async for page in self._pages("/v1/eeoc", submitted_after, since_param="submitted_after"):
            yield page

    async def _pages(
        self, path: str, updated_after: datetime | None, *, since_param: str = "updated_after"
    ) -> AsyncIterator[list[dict[str, Any]]]:
        params: dict[str, Any] = {"per_page": self.per_page, "page": 1, "skip_count": "true"}
        if updated_after is not None:
            params[since_param] = updated_after.isoformat().replace("+00:00", "Z")
        url: str | None = path
        query: dict[str, Any] | None = params
        while url is not None:
            response = await self._get(url, query)
            assert response is not None
            yield response.json()
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries its own query (httpx would replace it with ours)

    async def _get(
        self, url: str, params: dict[str, Any] | None, *, allow_missing: bool = False
    ) -> httpx.Response | None:
        return await self._send("GET", url, params, allow_missing=allow_missing)

    async def _send(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        allow_missing: bool = False,
    ) -> httpx.Response | None:
        for attempt in range(1, self.attempts + 1):
            try:
                self.requests += 1
                response = await self.http.request(method, url, params=params, json=json, headers=headers)
            except httpx.TransportError as exc:
                if method != "GET":
                    # Sent or not? Unknown: the caller looks before it writes again (a note twice is worse).
                    raise HarvestError(f"Harvest unreachable: {type(exc).__name__}") from None
                if attempt == self.attempts:
                    raise HarvestError(f"Harvest unreachable: {type(exc).__name__}") from None
                await self.sleep(min(2.0**attempt, MAX_WAIT_S))
                continue
            if response.status_code == 429:
                self.rate_limited += 1
                wait = _retry_after(response)
                log.warning("harvest_rate_limited", retry_after_s=wait, attempt=attempt)
                if attempt < self.attempts:
                    await self.sleep(wait)
                continue
            if response.status_code >= 500 and attempt < self.attempts:
                await self.sleep(min(2.0**attempt, MAX_WAIT_S))
                continue
            if response.status_code == 404 and allow_missing:
                return None
            if response.status_code in (401, 403):
                raise HarvestError(
                    f"Harvest refused the API key ({response.status_code}): check GREENHOUSE_API_KEY "
                    "and its Harvest permissions"
                )
            if response.status_code >= 500:
                raise HarvestError(f"Harvest answered {response.status_code} for {httpx.URL(url).path}")
            if response.status_code >= 400:
                raise HarvestRejected(response.status_code, httpx.URL(url).path)
            if response.headers.get("x-ratelimit-remaining") == "0":
                await self.sleep(_retry_after(response, default=1.0))  # the window is spent: pause before the next
            return response
        raise HarvestError(f"Harvest still rate-limiting or failing after {self.attempts} attempts")


def _retry_after(response: httpx.Response, default: float = 10.0) -> float:
    try:
        return max(0.0, min(float(response.headers["retry-after"]), MAX_WAIT_S))
    except (KeyError, ValueError):
        return default
