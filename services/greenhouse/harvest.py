"""A small client of Greenhouse's Harvest API: the three reads the adapter needs.

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

    async def _pages(self, path: str, updated_after: datetime | None) -> AsyncIterator[list[dict[str, Any]]]:
        params: dict[str, Any] = {"per_page": self.per_page, "page": 1, "skip_count": "true"}
        if updated_after is not None:
            params["updated_after"] = updated_after.isoformat().replace("+00:00", "Z")
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
        for attempt in range(1, self.attempts + 1):
            try:
                self.requests += 1
                response = await self.http.get(url, params=params)
            except httpx.TransportError as exc:
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
            if response.status_code >= 400:
                raise HarvestError(f"Harvest answered {response.status_code} for {httpx.URL(url).path}")
            if response.headers.get("x-ratelimit-remaining") == "0":
                await self.sleep(_retry_after(response, default=1.0))  # the window is spent: pause before the next
            return response
        raise HarvestError(f"Harvest still rate-limiting or failing after {self.attempts} attempts")


def _retry_after(response: httpx.Response, default: float = 10.0) -> float:
    try:
        return max(0.0, min(float(response.headers["retry-after"]), MAX_WAIT_S))
    except (KeyError, ValueError):
        return default
