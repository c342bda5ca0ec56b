"""python/http-without-timeout: a request to a local server without and with timeout= (a safety fix, not a speed fix)."""
import urllib.request

import _local_http

UNIT = "requests"
SIZES = [10, 50]
NUMBER = 1


def setup(n):
    return (n, _local_http.url())


def teardown():
    _local_http.stop()


def flagged(n, url):
    for _ in range(n):
        urllib.request.urlopen(url).read()


def fixed(n, url):
    for _ in range(n):
        urllib.request.urlopen(url, timeout=10).read()
