"""The 'bare' anchor: FastAPI, a pydantic body like a site proposal, one INSERT of an
event-shaped row per request through an async psycopg pool (no framework of ours).

Copied from ../shared/bench/bare_endpoint.py (2026-12-07), the reference the performance
issue's ratios are taken against (docs/baselines.md, "The bare endpoint"). Same code:
only this docstring, ruff's layout and one noqa are added. bench.http_ratio serves it with uvicorn (one worker, uvloop, httptools).
"""

import json
import os
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel, Field

DSN = os.environ.get("BARE_DSN", "host=127.0.0.1 dbname=test user=postgres")
pool: AsyncConnectionPool | None = None


@asynccontextmanager
async def lifespan(app):
    global pool  # noqa: PLW0603 - the reference as given: one pool per process
    pool = AsyncConnectionPool(DSN, min_size=4, max_size=8, open=False)
    await pool.open()
    async with pool.connection() as c:
        await c.execute("create schema if not exists bare")
        await c.execute(
            "create table if not exists bare.events (position bigserial primary key,"
            " originator_id uuid not null, version int not null, topic text not null,"
            " state jsonb not null, unique (originator_id, version))"
        )
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


class SiteIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str
    address: str = Field(min_length=1, max_length=500)


@app.post("/sites", status_code=201)
async def propose(site: SiteIn):
    sid = uuid.uuid4()
    async with pool.connection() as c:
        await c.execute(
            "insert into bare.events (originator_id, version, topic, state) values (%s,1,%s,%s)",
            (sid, "Site.Proposed", json.dumps(site.model_dump())),
        )
    return {"id": str(sid), **site.model_dump()}


@app.get("/sites/{sid}")
async def get(sid: uuid.UUID):
    async with pool.connection() as c:
        cur = await c.execute("select state from bare.events where originator_id=%s", (sid,))
        row = await cur.fetchone()
    return row[0] if row else {}
