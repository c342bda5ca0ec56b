"""A stand-in for requests: no network. Notes each call with its keyword arguments (oracle.note).

A Session keeps the cookie a "login" URL sets and shows it in later responses' text, as a server would see it;
whether a call went through a Session is otherwise not shown (it is not what the caller sees).
"""
from oracle import note


class ConnectionError(OSError):  # noqa: A001 - requests' name
    pass


class Timeout(OSError):
    pass


class Response:
    def __init__(self, method, url, via):
        self.url = url
        self.status_code = 404 if "missing" in url else 200
        self.ok = self.status_code < 400
        self.via = via
        self.text = f"{method} {url}"

    def json(self):
        return {"url": self.url, "status": self.status_code}

    def __repr__(self):
        return f"<Response {self.status_code} {self.text}>"


def _call(via, method, url, kwargs):
    extra = ",".join(f"{k}={kwargs[k]!r}" for k in sorted(kwargs))
    note(f"{method} {url}" + (f" [{extra}]" if extra else ""))
    if "down" in url:
        raise ConnectionError(f"cannot reach {url}")
    if "slow" in url and kwargs.get("timeout") is not None:
        raise Timeout(f"{url} took longer than {kwargs['timeout']}s")
    return Response(method, url, via)


def request(method, url, **kwargs):
    return _call("plain", method, url, kwargs)


def get(url, **kwargs):
    return _call("plain", "GET", url, kwargs)


def post(url, **kwargs):
    return _call("plain", "POST", url, kwargs)


def head(url, **kwargs):
    return _call("plain", "HEAD", url, kwargs)


def put(url, **kwargs):
    return _call("plain", "PUT", url, kwargs)


def delete(url, **kwargs):
    return _call("plain", "DELETE", url, kwargs)


class Session:
    _count = 0

    def __init__(self):
        Session._count += 1
        self.name = f"session{Session._count}"
        self.cookies = {}

    def request(self, method, url, **kwargs):
        r = _call(self.name, method, url, kwargs)
        if "login" in url:
            self.cookies["auth"] = "yes"
        if self.cookies:
            r.text += " cookies=" + ",".join(sorted(self.cookies))
        return r

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)

    def head(self, url, **kwargs):
        return self.request("HEAD", url, **kwargs)

    def put(self, url, **kwargs):
        return self.request("PUT", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, **kwargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
