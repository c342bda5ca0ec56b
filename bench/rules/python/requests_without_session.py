"""python/requests-without-session: requests.get per call (new connection each time) vs. one Session (keep-alive), against a local HTTP/1.1 server."""
import requests

import _local_http

UNIT = "requests"
SIZES = [20, 200]
NUMBER = 1


def setup(n):
    return (n, _local_http.url())


def teardown():
    _local_http.stop()


def flagged(n, url):
    for _ in range(n):
        requests.get(url, timeout=10).content


def fixed(n, url):
    with requests.Session() as session:
        for _ in range(n):
            session.get(url, timeout=10).content
