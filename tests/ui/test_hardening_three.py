"""What a third attacker in the room tried against a real ``motives serve``, over loopback only (issue
32): a device's other addresses, keys in the log, the home on the server's own address, the trainer
locked out, and paths that answered with a traceback. A device on the network is played by the
``X-Forwarded-For`` a proxy on this machine adds, which the server trusts from loopback only."""

from __future__ import annotations

import uuid

from servers import get, in_thread, kernel_id_of

# One IPv6 device (or home network) holds a whole /64: these are four of its addresses, and one of
# another network.
ONE_NETWORK = [f"2001:db8:1:2::{n}" for n in (1, 2, 3, 0xBEEF)]
ANOTHER_NETWORK = "2001:db8:1:3::1"


def test_an_ipv6_device_meets_the_render_limit_whichever_address_of_its_64_it_takes(tmp_path, launch):
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--render-burst", "2", "--render-rate", "1")
    code = server.new_session("Zes")["code"]
    statuses = [
        get(server, f"/voila/render/team.ipynb?session={code}", X_Forwarded_For=address)[0]
        for address in ONE_NETWORK[:3]
    ]
    assert statuses == [200, 200, 429]  # on main each address had a burst of its own: 200, 200, 200
    assert get(server, f"/voila/render/team.ipynb?session={code}", X_Forwarded_For=ANOTHER_NETWORK)[0] == 200


def test_an_ipv6_device_meets_the_websocket_cap_whichever_address_of_its_64_it_takes(tmp_path, launch):
    _process, server = launch(tmp_path / "m.db", tmp_path / "serve.log", "--sockets-per-address", "2")
    code = server.new_session("Zes")["code"]
    kernel_id = kernel_id_of(get(server, f"/voila/render/team.ipynb?session={code}")[2])

    def connect_each() -> list[int]:
        from tornado.httpclient import HTTPClientError, HTTPRequest
        from tornado.ioloop import IOLoop
        from tornado.websocket import websocket_connect

        loop, answers, held = IOLoop(), [], []
        url = server.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id="
        try:
            for address in [*ONE_NETWORK[:3], ANOTHER_NETWORK]:
                request = HTTPRequest(url + uuid.uuid4().hex, headers={"X-Forwarded-For": address})
                try:
                    held.append(loop.run_sync(lambda request=request: websocket_connect(request), timeout=60))
                    answers.append(101)
                except HTTPClientError as refused:
                    answers.append(refused.code)
            for connection in held:
                connection.close()
            return answers
        finally:
            loop.close()

    # The third socket from one /64 is refused (on main: 101); another network's is not.
    assert in_thread(connect_each) == [101, 101, 429, 101]
