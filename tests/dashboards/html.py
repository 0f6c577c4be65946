"""Reading numbers back out of the rendered pages (the standard library's HTML parser)."""

import re
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


# --- a small element tree, for reading a page the way its user sees it -----------------------

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children = []  # Elements and strings, in document order

    def __getitem__(self, name):
        return self.attrs[name]

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def iter(self):
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag=None, **attrs):
        """Elements inside (this one included) of `tag` whose attributes have these values
        (`data_count=...` is `data-count`; True only asks that the attribute be there)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and all(
                name in element.attrs and (value is True or element.attrs[name] == value)
                for name, value in wanted.items()
            )
        ]

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, element_id):
        element = self.find(id=element_id)
        assert element is not None, f'no element with id="{element_id}"'
        return element

    @property
    def text(self):
        """The text inside, whitespace collapsed."""
        parts = []

        def collect(element):
            for child in element.children:
                if isinstance(child, Element):
                    collect(child)
                else:
                    parts.append(child)

        collect(self)
        return " ".join("".join(parts).split())


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        # An end tag closes the nearest open element of its name (and any left open inside).
        element = self.current
        while element is not None and element.tag != tag:
            element = element.parent
        if element is not None and element.parent is not None:
            self.current = element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    """The page as a tree of Elements (its root is the document)."""
    if isinstance(html, bytes):
        html = html.decode()
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def status_counts(page):
    """{status: count} of the summary cards (`#status-counts`) of a dashboard."""
    cards = page.by_id("status-counts").find_all("a", data_status_count=True)
    return {
        card["data-status-count"]: int(card.find(data_count=True)["data-count"]) for card in cards
    }


def measure_statuses(page):
    """{status: count} of the "measures by status" card."""
    cells = page.by_id("measure-statuses").find_all(data_measure_status=True)
    return {cell["data-measure-status"]: int(cell.text) for cell in cells}


def links_in(element):
    """[(href, text)] of the links inside `element`, in order."""
    return [(link["href"], link.text) for link in element.find_all("a", href=True)]


def select_options(page, name):
    """[(value, label)] of the <select name=`name`>."""
    select = page.find("select", name=name)
    assert select is not None, f'no <select name="{name}">'
    return [(option.get("value"), option.text) for option in select.find_all("option")]


def my_work_badge(page):
    """{total, due, in_progress, awaiting} of the navigation's "My work" badge: its number and
    the three numbers of its title, in that order in every language (zeros when no badge)."""
    badge = page.by_id("nav-my-work").find("span")
    if badge is None:
        return {"total": 0, "due": 0, "in_progress": 0, "awaiting": 0}
    due, in_progress, awaiting = (int(number) for number in re.findall(r"\d+", badge["title"]))
    return {"total": int(badge.text), "due": due, "in_progress": in_progress, "awaiting": awaiting}
