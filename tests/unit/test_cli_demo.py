"""`runlift demo` on an install without the demo extra says what to install, in one line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.__main__ import main


def test_demo_without_its_extra_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in list(sys.modules):
        if name.startswith(("devtools.demo.supervisor", "devtools.demo.web", "devtools.localapi")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # as if aiohttp were not installed
    assert main(["demo", "--port", "0"]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert 'pip install -e ".[demo]"' in err
