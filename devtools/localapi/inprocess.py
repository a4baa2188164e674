"""PTB talking to the local Bot API server in the same process, without HTTP.

`InProcessRequest` is a `telegram.request.BaseRequest`: hand it to
`ApplicationBuilder().request(...)` and every Bot API call the real bot makes is answered by
`LocalBotApi.call`, the same dispatch the HTTP route uses, so the answers (PTB's own classes,
Telegram's refusals and limits) are the server's and there is one simulator, not two. It saves
the loopback HTTP round trip that dominates a handler test.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram.request import BaseRequest, RequestData

from devtools.localapi.server import LocalBotApi, Upload
from devtools.localapi.state import BotApiError

_LOG = logging.getLogger(__name__)


class InProcessRequest(BaseRequest):
    """Answers PTB's requests from a `LocalBotApi` directly (the server need not listen)."""

    def __init__(self, api: LocalBotApi) -> None:
        self.api = api

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """`<base>/bot<token>/<method>` → the server's answer as (status, JSON body); a file
        download (`<base>/file/bot<token>/<path>`) → the stored bytes."""
        if "/file/bot" in url:
            file_path = url.split("/file/bot", 1)[1].partition("/")[2]
            record = self.api.files_by_path.get(file_path)
            if record is None:
                return 404, b'{"ok": false, "error_code": 404, "description": "Not Found"}'
            return 200, record.data
        path, _, api_method = url.rpartition("/")
        token = path.rpartition("/bot")[2]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                filename, content, mime_type = (*part, "application/octet-stream")[:3]
                data = content if isinstance(content, bytes) else content.read()
                params[name] = Upload(filename, str(mime_type), data)
        try:
            result = await self.api.call(token, api_method, params)
        except BotApiError as error:
            self.api.errors[error.error_code] += 1
            return error.error_code, json.dumps(error.payload()).encode()
        except Exception as error:  # as the HTTP route: the bot must get a description
            _LOG.exception("local Bot API: %s failed", api_method)
            self.api.errors[500] += 1
            body = {
                "ok": False,
                "error_code": 500,
                "description": f"Internal Server Error: {type(error).__name__}: {error}",
            }
            return 500, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()
