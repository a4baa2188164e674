"""`read_run_file`: a document the runner sent in, one `RunRecord` or one friendly line out.

Each format's reader (and its library: fitdecode, gpxpy, defusedxml) is imported on the first
file of that format, not when the bot starts: most runners never send one, and the three cost
the bot about 13 MB of memory.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from bot.core.domain.runs import RunRecord
from bot.core.runs.archive import RunKind, unpack
from bot.core.runs.errors import RunFileError

_READERS: dict[RunKind, tuple[str, str]] = {
    "fit": ("bot.core.runs.fit", "read_fit"),
    "gpx": ("bot.core.runs.gpx", "read_gpx"),
    "tcx": ("bot.core.runs.tcx", "read_tcx"),
}


def _reader(kind: RunKind) -> Callable[[bytes], RunRecord]:
    module, name = _READERS[kind]
    reader: Callable[[bytes], RunRecord] = getattr(import_module(module), name)
    return reader


def read_run_file(name: str, data: bytes) -> RunRecord:
    """The run in a .fit, .gpx or .tcx file, bare or inside one .zip or .gz.

    `name` is the file name as sent (its extension decides; without one the first bytes do).

    Raises:
        RunFileError: one line the runner can read, whatever was wrong with the file.
    """
    kind, content = unpack(name, data)
    try:
        return _reader(kind)(content)
    except RunFileError:
        raise
    except Exception:  # the parsers raise many kinds on hostile bytes; all mean "damaged"
        raise RunFileError(
            f"I couldn't read that {kind.upper()} file — it looks damaged."
        ) from None
