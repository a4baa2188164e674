"""The `app` fixture's spy on the error handler: a handler that raises must not pass unseen."""

from __future__ import annotations

import logging

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.context import RunliftApplication, RunliftContext
from handlers.errors import SORRY
from tests.fakes import ChatHarness, ErrorSpy

RUNNER = 777


async def _explode(update: Update, context: RunliftContext) -> None:
    raise LookupError("stored row has a key the model forbids")


async def _feed_fails(update: Update, context: RunliftContext) -> None:
    raise ConnectionError("cannot reach https://cal.example/private/s3cr3t-feed.ics?token=abc")


@pytest.mark.expect_handler_error(LookupError, reason="this test checks the spy records it")
async def test_the_spy_records_the_error_and_the_runner_still_gets_the_apology(
    app: RunliftApplication, harness: ChatHarness, handler_errors: ErrorSpy
) -> None:
    app.add_handler(CommandHandler("explode", _explode), group=-5)
    sent = await harness.send(RUNNER, "/explode")
    assert SORRY in [message.text for message in sent]
    assert [type(error) for error in handler_errors.errors] == [LookupError]
    assert handler_errors.unexpected() == []


def test_an_error_of_another_type_than_declared_is_unexpected() -> None:
    spy = ErrorSpy(errors=[KeyError("x"), ValueError("y")], expected=(KeyError,))
    assert [type(error) for error in spy.unexpected()] == [ValueError]
    assert "ValueError: y" in spy.report()


@pytest.mark.expect_handler_error(LookupError, reason="the log line of a failure is checked")
async def test_the_error_log_names_ids_and_the_kind_never_words_or_names(
    app: RunliftApplication, harness: ChatHarness, caplog: pytest.LogCaptureFixture
) -> None:
    app.add_handler(CommandHandler("explode", _explode), group=-5)
    await harness.api.create_user(RUNNER, first_name="Zelda")
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        await harness.send(RUNNER, "/explode https://cal.example/private/s3cr3t-feed.ics")
    logged = "\n".join(
        record.getMessage() for record in caplog.records if record.name == "handlers.errors"
    )
    assert f"chat={RUNNER}" in logged and f"user={RUNNER}" in logged and "(message)" in logged
    for private in ("Zelda", "s3cr3t-feed", "/explode"):
        assert private not in logged
    assert "LookupError: stored row has a key" in logged, "the error itself is still logged"


@pytest.mark.expect_handler_error(ConnectionError, reason="an error naming a private feed URL")
async def test_a_feed_url_in_an_error_is_not_logged(
    app: RunliftApplication, harness: ChatHarness, caplog: pytest.LogCaptureFixture
) -> None:
    app.add_handler(CommandHandler("feed", _feed_fails), group=-5)
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        await harness.send(RUNNER, "/feed")
    logged = "\n".join(caplog.text.splitlines())
    assert "ConnectionError: cannot reach <url>" in logged
    assert "s3cr3t-feed" not in logged and "cal.example" not in logged
