"""Running a service app in-process against the real broker and database."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from faststream.asgi import AsgiFastStream


@contextlib.asynccontextmanager
async def running(app: AsgiFastStream) -> AsyncIterator[AsgiFastStream]:
    """The app's lifespan and broker, as `hiring-pipeline run` starts them (minus HTTP)."""
    async with app.start_lifespan_context():
        yield app
