"""A small async client for the local Bot API server's runner-side HTTP API.

End-to-end tests drive a bot running in another process; this wraps the ``/_user`` and
``/_test`` routes (see :mod:`devtools.localapi.userapi`) so a test reads like a runner's actions.
"""

from __future__ import annotations

from typing import Any

import aiohttp


class LocalApiError(Exception):
    """The server refused a runner-side call; ``status`` and ``description`` say why."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description


class LocalApiClient:
    """Act as one or many runners against a local Bot API server at ``base_url``."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> LocalApiClient:
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """The underlying session (created lazily)."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        query = {k: str(v) for k, v in (params or {}).items() if v is not None}
        async with self.session.request(
            method, f"{self.base_url}{path}", json=json, params=query
        ) as response:
            body = await response.json()
        if not body.get("ok"):
            raise LocalApiError(response.status, str(body.get("description")))
        return body["result"]

    async def create_user(
        self,
        user_id: int | None = None,
        *,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Create (or update) a runner; returns the runner."""
        body: dict[str, Any] = {
            "id": user_id,
            "first_name": first_name,
            "username": username,
            "language_code": language_code,
        }
        return dict(
            await self._call(
                "POST", "/_user/users", json={k: v for k, v in body.items() if v is not None}
            )
        )

    async def get_user(self, user_id: int) -> dict[str, Any]:
        """The runner, with ``blocked`` and the chat state."""
        return dict(await self._call("GET", f"/_user/{user_id}"))

    async def send_text(
        self, user_id: int, text: str, *, reply_to_message_id: int | None = None
    ) -> dict[str, Any]:
        """The runner types ``text``; returns the message as stored."""
        body: dict[str, Any] = {"text": text}
        if reply_to_message_id is not None:
            body["reply_to_message_id"] = reply_to_message_id
        return dict(await self._call("POST", f"/_user/{user_id}/messages", json=body))

    async def send_document(
        self, user_id: int, name: str, data: bytes, *, mime: str = "application/octet-stream"
    ) -> dict[str, Any]:
        """The runner sends a file ``name`` holding ``data``; returns the message as stored."""
        form = aiohttp.FormData()
        form.add_field("document", data, filename=name, content_type=mime)
        async with self.session.post(
            f"{self.base_url}/_user/{user_id}/documents", data=form
        ) as response:
            body = await response.json()
        if not body.get("ok"):
            raise LocalApiError(response.status, str(body.get("description")))
        return dict(body["result"])

    async def send_location(
        self, user_id: int, latitude: float, longitude: float
    ) -> dict[str, Any]:
        """The runner shares a location."""
        body = {"latitude": latitude, "longitude": longitude}
        return dict(await self._call("POST", f"/_user/{user_id}/location", json=body))

    async def press(
        self, user_id: int, message_id: int, data: str | None = None, *, text: str | None = None
    ) -> str:
        """Press the button with ``data`` (or labelled ``text``); returns the callback query id."""
        body: dict[str, Any] = {"message_id": message_id}
        if data is not None:
            body["data"] = data
        if text is not None:
            body["text"] = text
        result = await self._call("POST", f"/_user/{user_id}/press", json=body)
        return str(result["callback_query_id"])

    async def callback_answer(
        self,
        user_id: int,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - long-poll protocol
    ) -> dict[str, Any] | None:
        """The bot's answer to a press, waiting up to ``timeout`` seconds."""
        result = await self._call(
            "GET", f"/_user/{user_id}/callbacks/{query_id}", params={"timeout": timeout}
        )
        return dict(result) if result is not None else None

    async def history(self, user_id: int, *, include_deleted: bool = False) -> list[Any]:
        """Every message in the runner's chat, both directions, as it is now."""
        params = {"include_deleted": "1"} if include_deleted else None
        return list(await self._call("GET", f"/_user/{user_id}/history", params=params))

    async def wait_for_bot_messages(
        self,
        user_id: int,
        after: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - long-poll protocol
        *,
        count: int = 1,
    ) -> list[Any]:
        """Bot messages newer than ``after``, once ``count`` exist (or what came by timeout)."""
        params = {"after": after, "timeout": timeout, "count": count}
        return list(await self._call("GET", f"/_user/{user_id}/wait", params=params))

    async def wait_for_events(
        self,
        user_id: int,
        since: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - long-poll protocol
    ) -> list[Any]:
        """Chat events (sent, edited, deleted, answered …) with ``seq > since``."""
        params = {"since": since, "timeout": timeout}
        return list(await self._call("GET", f"/_user/{user_id}/events", params=params))

    async def block(self, user_id: int) -> None:
        """The runner blocks the bot."""
        await self._call("POST", f"/_user/{user_id}/block")

    async def unblock(self, user_id: int) -> None:
        """The runner unblocks the bot."""
        await self._call("POST", f"/_user/{user_id}/unblock")

    async def add_fault(self, method: str, kind: str = "error", **options: Any) -> None:
        """Queue a fault: ``kind`` is ``error`` (5xx), ``429`` or ``hang``."""
        await self._call("POST", "/_test/faults", json={"method": method, "kind": kind, **options})

    async def clear_faults(self) -> None:
        """Drop every queued fault."""
        await self._call("DELETE", "/_test/faults")

    async def set_rate_limits(self, **limits: float | None) -> dict[str, Any]:
        """Set ``max_per_second``, ``per_chat_per_second``, ``per_chat_burst`` or ``global_burst``.

        ``None`` switches a limit off.
        """
        return dict(await self._call("PUT", "/_test/rate_limits", json=dict(limits)))

    async def stats(self) -> dict[str, Any]:
        """Calls per method, errors, 429s and sends per second."""
        return dict(await self._call("GET", "/_test/stats"))

    async def commands(self) -> list[Any]:
        """The command menu the bot set with ``setMyCommands``."""
        return list(await self._call("GET", "/_test/commands"))

    async def reset(self) -> None:
        """Forget every runner, message, update and fault."""
        await self._call("POST", "/_test/reset")

    async def download(self, url: str) -> bytes:
        """The bytes behind a ``file_url`` from the history."""
        async with self.session.get(url) as response:
            response.raise_for_status()
            return await response.read()
