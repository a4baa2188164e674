"""Telegram-flavoured HTML parsing: the text and entities a runner's app would show."""

from __future__ import annotations

import pytest

from devtools.localapi.markup import EntityParseError, command_entities, parse_html


def test_nested_tags_become_entities_with_utf16_offsets() -> None:
    text, entities = parse_html("🏃 <b>Squat <i>3×5</i></b> &amp; <a href='https://x.y'>log</a>")
    assert text == "🏃 Squat 3×5 & log"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},  # the emoji is two UTF-16 units
        {"type": "italic", "offset": 9, "length": 3},
        {"type": "text_link", "url": "https://x.y", "offset": 15, "length": 3},
    ]


def test_pre_with_language() -> None:
    text, entities = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert text == "x = 1"
    assert entities == [{"type": "pre", "language": "python", "offset": 0, "length": 5}]


@pytest.mark.parametrize("source", ["<b>open", "<b>x</i>", "<div>x</div>", "a<br/>b", "x</b>"])
def test_malformed_html_is_refused(source: str) -> None:
    with pytest.raises(EntityParseError):
        parse_html(source)


def test_commands_get_a_bot_command_entity() -> None:
    assert command_entities("/log squat") == [{"type": "bot_command", "offset": 0, "length": 4}]
    assert command_entities("/log@runlift_test_bot") == [
        {"type": "bot_command", "offset": 0, "length": 21}
    ]
    assert command_entities("no command /here") == []
