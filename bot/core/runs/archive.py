"""Which kind of run file a document is, and unpacking one .zip or .gz around it.

Archives are read with the decompressed size capped while reading, so a small zip or gzip bomb
costs at most `MAX_BYTES` of work and memory; an archive inside an archive is refused.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from typing import Literal

from bot.core.runs.errors import RunFileError

MAX_BYTES = 20 * 1024 * 1024
"""What Telegram lets a bot download, and the most we unpack."""

RunKind = Literal["fit", "gpx", "tcx"]
_RUN_KINDS: tuple[RunKind, ...] = ("fit", "gpx", "tcx")
_ARCHIVES = ("zip", "gz")

UNSUPPORTED = "I can read .fit, .gpx and .tcx run files (also zipped or .gz) — that isn't one."
EMPTY = "That file is empty — send the .fit, .gpx or .tcx file your watch or app exported."
TOO_BIG = "That run file is over 20 MB unpacked, more than I can read."
NESTED = "That archive holds another archive — send the run file itself, or zip it just once."


def _suffix(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return base.rsplit(".", 1)[-1] if "." in base else ""


def _sniff(name: str, data: bytes) -> str | None:
    """The kind named by the file's extension, else the one its first bytes show."""
    suffix = _suffix(name)
    if suffix in _RUN_KINDS or suffix in _ARCHIVES:
        return suffix
    if data[:2] == b"\x1f\x8b":
        return "gz"
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096]
    if b"<gpx" in head:
        return "gpx"
    if b"<TrainingCenterDatabase" in head:
        return "tcx"
    return None


def _checked(data: bytes) -> bytes:
    if not data:
        raise RunFileError(EMPTY)
    if len(data) > MAX_BYTES:
        raise RunFileError(TOO_BIG)
    return data


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return stream.read(MAX_BYTES + 1)
    except (OSError, EOFError, ValueError, zlib.error):  # BadGzipFile is an OSError
        raise RunFileError("I couldn't unpack that .gz file — it looks damaged.") from None


def _unzip(data: bytes) -> tuple[str, bytes]:
    damaged = "I couldn't unpack that .zip — it looks damaged or password-protected."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and not info.filename.startswith("__MACOSX/")
                and not info.filename.rsplit("/", 1)[-1].startswith(".")
            ]
            if any(_suffix(info.filename) in _ARCHIVES for info in members):
                raise RunFileError(NESTED)
            runs = [info for info in members if _suffix(info.filename) in _RUN_KINDS]
            if not runs and len(members) == 1:
                runs = members
            if not runs:
                raise RunFileError("I found no .fit, .gpx or .tcx file in that .zip.")
            if len(runs) > 1:
                raise RunFileError(f"Put exactly one run file in the .zip — I found {len(runs)}.")
            with archive.open(runs[0]) as stream:
                return runs[0].filename, stream.read(MAX_BYTES + 1)
    except RunFileError:
        raise
    except Exception:  # zipfile raises many kinds on hostile input; all mean "can't open"
        raise RunFileError(damaged) from None


def unpack(name: str, data: bytes) -> tuple[RunKind, bytes]:
    """The run file's kind and bytes, out of at most one .zip or .gz.

    Raises:
        RunFileError: empty, over `MAX_BYTES` (packed or unpacked), not a run file, a damaged
            archive, nested archives, or a zip without exactly one run file.
    """
    kind = _sniff(name, _checked(data))
    if kind == "gz":
        name, data = (name[:-3] if name.lower().endswith(".gz") else ""), _gunzip(data)
    elif kind == "zip":
        name, data = _unzip(data)
    if kind in _ARCHIVES:
        kind = _sniff(name, _checked(data))
        if kind in _ARCHIVES:
            raise RunFileError(NESTED)
    for run_kind in _RUN_KINDS:
        if kind == run_kind:
            return run_kind, data
    raise RunFileError(UNSUPPORTED)
