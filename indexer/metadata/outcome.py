"""The outcome of a tribunal decision: allowed, part allowed, dismissed, struck out or withdrawn."""
from __future__ import annotations

import re

from indexer.metadata.common import DATE_RE

# "is", "is, accordingly,", "was therefore", "has now been": the verb before an outcome word. "partly"/
# "partially" are not filler: "the appeal is partially allowed" is part allowed.
_IS = (r"(?:is|are|be|was|were|has\s+been|have\s+been)\s*,?\s+"
       r"(?:(?:(?!partly\b|partially\b)\w+ly|therefore|thus|hereby|also|accordingly|now|consequently|hence),?\s+){0,2}")
# "appeal[s] [EA/2013/0148 by John Slater] is [therefore] allowed": the words between never end a sentence nor
# hold the verb, so "Appeal EA/1 is dismissed. Appeal EA/2 is allowed" is two statements.
_APPEAL_IS = (r"(?<!permission\sto\s)(?<!notice\sof\s)appeals?\s+"
              rf"(?:(?!(?:is|are|was|were|be)\b)[\w/.]*[\w/]\s+){{0,5}}?{_IS}")
_OWNER = r"(?:(?:the|this|these|both|all|each|his|her|its|their)\s+|(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][\w]*[’']s\s+)"
_THE_APPEAL = rf"{_OWNER}(?:[\w’']+\s+){{0,2}}?appeals?"
# "an application to strike out the appeal" proposes; "decided to", "no alternative but to" and "our decision is
# to" decide.
_DECIDES = r"(?:(?<!to\s)|(?<=decided\sto\s)|(?<=decides\sto\s)|(?<=but\sto\s)|(?<=is\sto\s))"
# "it is right for me to strike it out now" decides.
_STRIKES = r"(?:(?<!to\s)|(?<=me\sto\s)|(?<=right\sto\s)|(?<=decided\sto\s)|(?<=but\sto\s))strikes?[\s-]?"
_IN_PART = r"in\s+par\s?t\b"
# A qualifier that limits an allowed or dismissed appeal to some of its issues (not "in relation to the DN").
_LIMITED = (r"(?:insofar|in\s+so\s+far|to\s+the\s+extent|to\s+a\s+(?:limited|certain)\s+extent|on\s+one|only\s+in|"
            r"(?:in\s+relation\s+to|in\s+respect\s+of|as\s+regards)(?!\s+(?:the\s+)?(?:decision\s+notice|DN\b|FS\d|FER\d)))")
_WITHDRAWN = (rf"{_APPEAL_IS}withdrawn|consent(?:s|ed)?\s+to\s+(?:the\s+|such\s+|that\s+|this\s+|its\s+|his\s+|her\s+)?"
              r"withdrawal|consent(?:s|ed)?\s+to\s+(?:the\s+)?(?:matter|appeal|case|proceedings)\s+being\s+withdrawn|"
              r"accepts?\s+(?:receipt\s+of\s+)?(?:a\s+|the\s+)?notice\s+of\s+withdrawal|"
              r"consent\s+is\s+given\s+(?:for|to)\s+(?:the\s+)?(?:\w+\s?[’']s\s+)?withdrawal|"
              r"withdraw\s+(?:his|her|its|their|the)\s+appeal,?\s+to\s+which\s+I\s+consent")
_STRUCK = (rf"(?:appeals?|proceedings|claim|case|they)\s+(?:{_IS}|will\s+be\s+)struck\s+out|"
           rf"{_STRIKES}out\s+(?:the\s+whole\s+of\s+)?(?:{_THE_APPEAL}|the\s+(?:proceedings|case|claim))|"
           rf"{_STRIKES}(?:{_THE_APPEAL}|it|them|the\s+(?:proceedings|case))\s+out\b|"
           r"by\s+striking\s+(?:(?:it|them|the\s+(?:appeal|proceedings|case))\s+)?out\b|"
           r"granting\s+the\s+application\s+to\s+strike\s+out")
_PART = (rf"{_APPEAL_IS}(?:allowed|upheld)\s*,?\s+(?:{_IN_PART}|to\s+the\s+extent|only\s+{_IN_PART}|"
         r"to\s+a\s+limited\s+extent)|"
         rf"{_APPEAL_IS}(?:partly|partially|{_IN_PART})\s+(?:allowed|upheld|successful)|"
         rf"(?:allows?|upholds?)\s+(?:the|this)\s+(?:\w+\s+){{0,2}}?\w+,?\s+{_IN_PART}|allows?\s+{_IN_PART}|"
         rf"allows?\s+{_THE_APPEAL}(?:,?\s+{_IN_PART}|\s+{_LIMITED}|,?\s+with\s+the\s+exception\s+of)|"
         rf"dismiss(?:es)?\s+{_THE_APPEAL}\s+(?:except|save|other\s+than|{_LIMITED})|partially\s+allows?|"
         r"dismiss(?:es)?\s+the\s+(?:part|majority)\s+of\s+(?:the|this)\s+appeal|"
         r"(?:remaining|remainder|rest)\s+(?:part\s+)?of\s+the\s+appeal\s+is\s+dismissed|"
         r"(?:upheld|upholds?\s+the\s+(?:\w+\s+)?decision\s+notice[^.]{0,80}?),?\s+(?:save|except)\b|"
         rf"(?:partly|partially|part)[\s-]+(?:allowed|upheld)|succeeds?\s+{_IN_PART}|"
         rf"{_APPEAL_IS}dismissed\s+{_IN_PART}|partly\s+successful")
_ALLOWED = (rf"{_APPEAL_IS}(?:allowed|upheld)(?!\s+to\s+(?:proceed|continue|stand|go|be)\b)|{_DECIDES}(?:allows?|upholds?|upheld)\s+{_THE_APPEAL}|"
            r"appeals?\s+succeeds?\b|appeal\s+(?:allowed|upheld)|"
            r"(?:decided|decides|finds?|found)\s+(?:in\s+favour\s+of|for)\s+the\s+appellants?\b")
# What the tribunal does to the decision notice rather than to the appeal: a weaker sign, used when no statement
# about the appeal itself is found.
_NOTICE_REPLACED = (r"\bis\s+set\s+aside\b|set\s+aside\s+the\s+(?:\S+\s+){0,3}?decision\s+notice|"
                    r"(?:decision\s+notice|notice\s+of\s+decision)\s+(?:\S+\s+){0,8}?is\s+(?:hereby\s+)?"
                    r"(?:not\s+in\s+accordance\s+with\s+the\s+law|set\s+aside|substituted)")
_DISMISSED = (rf"{_APPEAL_IS}(?:dismissed|refused|denied|not\s+upheld)|appeal\s+could\s+not\s+be\s+upheld|"
              rf"{_DECIDES}(?:dismiss(?:es|ed)?|refus(?:es|ed|e))\s+{_THE_APPEAL}|rejects?\s+{_THE_APPEAL}|"
              rf"refuses?\s+to\s+allow\s+{_THE_APPEAL}|"
              r"(?:the|this|her|his|its)\s+application\s+is\s+(?:hereby\s+)?(?:refused|dismissed)|"
              r"appeals?\s+(?:fails?|does\s+not\s+succeed|must\s+fail)|appeal\s+(?:dismissed|refused)|"
              r"summary\s+dismissal|(?:appeal|application)[^.;]{0,80}?\s+and\s+(?:it\s+)?(?:is|are)\s+(?:\w+ly\s+)?dismissed|"
              r"(?:appeal|application)\s+must\s+(?:therefore\s+|accordingly\s+)?be\s+dismissed|"
              r"disposed\s+of\s+summarily|upholds?\s+the\s+(?:\w+\s+)?decision\s+(?:notice|of\s+the\s+"
              r"(?:Information\s+)?Commissioner)|decision\s+notice\b(?:(?!\bappeal|[.;]\s+[A-Z])[\s\S]){0,300}?\bis\s+"
              r"(?:hereby\s+)?upheld(?!\s*,?\s*(?:save|except|in\s+part)\b)|"
              r"(?:decided|decides|finds?|found)\s+(?:in\s+favour\s+of|for)\s+the\s+respondents?\b")
_OUTCOME = re.compile(
    rf"(?P<withdrawn>{_WITHDRAWN})|(?P<struck>{_STRUCK})|(?P<part>{_PART})|(?P<allowed>{_ALLOWED})"
    rf"|(?P<notice>{_NOTICE_REPLACED})|(?P<dismissed>{_DISMISSED})",
    re.IGNORECASE,
)
_OUTCOME_NAMES = {"withdrawn": "withdrawn", "struck": "struck out", "part": "part allowed", "allowed": "allowed",
                  "notice": "allowed", "dismissed": "dismissed"}

# Statements of what the tribunal may or must do ("shall allow the appeal or substitute ...") or of a party's
# hope ("its appeal would be allowed") are not decisions.
# Case-sensitive: "May" is mostly a month.
# "the appeal must fail" at the end of the reasons is the decision.
_HYPOTHETICAL = re.compile(r"\b(?:[Ii]f|[Uu]nless|[Ww]hether|may|must(?!\s+(?:fail|(?:therefore\s+|accordingly\s+)?be\s+"
                           r"dismissed))|shall|would|could|might|entitles?|ought)\b")
_CLAUSE_START = re.compile(r"[.;:\n]")
_REASONS = re.compile(r"^\s*REASONS\b", re.MULTILINE)
# A conclusion heading separates the last finding on one issue from the overall decision.
_CONCLUSION = re.compile(r"^\s*(?:\d+\.?\s+)?(?:Conclusions?|Decision|Summary)\b[^\n.]{0,20}$", re.MULTILINE | re.IGNORECASE)
# A chronology entry ("6 June 2016 FTT allows the appeal and orders disclosure") tells of an earlier decision.
CHRONOLOGY_GAP = 40


def _in_chronology(text: str, m: re.Match) -> bool:
    line_start = text.rfind("\n", 0, m.start()) + 1
    dated = DATE_RE.match(text, line_start)
    return dated is not None and m.start() - dated.end() <= CHRONOLOGY_GAP


def _decisions(text: str, start: int = 0, stop: int | None = None) -> list[re.Match]:
    """Outcome statements in text[start:stop] that decide rather than describe what could be decided."""
    stop = len(text) if stop is None else stop
    found = []
    for m in _OUTCOME.finditer(text, start, stop):
        clause = max((c.end() for c in _CLAUSE_START.finditer(text, max(0, m.start() - 35), m.start())),
                     default=max(0, m.start() - 35))
        if not _HYPOTHETICAL.search(text, clause, m.end()) and not _in_chronology(text, m):
            found.append(m)
    return found


def _mixed(text: str, m: re.Match) -> bool:
    """Allowing one appeal (or part) and dismissing another in the same decision paragraph is "part allowed"."""
    reasons = _REASONS.search(text, m.end(), m.end() + 600)
    stop = reasons.start() if reasons else m.end() + 600
    others = {"allowed", "dismissed", "part"} - {_kind(m)}
    back = max((c.end() for c in _CONCLUSION.finditer(text, max(0, m.start() - 400), m.start())),
               default=max(0, m.start() - 400))
    nearby = _decisions(text, back, m.start()) + _decisions(text, m.end(), stop)
    # A substituted notice beside a dismissal records the dismissal's findings; it is not a second outcome.
    return any(n.lastgroup != "notice" and _kind(n) in others for n in nearby)


def _kind(m: re.Match) -> str:
    return "allowed" if m.lastgroup == "notice" else m.lastgroup


def outcome(text: str, start: int) -> str | None:
    """Outcome stated about the appeal with the decision (heading or just after it), else the last one in the
    conclusion; then the same for what is done to the decision notice; else the first statement anywhere."""
    head = _decisions(text, 0, start + 3000)
    tail = _decisions(text, max(0, len(text) - 4000))
    found = None
    for explicit in (True, False):
        found = (next((m for m in head if (m.lastgroup != "notice") == explicit), None)
                 or next((m for m in reversed(tail) if (m.lastgroup != "notice") == explicit), None))
        if found:
            break
    found = found or next(iter(_decisions(text)), None)
    if found is None:
        return None
    # A strike-out ruling first finds that the appeal "must fail"; the strike-out is how it is disposed of.
    if found.lastgroup == "dismissed" and any(m.lastgroup == "struck" for m in head + tail):
        return "struck out"
    if found.lastgroup in ("allowed", "notice", "dismissed") and _mixed(text, found):
        return "part allowed"
    return _OUTCOME_NAMES[found.lastgroup]
