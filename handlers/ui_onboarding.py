"""Texts and menus around the onboarding and settings questions (shared by both flows).

The questions themselves are entries in `handlers.questions`; the summary and the menus here are
derived from that registry. Callback data (`handlers.callbacks`): `Action.ONBOARDING` or
`Action.SETTINGS` with args `<step>:<arg>…`; `<step>` is the question (or `summary`, `change`,
`menu`) the button belongs to, so a press on an older question is recognised as stale.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from telegram import InlineKeyboardMarkup

from handlers.questions import REGISTRY, Asking, describe

# --- summary and menus ----------------------------------------------------------------------


def summary(data: Mapping[str, Any]) -> str:
    lines = [
        f"<b>{title}:</b> {html.escape(describe(step, data))}"
        for step, title in REGISTRY.titles().items()
    ]
    return "Here's what I have:\n\n" + "\n".join(lines) + "\n\nShall I build your plan?"


def summary_keyboard(asking: Asking) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                asking.button("👍 Looks good", "summary", "ok"),
                asking.button("✏️ Change something", "summary", "change"),
            ]
        ]
    )


def change_keyboard(asking: Asking, step: str = "change") -> InlineKeyboardMarkup:
    """One button per answer; `step` is `change` (onboarding) or `menu` (/settings)."""
    titles = REGISTRY.settings() if step == "menu" else REGISTRY.titles()
    buttons = [asking.button(title, step, s) for s, title in titles.items()]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if step == "change":
        rows.append([asking.button("⬅ Back to summary", "change", "summary")])
    return InlineKeyboardMarkup(rows)


def menu(asking: Asking, options: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """A one-off choice (resume or start over, show the plan …): step `menu`, arg the choice."""
    return InlineKeyboardMarkup([[asking.button(label, "menu", arg)] for label, arg in options])


WELCOME = (
    "Hi {name}! I'm runlift — I fit strength training around your running, like a coach "
    "would. A few quick questions (tap a button or just type), and you'll get your plan.\n"
    "Send /cancel any time; nothing you've told me is lost."
)
RESUME = "Welcome back, {name}! You were in the middle of setting up. Pick up where you left off?"
ONBOARDED = "Welcome back, {name}! You're all set up. What would you like?"
NUDGE = "Let's set up your plan first — send /start. It takes about two minutes."
PAUSED = "Paused — everything you've told me is saved. Send /start when you're ready to carry on."
SETTINGS_CANCELLED = "No changes made. Your plan stays as it is."
STALE_QUESTION = "That question's already answered — see my latest message."
CONVERSATION_OVER = "That conversation is over — send /start or /settings."
