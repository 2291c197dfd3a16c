"""Each open page holds a kernel; pages reloaded, closed or abandoned must not leave kernels piling up,
and a page that is still loading must keep its kernel however long it takes."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import psutil
import pytest
from joining import LOAD, open_pages
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from servers import get, kernel_id_of, kernels


def kernels_after(server_pid: int, seconds: float) -> tuple[int, int]:
    """The most kernels seen until ``seconds`` from now, and the number left then."""
    deadline, peak = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        peak = max(peak, kernels(server_pid))
        time.sleep(1)
    return peak, kernels(server_pid)


def reload(page) -> None:
    """Reload as a person does: where the kernels still talk over TCP (Windows; a temporary folder too
    long for a Unix socket), a kernel that lost jupyter_client's race for a port (it picks free ports
    before the kernel binds them; "Address already in use" in the log) dies, and that page never
    arrives; the person reloads once more. CI saw it once in thirty reloads under load, before the
    kernels on Linux talked over Unix sockets."""
    try:
        page.reload(wait_until="commit", timeout=LOAD / 2)
    except PlaywrightTimeoutError:
        page.reload(wait_until="commit", timeout=LOAD)


def test_a_pages_kernel_talks_to_the_server_over_unix_sockets_that_only_the_trainers_account_may_open(tmp_path, launch):
    """No TCP port for a kernel: one picked free could be taken by the time the kernel binds it (a room's
    browsers connect from the same range of ports), and that page never came."""
    process, server = launch(tmp_path / "ipc.db", tmp_path / "serve.log")
    status, _headers, html = get(server, "/voila/render/team.ipynb")
    assert status == 200
    kernel_id = kernel_id_of(html)
    (kernel,) = [
        child
        for child in psutil.Process(process.pid).children(recursive=True)
        if kernel_id in " ".join(child.cmdline())
    ]
    connection = Path(kernel.cmdline()[kernel.cmdline().index("-f") + 1])
    info = json.loads(connection.read_text())
    assert (info["transport"], info["ip"]) == ("ipc", str(connection.with_suffix("")) + "-ipc")
    sockets = sorted(connection.parent.glob(f"kernel-{kernel_id}-ipc-*"))
    assert len(sockets) == 5 and all(stat.S_ISSOCK(socket.stat().st_mode) for socket in sockets)
    assert stat.S_IMODE(connection.parent.stat().st_mode) & 0o777 == 0o700  # and the sticky bit jupyter_client sets


@pytest.mark.slow
def test_ten_pages_reloaded_three_times_each_leave_about_ten_kernels(tmp_path, launch, new_page):
    process, server = launch(tmp_path / "reload.db", tmp_path / "serve.log")
    session = server.new_session("Herladen")
    url = f"{server.base}/voila/render/team.ipynb?session={session['code']}&team="
    pages = open_pages(new_page, url, [f"Team%20{n}" for n in range(10)])
    assert kernels(process.pid) == 10
    for _round in range(3):
        for page in pages:
            reload(page)
        for page in pages:
            expect(page.locator(".motives-worksheet")).to_be_visible(timeout=LOAD)
    peak, after = kernels_after(process.pid, 20)
    print(f"\nkernels: 10 pages reloaded 3 times each: {peak} at most in the next 20 s, {after} after 20 s")
    assert after <= 12
    # Every page still works on its (new) kernel: a tick is saved.
    pages[0].get_by_role("checkbox").first.check()
    expect(pages[0].get_by_text("Bewaard om")).to_be_visible(timeout=30_000)


@pytest.mark.slow
def test_forty_closed_pages_free_their_kernels_within_a_minute(tmp_path, launch, new_page):
    process, server = launch(tmp_path / "close.db", tmp_path / "serve.log")
    session = server.new_session("Sluiten")
    url = f"{server.base}/voila/render/team.ipynb?session={session['code']}&team="
    pages = []
    for batch in range(4):  # ten at a time: forty at once would take minutes on two shared cores
        pages += open_pages(new_page, url, [f"Team%20{batch * 10 + n}" for n in range(10)])
    assert kernels(process.pid) == 40
    for number, page in enumerate(pages):
        # Half are closed as a tab is closed (Voilà's beacon runs); the others just vanish, as a
        # browser that crashed or a phone whose Wi-Fi went: only the server can notice.
        page.close(run_before_unload=number % 2 == 0)
    peak, after = kernels_after(process.pid, 60)
    print(f"\nkernels: 40 pages closed: {peak} at most in the next 60 s, {after} after 60 s")
    assert after <= 4


def test_a_page_whose_kernel_is_gone_comes_back_by_itself(tmp_path, launch, new_page):
    """The server frees the kernel of a page that was away (a phone asleep); that page, once back,
    must not stay dead: it reloads itself and shows the team's answers from the store."""
    process, server = launch(tmp_path / "back.db", tmp_path / "serve.log")
    session = server.new_session("Terug")
    page = open_pages(new_page, f"{server.base}/voila/render/team.ipynb?session={session['code']}&team=", ["Slaap"])[0]
    page.get_by_role("checkbox").first.check()
    expect(page.get_by_text("Bewaard om")).to_be_visible(timeout=30_000)
    kernel_id = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    # As the server does for a page gone too long: its kernel is shut down under it.
    page.evaluate(
        """async (id) => {
            const xsrf = document.cookie.match(/\\b_xsrf=([^;]*)/)[1];
            const body = new FormData(); body.append('_xsrf', xsrf);
            await fetch(`/voila/api/shutdown/${id}`, {method: 'POST', body});
        }""",
        kernel_id,
    )
    # The reloaded page is read while the browser still parses it: its config may be half there.
    page.wait_for_function(
        "(old) => { const c = document.getElementById('jupyter-config-data'); "
        "try { return c && JSON.parse(c.textContent).kernelId !== old; } catch { return false; } }",
        arg=kernel_id,
        timeout=60_000,
    )
    expect(page.get_by_role("checkbox").first).to_be_checked(timeout=LOAD)
    assert kernels(process.pid) == 1


@pytest.mark.slow
def test_twenty_pages_opened_at_once_all_load_and_keep_their_kernels(tmp_path, launch, new_page):
    """Twenty pages at once on two cores took about a minute each (docs/benchmarks.md). With Voilà's
    defaults some stayed blank for good: their kernel was culled before the browser connected, or the
    worksheet's output came later than the 4 s Voilà waits for it, and the page was shown without."""
    process, server = launch(tmp_path / "crowd.db", tmp_path / "serve.log")
    session = server.new_session("Drukte")
    url = f"{server.base}/voila/render/team.ipynb?session={session['code']}&team="
    pages = open_pages(new_page, url, [f"Team%20{n}" for n in range(20)])
    for page in pages:
        expect(page.get_by_role("checkbox").first).to_be_visible()
    assert kernels(process.pid) == 20
