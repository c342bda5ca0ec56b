"""Tiny HTML rendering helpers."""


class Page:
    def __init__(self, title):
        self.title = title
        self.html = ""

    def render(self, items):
        self.html = "<ul>"
        for item in items:
            self.html += "<li>" + item + "</li>"
        self.html += "</ul>"
        return self.html


def escape_all(values):
    out = []
    for value in values:
        import html
        out.append(html.escape(value))
    return out
