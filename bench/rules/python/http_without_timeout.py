"""python/http-without-timeout: a request to a local server without and with timeout= (a safety fix, not a speed fix)."""
import http.server
import threading
import urllib.request

UNIT = "requests"
SIZES = [10, 50]
NUMBER = 1
_server = None


class _Handler(http.server.BaseHTTPRequestHandler):
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
        urllib.request.urlopen(url).read()


def fixed(n, url):
    for _ in range(n):
        urllib.request.urlopen(url, timeout=10).read()
