"""Alembic environment: runs on the connection `Database.upgrade` hands over.

Run from the command line (`alembic -c ... revision --autogenerate`) it builds its own async
engine from DATABASE_URL.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from bot.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_standalone() -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.config import Settings

    async def main() -> None:
        engine = create_async_engine(Settings().database_url)
        async with engine.begin() as connection:
            await connection.run_sync(_run)
        await engine.dispose()

    asyncio.run(main())


if context.is_offline_mode():
    raise SystemExit("runlift migrations run online only: `runlift db upgrade`")

existing = config.attributes.get("connection")
if existing is not None:
    _run(existing)
else:
    _run_standalone()
