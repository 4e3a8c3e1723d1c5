"""Turn an HTML page into readable text with the standard library, dropping site furniture."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
DROP_TAGS = frozenset(
    "script style noscript template svg nav header footer aside form button input select textarea iframe "
    "object canvas label dialog".split()
)
BLOCK_TAGS = frozenset(
    "address article blockquote dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 li main ol p pre section "
    "table tbody thead tfoot tr ul".split()
)
CELL_TAGS = frozenset({"td", "th"})
# Parts of class/id names that mark navigation, sidebars, banners and other page furniture (GOV.UK-style sites add
# "exit this page" buttons, phase banners and feedback prompts).
FURNITURE_PARTS = frozenset(
    "nav navigation topnav menu sidebar footer banner cookie cookies consent popup skip breadcrumb breadcrumbs "
    "locale languages search feed follow cplink delivery logged donate print hidden share social logo actions "
    "action closed describe similar listing subscribe newsletter advert advertisement modal toolbar meta exit phase "
    "feedback survey skiplink skiplinks".split()
)
# A request thread: its messages and annotations, and the lines saying who asked whom and the outcome.
MESSAGE_PARTS = frozenset({"correspondence", "comment"})
INTRO_PARTS = frozenset({"subtitle", "status"})
# Hostile pages: only class/id/style/role/hidden attributes are read, and none needs more than this many
# characters; deeper nesting is flattened so the recursive rendering stays far below Python's recursion limit.
MAX_ATTR_CHARS = 2000
MAX_DEPTH = 200
SITE_SUFFIX = re.compile(r"\s+[-|\u2013\u2014]\s+(?:WhatDoTheyKnow|a Freedom of Information request to .*)$", re.I)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: (value or "")[:MAX_ATTR_CHARS] for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        # Unclosed tags (<p>, <li>) are closed implicitly by the nearest matching end tag.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(markup: str) -> Node:
    """Parse markup into a forgiving element tree."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def _name_parts(node: Node) -> set[str]:
    # BEM modifiers ("header--with-delivery-status") describe state, not what the element is.
    names = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}".lower().split()
    return {part for name in names if "--" not in name for part in re.split(r"[_-]+", name) if part}


def _is_furniture(node: Node) -> bool:
    if node.tag in DROP_TAGS or "hidden" in node.attrs or node.attrs.get("aria-hidden") == "true":
        return True
    if re.search(r"display\s*:\s*none", node.attrs.get("style", "")):
        return True
    return bool(_name_parts(node) & FURNITURE_PARTS)


def find_all(node: Node, predicate) -> list[Node]:
    """Every descendant element matching predicate, outermost first, in document order."""
    found = []
    for child in node.children:
        if isinstance(child, Node):
            if predicate(child):
                found.append(child)
            else:
                found.extend(find_all(child, predicate))
    return found


def _render(node: Node, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(re.sub(r"\s+", " ", child))
        elif child.tag == "br":
            out.append("\n")
        elif not _is_furniture(child):
            _render_element(child, out)


def _render_element(node: Node, out: list[str]) -> None:
    if node.tag in BLOCK_TAGS:
        gap = "\n\n" if node.tag in {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"} else "\n"
        out.append(gap)
        _render(node, out)
        out.append(gap)
    elif node.tag in CELL_TAGS:
        out.append(" | ")
        _render(node, out)
    else:
        _render(node, out)


def node_text(node: Node) -> str:
    """Readable text of a node: blocks on their own lines, paragraphs separated by blank lines."""
    out: list[str] = []
    _render(node, out)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(out))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _first_text(root: Node, tag: str) -> str | None:
    for node in find_all(root, lambda n: n.tag == tag):
        text = " ".join(node_text(node).split())
        if text:
            return text
    return None


def title_hint(root: Node) -> str | None:
    """The page's <h1> (logo headings skipped), else its <title>, without the site-name suffix."""
    title = _first_text(root, "h1") or _first_text(root, "title")
    while title and SITE_SUFFIX.search(title):
        title = SITE_SUFFIX.sub("", title)
    return title or None


def _main_region(root: Node) -> Node:
    for predicate in (lambda n: n.tag in {"main", "article"} or n.attrs.get("role") == "main",
                      lambda n: "content" in _name_parts(n), lambda n: n.tag == "body"):
        found = find_all(root, predicate)
        if found:
            return found[0]
    return root


def _is_message(node: Node) -> bool:
    return bool(_name_parts(node) & MESSAGE_PARTS) and not _is_furniture(node)


def _is_intro(node: Node) -> bool:
    return bool(_name_parts(node) & INTRO_PARTS) and not _is_furniture(node)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Return (text, title_hint): a request thread's messages if the page has them, else its main content."""
    root = parse_html(markup)
    title = title_hint(root)
    messages = find_all(root, _is_message)
    if messages:
        intro = find_all(root, _is_intro)
        parts = [title or ""] + [node_text(node) for node in intro + messages]
        return "\n\n".join(part for part in parts if part), title
    return node_text(_main_region(root)), title
