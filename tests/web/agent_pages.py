"""Reading the agents' pages in tests: a small element tree built with html.parser, and the
steps every page test repeats (log in, take the CSRF token)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.workspace_data import PASSWORD

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Element:
    """One element: tag, attributes, children, and its own text."""

    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Descendants with this tag and these attribute values ("class_" matches one class)."""
        found = []
        for element in self.iter():
            if tag and element.tag != tag:
                continue
            if all(_matches(element, name, value) for name, value in attrs.items()):
                found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    @property
    def text(self) -> str:
        """All the text inside, whitespace collapsed."""
        parts = [*self.text_parts, *(child.text for child in self.children)]
        return " ".join(" ".join(parts).split())


def _matches(element: Element, name: str, value: str) -> bool:
    if name == "class_":
        return value in element.attrs.get("class", "").split()
    return element.attrs.get(name.replace("_", "-")) == value


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].text_parts.append(data)


def parse(html: bytes | str) -> Element:
    """The page as an element tree."""
    builder = _Builder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    return builder.root


def csrf_token(page: Element) -> str:
    """The CSRF token of the first form of a page."""
    return page.find("input", name="csrf_token").attrs["value"]


def log_in(client, email: str, password: str = PASSWORD):
    """Log in through the form, as a browser would."""
    token = csrf_token(parse(client.get("/login").data))
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


def token_of(client) -> str:
    """A CSRF token of the logged-in session (from the waiting-room page)."""
    return csrf_token(parse(client.get("/agents/").data))
