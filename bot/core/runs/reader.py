"""`read_run_file`: a document the runner sent in, one `RunRecord` or one friendly line out."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.domain.runs import RunRecord
from bot.core.runs.archive import RunKind, unpack
from bot.core.runs.errors import RunFileError
from bot.core.runs.fit import read_fit
from bot.core.runs.gpx import read_gpx
from bot.core.runs.tcx import read_tcx

_READERS: dict[RunKind, Callable[[bytes], RunRecord]] = {
    "fit": read_fit,
    "gpx": read_gpx,
    "tcx": read_tcx,
}


def read_run_file(name: str, data: bytes) -> RunRecord:
    """The run in a .fit, .gpx or .tcx file, bare or inside one .zip or .gz.

    `name` is the file name as sent (its extension decides; without one the first bytes do).

    Raises:
        RunFileError: one line the runner can read, whatever was wrong with the file.
    """
    kind, content = unpack(name, data)
    try:
        return _READERS[kind](content)
    except RunFileError:
        raise
    except Exception:  # the parsers raise many kinds on hostile bytes; all mean "damaged"
        raise RunFileError(
            f"I couldn't read that {kind.upper()} file — it looks damaged."
        ) from None
