"""Fix oracle program for python/unbounded-history: a history list that only ever grows."""
from oracle import case


class Echo:
    def send(self, request):
        if request is None:
            raise ValueError("nothing to send")
        return f"ok {request}"


class Client:
    def __init__(self, transport):
        self.transport = transport
        self.request_log = []  # want: python/unbounded-history fix=unsafe

    def send(self, request):
        self.request_log.append(request)
        return self.transport.send(request)

    def last(self):
        return self.request_log[-1] if self.request_log else None

    def first(self):
        return self.request_log[0] if self.request_log else None


class Tracer:
    def __init__(self):
        self.call_history = []  # want: python/unbounded-history fix=unsafe

    def record(self, name):
        self.call_history.append(name)

    def names(self):
        return [n for n in self.call_history]


def run_client(requests):
    c = Client(Echo())
    replies = [c.send(r) for r in requests]
    return replies[-3:], c.last(), c.first()


def logged_as_sent(requests):
    c = Client(Echo())
    for r in requests:
        c.send(r)
    return c.request_log == requests


def trace(names):
    t = Tracer()
    for n in names:
        t.record(n)
    got = t.names()
    return len(got), got[:2], got[-1:]


def main():
    for label, arg in [("empty", []), ("one", ["a"]), ("many", ["a", "b", "a", "ü"]), ("fails", ["a", None]), ("10,001 requests", [f"r{i}" for i in range(10_001)])]:
        case(run_client, label, arg)
    case(logged_as_sent, "two", ["a", "b"])
    for label, arg in [("empty", []), ("many", ["f", "g"]), ("12,000 calls", [f"f{i}" for i in range(12_000)])]:
        case(trace, label, arg)


if __name__ == "__main__":
    main()
