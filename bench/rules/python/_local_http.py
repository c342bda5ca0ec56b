"""A tiny HTTP server on 127.0.0.1 for the network benchmarks (started once, in a daemon thread)."""
import http.server
import threading


class _Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.1 so clients can keep the connection alive. Headers and body go out in separate writes: without
    # TCP_NODELAY a kept-alive connection waits for the client's delayed ACK (40 ms) on every response, which
    # would measure this server, not the client.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


_server = None


def url():
    global _server
    if _server is None:
        _server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        threading.Thread(target=_server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{_server.server_address[1]}/"


def stop():
    global _server
    if _server is not None:
        _server.shutdown()
        _server = None
