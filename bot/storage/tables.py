"""Database tables: every piece of durable state lives here, so any instance can serve any runner.

Times are aware UTC datetimes (`UtcDateTime`); dates are the runner's local calendar dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.core.domain.statuses import ReminderStatus, SessionStatus


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always hands back aware UTC (SQLite forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: runlift stores aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base; `type_annotation_map` keeps JSON columns portable."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Runner(Base):
    """One Telegram user. `profile` is None until onboarding is confirmed."""

    __tablename__ = "runners"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    profile: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    block_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    """False once Telegram says the runner blocked the bot; /start sets it back."""
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    """/pause: reminders are kept but not sent until /resume."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Draft(Base):
    """A conversation in progress (onboarding, a settings change, a log awaiting confirmation).

    Kept in the database so a restart resumes at the same question with earlier answers kept.
    """

    __tablename__ = "drafts"

    runner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    step: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PlannedSession(Base):
    """A strength session on a local date, with its prescription frozen as JSON."""

    __tablename__ = "planned_sessions"
    __table_args__ = (Index("ix_planned_sessions_runner_date", "runner_id", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    runner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runners.id", ondelete="CASCADE")
    )
    date: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(16), default="")
    phase: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default=SessionStatus.PLANNED.value)
    """planned, done, skipped, moved, missed or cancelled."""
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """A `bot.core.domain.plan.Session` as JSON: what the reminder shows and logs compare to."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Reminder(Base):
    """A message due at a UTC time; the row is claimed before sending so it goes out once."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_reminders_dedupe_key"),
        Index("ix_reminders_status_due", "status", "due_at"),
        Index("ix_reminders_runner", "runner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    runner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runners.id", ondelete="CASCADE")
    )
    session_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("planned_sessions.id", ondelete="CASCADE"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    """session, ask_log or weekly_preview."""
    dedupe_key: Mapped[str] = mapped_column(String(96))
    """One row per purpose (e.g. `ask_log:42`): creating it twice is a no-op."""
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default=ReminderStatus.PENDING.value)
    """pending, claimed, sent, missed, cancelled or failed."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LogEntry(Base):
    """One message of logged sets: the unit that /undo and a reply-to-correct act on.

    `source_chat_id`/`source_message_id` name the Telegram message that carried the log, unique
    together: an update delivered twice (a restart before its offset was confirmed) or handled
    again stores nothing twice. Entries made by a button have none.
    """

    __tablename__ = "log_entries"
    __table_args__ = (
        Index("ix_log_entries_runner", "runner_id", "created_at"),
        Index("ix_log_entries_confirmation", "runner_id", "confirmation_message_id"),
        Index("ux_log_entries_source", "source_chat_id", "source_message_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    runner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runners.id", ondelete="CASCADE")
    )
    session_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("planned_sessions.id", ondelete="SET NULL"), nullable=True
    )
    performed_on: Mapped[date] = mapped_column(Date)
    raw_text: Mapped[str] = mapped_column(Text, default="")
    confirmation_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class LoggedSetRow(Base):
    """One performed set with its target beside it (wger's target vs actual)."""

    __tablename__ = "logged_sets"
    __table_args__ = (
        Index("ix_logged_sets_runner_exercise", "runner_id", "exercise_id", "performed_on"),
        Index("ix_logged_sets_entry", "entry_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("log_entries.id", ondelete="CASCADE")
    )
    runner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runners.id", ondelete="CASCADE")
    )
    exercise_id: Mapped[str] = mapped_column(String(64))
    performed_on: Mapped[date] = mapped_column(Date)
    set_no: Mapped[int] = mapped_column(Integer)
    target_reps_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_reps_max: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_load_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_hold_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    load_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    hold_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rir: Mapped[int | None] = mapped_column(Integer, nullable=True)
    per_side: Mapped[bool] = mapped_column(Boolean, default=False)
    bodyweight: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class AdjustmentRow(Base):
    """Something the runner told us that bends the plan: pain, a swap, a tired day, a changed
    week (`bot.core.domain.adjustments`). `data` is the adjustment's JSON form; the dates are
    repeated as columns so the active ones are found by an index."""

    __tablename__ = "adjustments"
    __table_args__ = (Index("ix_adjustments_runner_dates", "runner_id", "ends_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    runner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runners.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    """Inclusive last day; None until the runner says otherwise (pain, an "always" swap)."""
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """When the runner ended it ("knee is fine now", an undone swap); kept for the record."""


class RunRow(Base):
    """One activity the runner recorded (a run file, or intervals.icu): when, what, how much.

    `day` is the runner's local date of the start, the date a session is matched against;
    `matched` the planned run kind of that date (`bot.core.domain.rundays.RunKind`) when it
    arrived. A Strava stub from intervals.icu has no metrics (None). `external_id` is
    intervals.icu's activity id, so a poll that sees it again stores nothing twice.
    """

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_runner_day", "runner_id", "day"),
        Index("ux_runs_external", "runner_id", "external_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    runner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runners.id", ondelete="CASCADE")
    )
    day: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sport: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(16))
    matched: Mapped[str] = mapped_column(String(16), default="")
    distance_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    moving_time_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    average_hr: Mapped[int | None] = mapped_column(Integer, nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IntervalsLink(Base):
    """A runner's intervals.icu API key and how polling it goes (one row while connected).

    The key is a secret: read only to ask intervals.icu, never logged nor exported; the row
    goes with `/intervals off` and, by the cascade, with /delete.
    """

    __tablename__ = "intervals_links"

    runner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    api_key: Mapped[str] = mapped_column(String(128))
    connected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    refused_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """When intervals.icu refused the key on a poll: polling stopped, the runner told once."""
    polled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    wait_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """After a 429: no request before this instant."""


class InboxUpdate(Base):
    """A webhook update, stored before Telegram gets its 200 when several replicas share one
    PostgreSQL (`bot/inbox.py`): the primary key drops a re-delivered update_id, and whichever
    replica holds the chat's turn handles the chat's rows in update_id order. The payload is
    erased once handled; the row stays a day (Telegram re-delivers for no longer) to drop
    late duplicates."""

    __tablename__ = "update_inbox"
    __table_args__ = (Index("ix_update_inbox_pending", "answered_at", "chat_id", "update_id"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    handled_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The attempt that marked it (right before its answer left): only that one answers."""
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """When the Bot API took the answer (or the handlers were done): the update is finished."""
    tries: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """Times a replica took it up: a second try may find its first one's effects saved."""


class SendPace(Base):
    """When the next message may leave, shared by every replica: `subject` 0 is the whole bot
    (Telegram's ~30 messages/s), any other is a chat (1/s); see `bot.storage.inbox`."""

    __tablename__ = "send_pace"

    subject: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    next_at: Mapped[datetime] = mapped_column(UtcDateTime)
