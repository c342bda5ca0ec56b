"""Fix oracle program for python/http-without-timeout: network calls without a timeout, on no network.

requests is the fake beside this program (it notes each call with its keyword arguments, and a "slow" URL times
out when a timeout is given); urlopen reads data: URLs, the connections are made but not used, and the socket
connects to a listener on the loopback interface.
"""
import http.client
import socket
import urllib.request
from urllib.request import urlopen

import requests
from oracle import case


def profile(user_id):
    return requests.get(f"https://api.example/users/{user_id}").json()  # want: python/http-without-timeout fix=unsafe


def upload(url, payload):
    reply = requests.post(  # want: python/http-without-timeout fix=unsafe
        url,
        json=payload,
    )
    return reply.status_code


def raw(url):
    with urllib.request.urlopen(url) as fh:  # want: python/http-without-timeout fix=unsafe
        return fh.read()


def raw_by_name(url, body):
    return urlopen(url, body).read()  # want: python/http-without-timeout fix=unsafe


def connection(host):
    conn = http.client.HTTPSConnection(host)  # want: python/http-without-timeout fix=unsafe
    default = conn.timeout is socket._GLOBAL_DEFAULT_TIMEOUT
    return conn.host, conn.port, "the global default" if default else conn.timeout


def loopback_timeout(listener):
    sock = socket.create_connection(listener.getsockname())  # want: python/http-without-timeout fix=unsafe
    try:
        return sock.gettimeout()
    finally:
        sock.close()


def main():
    for label, arg in [("one", 7), ("unicode", "zoë"), ("slow", "slow"), ("down", "down")]:
        case(profile, label, arg)
    for label, url, payload in [("ok", "https://api.example/in", {"a": 1}), ("missing", "https://api.example/missing", None), ("slow", "https://slow.example/", [])]:
        case(upload, label, url, payload)
    for label, arg in [("text", "data:text/plain,hello"), ("base64", "data:text/plain;base64,w7w="), ("unknown scheme", "nope://x")]:
        case(raw, label, arg)
    for label, url, body in [("no body", "data:,abc", None), ("bad url", "not a url", None)]:
        case(raw_by_name, label, url, body)
    for label, arg in [("host", "example.invalid"), ("port in host", "example.invalid:8443")]:
        case(connection, label, arg)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        case(loopback_timeout, "listening", listener)


if __name__ == "__main__":
    main()
