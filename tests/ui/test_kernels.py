"""Each open page holds a kernel; pages closed or abandoned must not leave kernels piling up."""

from __future__ import annotations

import time

import psutil
import pytest
from joining import open_team_page
from playwright.sync_api import expect

PAGES = 100


def kernels(server_pid: int) -> int:
    """Live kernel processes under the server (a shut-down kernel may linger a moment as a zombie)."""
    count = 0
    for child in psutil.Process(server_pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(child.cmdline()):
                count += 1
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            pass
    return count


def settled(server_pid: int, seconds: float = 3, limit: float = 60) -> int:
    """The number of kernels once it stopped changing for a few seconds."""
    deadline = time.monotonic() + limit
    count, since = kernels(server_pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = kernels(server_pid)
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= seconds:
            break
    return count


@pytest.mark.slow
def test_kernels_of_a_hundred_closed_and_abandoned_pages_are_gone_within_two_minutes(tmp_path, launch, new_page):
    # A minute instead of the default five, to keep the test short; the mechanism is the same.
    process, server = launch(tmp_path / "kernels.db", tmp_path / "serve.log", "--cull-idle", "60")
    session = server.new_session("Veel pagina's")
    before = settled(process.pid)  # the preheated pool, once it is full
    peak = 0
    for number in range(PAGES):
        page = new_page(width=800, height=600)
        open_team_page(
            page, f"{server.base}/voila/render/team.ipynb?session={session['code']}&team=Team%20{number % 10}"
        )
        expect(page.locator(".motives-worksheet")).to_be_visible(timeout=60_000)
        # Half the pages are closed as a tab is closed; the others just vanish, like a phone gone to sleep.
        page.close(run_before_unload=number % 2 == 0)
        peak = max(peak, kernels(process.pid))
    closed_at = time.monotonic()
    while kernels(process.pid) > before and time.monotonic() - closed_at < 120:
        time.sleep(2)
    after, waited = kernels(process.pid), time.monotonic() - closed_at
    print(f"\nkernels: {before} before, {peak} at most while {PAGES} pages came and went, {after} after {waited:.0f} s")
    assert after == before


def test_the_server_waits_for_pages_that_are_slow_to_load(tmp_path, launch):
    """Twenty pages at once on two cores took about a minute each (docs/benchmarks.md). With Voilà's
    defaults some stayed blank for good: their kernel was culled before the browser connected, or
    the worksheet's output came later than the 4 s Voilà waits for it, and the page was shown without."""
    process, _server = launch(tmp_path / "slow.db", tmp_path / "serve.log")
    voila = psutil.Process(process.pid).cmdline()  # `motives serve` became this Voilà process
    assert "--MappingKernelManager.cull_idle_timeout=300" in voila
    assert "--VoilaExecutor.iopub_timeout=120" in voila
