"""python/requests-without-session: requests.get per call (new connection each time) vs. one Session (keep-alive), against a local HTTP/1.1 server."""
import http.server
import threading

import requests

UNIT = "requests"
SIZES = [20, 200]
NUMBER = 1
_server = None


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY a kept-alive connection waits for the
    # client's delayed ACK (40 ms) on every response, which would measure the test server, not the client.
    disable_nagle_algorithm = True

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def setup(n):
    global _server
    if _server is None:
        _server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        threading.Thread(target=_server.serve_forever, daemon=True).start()
    return (n, f"http://127.0.0.1:{_server.server_address[1]}/")


def teardown():
    if _server is not None:
        _server.shutdown()


def flagged(n, url):
    for _ in range(n):
        requests.get(url, timeout=10).content


def fixed(n, url):
    with requests.Session() as session:
        for _ in range(n):
            session.get(url, timeout=10).content
