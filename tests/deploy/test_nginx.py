"""The reverse proxy shipped in forum_ouvert/deploy/nginx, run for real in front of a stub.

``make verify`` measures it under load (an abusive client no longer moves the others'
p95); here the rules themselves: writes are limited per client, reads never, and the
application gets the headers it trusts (the client's address for allauth's limits, the
request id, the host with its port for the CSRF origin check).
"""

from __future__ import annotations

import http.client
import json
import shutil
import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forum_ouvert.devtools.verify import infra


class _Stub(BaseHTTPRequestHandler):
    """The application's stand-in: answers at once with the headers it received."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps(dict(self.headers.items())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: The module's tests share one nginx: on one worker (make test).
pytestmark = pytest.mark.xdist_group("nginx")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    if not shutil.which("nginx") and not shutil.which("/usr/sbin/nginx"):
        pytest.fail("nginx est nécessaire (make test l'installe : apt-get install nginx)")
    stub = _Server(("127.0.0.1", 0), _Stub)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    port = _free_port()
    work = tmp_path_factory.mktemp("nginx")
    command = infra.nginx_command(
        app_port=stub.server_address[1], port=port, var=work, logs=work / "logs"
    )
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    infra.wait_for(lambda: infra.port_open(port), 10, "nginx")
    yield port
    process.send_signal(signal.SIGTERM)
    process.wait(10)
    stub.shutdown()


def _request(port: int, method: str, *, session: str | None = None, timeout: float = 2.0):
    """The status (0 when still held back by the proxy after ``timeout``) and the headers
    the application received."""
    headers = {"X-Request-ID": "abc", "Content-Type": "application/x-www-form-urlencoded"}
    if session:
        headers["Cookie"] = f"__Host-csrftoken=x; __Host-sessionid={session}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        body = "a=1" if method == "POST" else None
        connection.request(method, "/contributions/", body=body, headers=headers)
        response = connection.getresponse()
        body = response.read()
    except TimeoutError:
        return 0, {}
    finally:
        connection.close()
    if response.status != 200:
        return response.status, {}
    return 200, json.loads(body)


def test_the_application_gets_the_headers_it_trusts(proxy):
    status, received = _request(proxy, "GET")
    assert status == 200
    assert received["X-Real-IP"] == "127.0.0.1"
    assert received["X-Forwarded-Proto"] == "https"
    assert received["Host"] == f"127.0.0.1:{proxy}"
    assert received["X-Request-ID"] and received["X-Request-ID"] != "abc"  # the proxy's own


def test_reading_is_never_limited(proxy):
    with ThreadPoolExecutor(40) as pool:
        statuses = [status for status, _ in pool.map(lambda _: _request(proxy, "GET"), range(80))]
    assert statuses == [200] * 80


def test_a_client_posting_back_to_back_is_held_back_and_others_are_not(proxy):
    """30 writes at once from one session: a few pass, the next wait their turn (one a
    second), and past the 20 that may wait nginx answers 429 itself. Meanwhile another
    visitor's write goes through at once."""
    started = time.monotonic()
    with ThreadPoolExecutor(30) as pool:
        burst = list(
            pool.map(lambda _: _request(proxy, "POST", session="abuser", timeout=1.5)[0], range(30))
        )
        other = _request(proxy, "POST", session="someone-else")[0]
    assert other == 200
    assert burst.count(429) >= 5, burst  # 30 - 1 - 20 = 9, give or take the leak
    assert burst.count(200) >= 3, burst  # the first and the few without delay
    assert 0 in burst, burst  # held back: still waiting when the client gave up
    assert set(burst) <= {0, 200, 429}
    assert time.monotonic() - started < 10
