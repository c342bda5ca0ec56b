"""Fix oracle program for python/requests-without-session: repeated requests calls without a Session.

requests is the fake beside this program: each call notes whether it went through a Session, and a Session keeps
the cookie a "login" URL sets, which later responses show.
"""
import requests
from requests import post

from oracle import case

TIMEOUT = 10


def fetch_all(urls):
    return [requests.get(url, timeout=TIMEOUT).text for url in urls]  # want: python/requests-without-session fix=unsafe


def push(events, url):
    for event in events:
        post(url, json=event, timeout=TIMEOUT)  # want: python/requests-without-session fix=unsafe
    return len(events)


def status(url):
    return requests.head(url, timeout=TIMEOUT).status_code  # want: python/requests-without-session fix=unsafe


def check_all(urls):
    return {u: status(u) for u in urls}


def until_found(urls):
    for url in urls:
        r = requests.request("GET", url, timeout=TIMEOUT)  # want: python/requests-without-session fix=unsafe
        if r.ok:
            return r.text
    return None


def main():
    for label, arg in [("empty", []), ("one", ["https://a.example/x"]), ("many", ["https://a.example/x", "https://a.example/ü", "https://a.example/x"]), ("down", ["https://a.example/1", "https://down.example/"])]:
        case(fetch_all, label, arg)
    case(fetch_all, "login first", ["https://a.example/login", "https://a.example/me"])
    for label, events in [("none", []), ("many", [{"n": 1}, None])]:
        case(push, label, events, "https://a.example/events")
    for label, arg in [("empty", []), ("many", ["https://a.example/ok", "https://a.example/missing"])]:
        case(check_all, label, arg)
    for label, arg in [("empty", []), ("second", ["https://a.example/missing", "https://a.example/here"]), ("none found", ["https://a.example/missing"])]:
        case(until_found, label, arg)


if __name__ == "__main__":
    main()
