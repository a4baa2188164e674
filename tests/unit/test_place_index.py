"""The city index is built in a child process that never outlives the bot (kill -9 included)."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil


def test_the_index_builder_ends_when_the_bot_is_killed_mid_build() -> None:
    bot = subprocess.Popen(
        [sys.executable, "-c", "from bot.core.answers import warm_up; warm_up()"]
    )
    try:
        deadline = time.monotonic() + 30
        children: list[psutil.Process] = []
        while time.monotonic() < deadline and not children:
            children = [
                child
                for child in psutil.Process(bot.pid).children(recursive=True)
                if "spawn_main" in " ".join(child.cmdline())
            ]
            time.sleep(0.05)
        assert children, "the index was not built in a child process"
        bot.kill()  # kill -9, as a crash or an operator would
        bot.wait()
        _gone, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, f"left behind: {[p.pid for p in alive]}"
    finally:
        if bot.poll() is None:
            bot.kill()
