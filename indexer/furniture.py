"""Page furniture of scraped web pages: site chrome, interface labels and acknowledgement boilerplate."""
from __future__ import annotations

import re

# A sentence that only a website says about itself: cookie banners and their confirmations, "skip to" links,
# quick-exit buttons, beta and retirement notices, error messages. (Privacy, copyright and donation lines are
# only furniture at a page's edges: textclean.strip_web_furniture.)
CHROME = re.compile(
    r"\bcookies?\b[^.]{0,100}\b(?:preferences?|settings|saved|customi[sz]e|we|our\s+(?:web)?site)\b"
    r"|\b(?:we|our\s+(?:web)?site)\s+(?:use|uses|sets?|stores?)\s+(?:some\s+)?(?:essential\s+)?cookies\b"
    r"|\b(?:accept|reject|allow|manage)\s+(?:all\s+|optional\s+|additional\s+|analytics\s+)?cookies\b"
    r"|\bskip\s+to\s+(?:the\s+)?(?:main\s+|additional\s+)?(?:content|navigation|search|footer)\b"
    r"|\bleave\s+this\s+(?:site|page|website)\b|\bescape\s+key\b|\bexit\s+this\s+(?:site|page)\s+quickly\b"
    r"|\b(?:this\s+)?(?:site|website|service)\s+is\s+(?:a\s+|in\s+)?beta\b|\bis\s+no\s+longer\s+live\b"
    r"|\byour\s+feedback\s+(?:helps|will\s+help)\b|\bsorry,\s+there\s+(?:was|has\s+been)\s+(?:a\s+)?(?:technical\s+)?"
    r"(?:problem|error)\b|^please\s+try\s+again\b|\benable\s+javascript\b|\b(?:update|upgrade)\s+your\s+browser\b",
    re.IGNORECASE,
)
# Instructions for a site's search or listing form ("Select a year from the drop down list", "Click 'View'
# to browse", "This search is for our requests from 2020 onward"), in English or Welsh.
_FORM_HELP = re.compile(
    r"^[-\u2022*\s]*(?:select|type|click|tap|choose|enter|use)\b.{0,100}\b(?:drop[- ]?down|button|list|search|"
    r"box|field|link|menu|filter|keywords?)\b|\bclick\b.{0,40}\b(?:to\s+browse|button|here)\b|^this\s+search\s+is\b"
    r"|^(?:see|view|browse|search)\s+(?:all\s+|the\s+|our\s+)?(?:answers|responses|previous|past|disclosure)\b"
    r".{0,60}\b(?:requests?|responses|disclosures?|log)$"
    r"|\b(?:safle|wefan)\b.{0,80}\b(?:chwilio|hidlo|weld)\b|\b(?:chwilio|hidlo|defnyddiwch)\b.{0,80}\b(?:safle|wefan)\b",
    re.IGNORECASE,
)
# Contact lines in page headers and footers: "In an emergency call 999", "For general enquiries call 0115 ...".
_CONTACT = re.compile(r"^(?:in\s+an\s+emergency|for\s+(?:general\s+)?enquiries|call\s+us|opening\s+hours)\b.{0,60}"
                      r"(?:\d{3}|$)|^(?:monday|mon)\b[\s\d:.apm-]{0,12}(?:to|-|\u2013)?\s*(?:friday|fri)\b[\s\d:.apm-]{0,20}$",
                      re.IGNORECASE)
# Words of navigation and interface labels; a short line made only of these is a button or a link.
_INTERFACE_WORDS = frozenset("""
show hide mobile menu search site control select category categories skip to content contents navigation nav top
back print share this page home close open toggle main additional see notes note view more less filter sort results
next previous login log sign in out accept reject all cookies cookie settings preferences feedback help translate
language cymraeg english breadcrumb you are here go submit reset clear download comments contact us expand
collapse attachment attachments atodiad atodiadau chwilio dewislen hafan cau agor a-z details how
""".split())
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
INTERFACE_MAX_CHARS = 40
INTERFACE_MAX_WORDS = 5
CHROME_MAX_CHARS = 300


def is_interface_label(line: str) -> bool:
    """A button, link or bare punctuation line: "See notes", "+ All Categories", "Show mobile menu", "-"."""
    stripped = line.strip()
    if not stripped:
        return False
    if not any(char.isalnum() for char in stripped):
        return True
    words = [word.lower() for word in _WORD.findall(stripped)]
    if not words or len(stripped) > INTERFACE_MAX_CHARS or len(words) > INTERFACE_MAX_WORDS:
        return False
    return all(word in _INTERFACE_WORDS for word in words)


def is_chrome(line: str) -> bool:
    """A line of site chrome: a cookie banner sentence, a search form's instructions, a header contact line."""
    stripped = line.strip()
    if not stripped or len(stripped) > CHROME_MAX_CHARS:
        return False
    return bool(CHROME.search(stripped) or _FORM_HELP.search(stripped) or _CONTACT.search(stripped))


def _head_end(lines: list[str]) -> int:
    """Where the page's own text starts for sure: the first line that is long and not chrome. Banners and
    form help sit above it; below it, a line such as "we use cookies" may be a request's own words."""
    for index, line in enumerate(lines):
        if len(line) > 120 and not is_chrome(line):
            return index
    return len(lines)


def strip_page_chrome(lines: list[str]) -> list[str]:
    """Lines without interface labels anywhere and without chrome lines above the page's first real paragraph."""
    head = _head_end(lines)
    return [line for index, line in enumerate(lines)
            if not is_interface_label(line) and not (index < head and is_chrome(line))]


# Acknowledgement messages (auto-replies, receipts) and request-site status notices: boilerplate that every
# thread of one authority or site shares and that says nothing about the request or the answer.
_ACK_CUE = re.compile(
    r"\bconfirm(?:s|ing)?\s+(?:the\s+)?receipt\b|\backnowledg(?:e|ing)\s+(?:receipt|your)\b|\bauto-?reply\b"
    r"|\bout\s+of\s+(?:the\s+)?office\b|\bhas\s+been\s+(?:passed|forwarded|logged)\b|\bis\s+(?:now\s+)?being\s+"
    r"(?:processed|considered|dealt\s+with)\b|\b(?:will|should)\s+(?:be\s+sent|receive\s+(?:a|our)\s+response|"
    r"be\s+dealt\s+with|respond\s+(?:to\s+you\s+)?(?:by|within))\b|\bservice\s+standards\b"
    r"|\bexpect\s+(?:to\s+receive\s+)?(?:a|our|the)\s+(?:response|reply|requested\s+information)\b"
    r"|\bclosed\s+to\s+new\s+correspondence\b",
    re.IGNORECASE,
)
_ACK_SENTENCE = re.compile(
    _ACK_CUE.pattern + r"|\bthank\s+you\s+for\s+your\s+(?:e-?mail|request|enquiry|letter|message)\b"
    r"|\breceived\s+(?:today|on)\b|\bwithin\s+(?:\d+|twenty)\s+working\s+days\b|\bunique\s+reference\b"
    r"|\bquote\s+(?:this|the|your)\s+reference\b|\bdo\s+not\s+hesitate\s+to\s+contact\b"
    r"|\bif\s+you\s+(?:have\s+any\s+(?:queries|questions)|do\s+not\s+(?:get|receive)\s+a\s+response)\b"
    r"|\b(?:fee|charges?)\s+(?:may\s+be\s+payable|before\s+proceeding)\b|\blikely\s+charges\b"
    r"|\bre-?send\s+your\s+e-?mail\b|\bcontact\s+us\s+if\s+you\s+think\b|\bwithin\s+that\s+time\b"
    r"|\bpromptly\s+advise\s+you\b|\bunder\s+the\s+terms\s+of\s+the\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")


def is_acknowledgement(paragraph: str) -> bool:
    """A paragraph whose every sentence is acknowledgement boilerplate, at least one of them unmistakably
    ("confirm receipt", "will be sent by", "auto-reply"): a reply that only says the request arrived."""
    sentences = [s for s in _SENTENCE_END.split(" ".join(paragraph.split())) if s]
    if not sentences or not _ACK_CUE.search(paragraph):
        return False
    return all(_ACK_SENTENCE.search(sentence) for sentence in sentences)


def strip_acknowledgements(text: str) -> str:
    """The text without acknowledgement paragraphs (paragraphs are separated by blank lines)."""
    paragraphs = text.split("\n\n")
    kept = [paragraph for paragraph in paragraphs if not is_acknowledgement(paragraph)]
    return "\n\n".join(kept) if len(kept) != len(paragraphs) else text
