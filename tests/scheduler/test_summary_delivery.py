"""The weekly summary arrives on Sunday evening with this week's numbers, once."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.context import RunliftApplication
from bot.services import set_logging
from bot.services.container import Services
from scheduler import deliver_due
from scheduler.jobs import Deliverer, deliverer_of
from tests.fakes import MutableClock, RecordingRequest
from tests.scheduler.support import onboard
from tests.scheduler.test_delivery import RUNNER, rows, sent_texts


async def test_the_sunday_summary_counts_the_week_and_shows_whats_next(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    summary = next(r for r in await rows(services) if r.kind == "weekly_summary")
    assert summary.due_at == datetime(2026, 11, 29, 19, 0, tzinfo=UTC)
    deliverer: Deliverer = deliverer_of(app)
    deliverer.per_chat_interval = 0
    clock.set(datetime(2026, 11, 29, 19, 0, tzinfo=UTC))
    await deliver_due(app, services)
    texts = sent_texts(request_recorder, RUNNER)
    sent = [t for t in texts if "Your week" in t]
    assert len(sent) == 1
    assert "of 2 sessions done" in sent[0] and "Coming up" in sent[0]
    await deliver_due(app, services)
    assert len([t for t in sent_texts(request_recorder, RUNNER) if "Your week" in t]) == 1
    following = [r for r in await rows(services) if r.kind == "weekly_summary"]
    assert datetime(2026, 12, 6, 19, 0, tzinfo=UTC) in {r.due_at for r in following}


async def test_the_sunday_summary_comes_with_the_chart_when_a_lift_went_up(
    app: RunliftApplication,
    services: Services,
    clock: MutableClock,
    request_recorder: RecordingRequest,
) -> None:
    await onboard(services)
    await set_logging.record_sets(services, RUNNER, "squat 3x5 60kg")
    deliverer_of(app).per_chat_interval = 0
    clock.set(datetime(2026, 11, 29, 19, 0, tzinfo=UTC))
    await deliver_due(app, services)
    [summary] = [m for m in request_recorder.messages.values() if "Your week" in m.text]
    assert summary.kind == "photo" and "Back squat: e1RM" in summary.text
