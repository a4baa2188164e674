"""Settings: every one documented in .env.example, and bad values named in one clear line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def _example_settings() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z_]+)=(.*)$", line)
        if match:
            pairs[match.group(1)] = match.group(2)
    return pairs


def _variable(name: str) -> str:
    """The environment variable a field reads: its alias when it has one."""
    alias = Settings.model_fields[name].validation_alias
    choices = getattr(alias, "choices", None)
    return str(choices[0]) if choices else name.upper()


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    documented = set(_example_settings())
    fields = {_variable(name) for name in Settings.model_fields}
    assert documented == fields


def test_env_example_defaults_are_the_real_defaults() -> None:
    defaults = Settings(_env_file=None)
    attribute = {_variable(name): name for name in Settings.model_fields}
    for name, value in _example_settings().items():
        actual = getattr(defaults, attribute[name])
        if actual is None:
            assert value == "", name
        elif hasattr(actual, "get_secret_value"):
            assert value == actual.get_secret_value(), name
        else:
            assert value == str(actual), name


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in Settings.model_fields:
        monkeypatch.delenv(_variable(name), raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_run_without_token_says_where_to_get_one(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "TELEGRAM_BOT_TOKEN" in err and "@BotFather" in err


def test_malformed_token_is_named(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not-a-token")
    assert main(["run"]) == 2
    assert "TELEGRAM_BOT_TOKEN looks malformed" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DATABASE_URL", "mysql://localhost/x", "DATABASE_URL: use sqlite+aiosqlite"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE: not an IANA time zone"),
        ("QUIET_HOURS", "late", "QUIET_HOURS: write it as HH:MM-HH:MM"),
        ("REMINDER_DELAY_MINUTES", "soon", "REMINDER_DELAY_MINUTES:"),
    ],
)
def test_bad_setting_gives_one_line_naming_it(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert expected in err
    assert "Traceback" not in err


def test_unreachable_database_is_one_line(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "DATABASE_URL" in err


def test_db_upgrade_creates_the_default_sqlite_file(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (clean_env / "data" / "runlift.db").exists()
    assert "revision" in capsys.readouterr().out


def test_quiet_hours_wrap_midnight() -> None:
    from datetime import time

    settings = Settings(_env_file=None, quiet_hours="21:30-07:00")
    assert settings.quiet_window == (time(21, 30), time(7, 0))
    off = Settings(_env_file=None, quiet_hours="off")
    assert off.quiet_window is None


def test_a_copied_env_example_works_as_is(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (clean_env / ".env").write_text((ROOT / ".env.example").read_text())
    assert main(["db", "upgrade"]) == 0


def test_export_of_an_unknown_runner_is_one_line(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--runner", "12345"]) == 1
    assert capsys.readouterr().err.strip() == "runlift: no runner with id 12345"


def test_webhook_without_a_secret_names_it_and_how_to_make_one(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org")
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "WEBHOOK_SECRET" in err and "secrets.token_urlsafe(32)" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "secret",
    ["too-short-0123456789", "x" * 257, "has space " + "a" * 30, "ünïcode" + "a" * 30],
)
def test_a_malformed_webhook_secret_is_one_line(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    secret: str,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org")
    monkeypatch.setenv("WEBHOOK_SECRET", secret)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("runlift: WEBHOOK_SECRET: use 32–256 characters")
    assert secret not in err  # a secret is never echoed


def test_a_good_webhook_secret_is_accepted() -> None:
    secret = "A-z_09" * 6
    settings = Settings(_env_file=None, webhook_secret=secret)
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == secret


def test_the_clock_start_must_carry_an_offset(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RUNLIFT_CLOCK_START", "2026-11-24T09:00:00")
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("runlift: RUNLIFT_CLOCK_START: give an offset")


def test_an_offset_clock_starts_where_it_is_told_and_ticks_on() -> None:
    from datetime import UTC, datetime, timedelta

    from bot.ports import OffsetClock

    start = datetime(2026, 10, 25, 0, 59, tzinfo=UTC)
    clock = OffsetClock.starting_at(start)
    assert timedelta(0) <= clock.now() - start < timedelta(seconds=5)
