"""Settings read once from the environment and `.env`, validated, never at import time."""

from __future__ import annotations

import os
import re
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

OFFICIAL_API_URL = "https://api.telegram.org"
DEFAULT_DATA_DIR = Path("data")

QUIET_OFF = frozenset({"", "off", "none"})
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
MAKE_A_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
"""How the operator makes a WEBHOOK_SECRET (43 characters Telegram accepts)."""
_QUIET_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def default_database_url(data_dir: Path = DEFAULT_DATA_DIR) -> str:
    """An SQLite file inside the data directory (created on first run, see `ensure_data_dir`)."""
    return f"sqlite+aiosqlite:///{data_dir / 'runlift.db'}"


class Settings(BaseSettings):
    """Every setting runlift reads; `.env.example` lists each one with its default."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", frozen=True, env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="Bot token from @BotFather; needed by `runlift run`."
    )
    telegram_api_url: str = Field(
        default=OFFICIAL_API_URL,
        description="Bot API server; point it at a local server for tests and the demo.",
    )
    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy async URL: sqlite+aiosqlite:///… or postgresql+asyncpg://…",
    )
    default_timezone: str = Field(
        default="Europe/London", description="Time zone offered first during onboarding."
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    admin_chat_id: int | None = Field(
        default=None, description="Chat that receives a short note when the bot hits an error."
    )
    webhook_url: str | None = Field(
        default=None,
        description="Public HTTPS URL; when set, `run` serves a webhook instead of polling.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description=(
            "Telegram sends it in X-Telegram-Bot-Api-Secret-Token with every webhook update; "
            "updates without it are refused. Required with WEBHOOK_URL."
        ),
    )
    webhook_listen: str = Field(
        default="127.0.0.1", description="Address the webhook server binds."
    )
    webhook_port: int = Field(default=8443, description="Port the webhook server binds.")
    reminder_delay_minutes: int = Field(
        default=60,
        ge=0,
        le=24 * 60,
        description="Minutes after the runner's usual finish time to send the session reminder.",
    )
    log_prompt_delay_minutes: int = Field(
        default=180,
        ge=0,
        le=24 * 60,
        description="Minutes after the session reminder that the bot asks what was done.",
    )
    quiet_hours: str = Field(
        default="21:30-07:00",
        description="Local time window (each runner's zone) in which nothing is sent.",
    )
    clock_start: datetime | None = Field(
        default=None,
        validation_alias=AliasChoices("RUNLIFT_CLOCK_START", "clock_start"),
        description=(
            "Tests and the demo only: the bot's clock starts at this instant (ISO 8601 with an "
            "offset) and ticks on from there, so a test never depends on the wall clock."
        ),
    )
    calendar_allow_private_hosts: bool = Field(
        default=False,
        description="Fetch calendar feeds from loopback/private addresses (tests, the demo).",
    )
    intervals_api_url: str = Field(
        default="https://intervals.icu",
        description="intervals.icu server runs are polled from; the local stand-in in tests.",
    )

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not an IANA time zone name such as Europe/London") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "use sqlite+aiosqlite:///path/to/runlift.db or "
                "postgresql+asyncpg://user:password@host/dbname"
            )
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram's own rule is 1–256 of these characters; under 32 is too easy to guess."""
        if value is not None and not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError(
                "use 32–256 characters of A–Z a–z 0–9 _ -; make one with " + MAKE_A_SECRET
            )
        return value

    @field_validator("clock_start")
    @classmethod
    def _aware_instant(cls, value: datetime | None) -> datetime | None:
        """A naive instant would be read in the host's zone: a test would depend on the host."""
        if value is not None and value.tzinfo is None:
            raise ValueError("give an offset, e.g. 2026-11-24T09:00:00+00:00")
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_window(cls, value: str) -> str:
        if value.strip().lower() in QUIET_OFF:
            return "off"
        parse_quiet_hours(value)
        return value

    @property
    def quiet_window(self) -> tuple[time, time] | None:
        """The quiet hours as (start, end) local times, or None when switched off."""
        if self.quiet_hours.strip().lower() in QUIET_OFF:
            return None
        return parse_quiet_hours(self.quiet_hours)

    @property
    def replicas(self) -> bool:
        """A webhook on PostgreSQL: any number of replicas may run, so updates go through the
        shared inbox and sends through the shared pace (bot/inbox.py). Polling allows one
        consumer, and SQLite one process: neither pays for either."""
        return bool(self.webhook_url) and self.database_url.startswith("postgresql")

    @property
    def bot_api_base_url(self) -> str:
        """What PTB wants as `base_url`: it appends the token itself."""
        return f"{self.telegram_api_url}/bot"

    @property
    def bot_api_file_url(self) -> str:
        return f"{self.telegram_api_url}/file/bot"


def parse_quiet_hours(value: str) -> tuple[time, time]:
    """Reads `HH:MM-HH:MM`; the window may wrap past midnight (21:30-07:00)."""
    match = _QUIET_HOURS.match(value)
    if not match:
        raise ValueError("write it as HH:MM-HH:MM, e.g. 21:30-07:00, or off")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        return time(h1, m1), time(h2, m2)
    except ValueError:
        raise ValueError("hours are 0-23 and minutes 0-59, e.g. 21:30-07:00") from None


def make_private_dir(folder: Path) -> None:
    """Creates `folder` 0700 whatever the umask (runners' data lives there); an existing one
    keeps the mode an operator gave it."""
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask


def ensure_data_dir(database_url: str) -> None:
    """Creates the folder and file of an SQLite database so the first run just works, private.

    Runners' logs and health notes live there: the folder is made 0700 and the database file
    0600 whatever the umask. SQLite gives the -wal and -shm files it creates the database
    file's mode, so they are 0600 too. Existing files keep the mode an operator gave them.
    """
    prefix = "sqlite+aiosqlite:///"
    if not database_url.startswith(prefix):
        return
    path = database_url[len(prefix) :].partition("?")[0]
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    file = Path(path).expanduser()
    make_private_dir(file.parent)
    try:
        descriptor = os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.fchmod(descriptor, 0o600)
    os.close(descriptor)  # an empty file is an empty SQLite database


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


def load_settings() -> Settings:
    """Reads settings once; turns pydantic's report into one line naming the variable."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message} (set it in .env or the environment)") from None
