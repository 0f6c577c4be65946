"""Reading numbers back out of the rendered pages (the standard library's HTML parser)."""

from html.parser import HTMLParser


class DataAttributes(HTMLParser):
    """Collects the attributes of every element that has `attribute`."""

    def __init__(self, attribute):
        super().__init__()
        self.attribute = attribute
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.attribute in attrs:
            self.found.append(attrs)


def elements_with(html, attribute):
    parser = DataAttributes(attribute)
    parser.feed(html)
    return parser.found


class ReportRows(HTMLParser):
    """{indicator code: {field: data-value}} of the report page's indicator tables."""

    def __init__(self):
        super().__init__()
        self.rows = {}
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-indicator" in attrs:
            self.current = self.rows.setdefault(attrs["data-indicator"], {})
        elif tag == "td" and self.current is not None and "data-value" in attrs:
            self.current[attrs["data-field"]] = attrs["data-value"]

    def handle_endtag(self, tag):
        if tag == "tr":
            self.current = None


def report_rows(html):
    parser = ReportRows()
    parser.feed(html)
    return parser.rows
