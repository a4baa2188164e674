"""No answer the bot sends runs over Telegram's limits (which would make Telegram drop it whole):
4,096 characters for a text, 1,024 for a caption, 200 for a button's answer."""

from __future__ import annotations

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, CommandHandler

from bot.context import RunliftApplication, RunliftContext
from bot.send_limits import cut
from tests.fakes import ChatHarness

RUNNER = 612
LONG_HTML = "<b>Week plan</b>\n" + "\n".join(
    f"<i>day {n}</i> squat 4x5 &amp; lunge" for n in range(400)
)


async def _long_text(update: Update, context: RunliftContext) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_html(LONG_HTML)


async def _long_caption(update: Update, context: RunliftContext) -> None:
    await context.bot.send_document(
        RUNNER, b"date,sets\n", filename="log.csv", caption="sets " * 400
    )


async def _long_toast(update: Update, context: RunliftContext) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer("That button " * 40)
    raise ApplicationHandlerStop  # the catch-all would answer the same press again


async def test_an_over_long_html_answer_arrives_cut_with_its_tags_closed(
    app: RunliftApplication, harness: ChatHarness
) -> None:
    app.add_handler(CommandHandler("long", _long_text), group=-5)
    sent = [m for m in await harness.send(RUNNER, "/long") if "Week plan" in m.text]
    assert len(sent) == 1  # the app fixture fails the test had Telegram refused it
    assert len(sent[0].text) < 4096 and sent[0].text.endswith("lunge\n…")


async def test_an_over_long_caption_and_button_answer_are_cut(
    app: RunliftApplication, harness: ChatHarness
) -> None:
    app.add_handler(CommandHandler("file", _long_caption), group=-5)
    app.add_handler(CallbackQueryHandler(_long_toast), group=-5)
    sent = [m for m in await harness.send(RUNNER, "/file") if m.kind == "document"]
    assert len(sent) == 1 and 0 < len(sent[0].text) <= 1024
    await harness.press_data(RUNNER, sent[0].message_id, "anything")
    assert 0 < len(harness.callback_answers()[-1]) <= 200


@pytest.mark.parametrize(
    ("text", "expected_end"),
    [
        ("<b>" + "x " * 3000 + "</b>", "</b>\n…"),
        ("<pre>" + "a" * 5000, "</pre>\n…"),
        ("<i>x</i> " + "&amp; " * 1000, " &amp;\n…"),
    ],
)
def test_a_cut_leaves_valid_html(text: str, expected_end: str) -> None:
    result = cut(text, 4000, html=True)
    assert len(result) <= 4000
    assert result.endswith(expected_end)
