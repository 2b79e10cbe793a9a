"""An email's words as plain text: HTML read as text (quotes left out), the new text of a reply
without what it quotes or its signature, and a guess at its language. Pure.

Reply headers ("Le lun. 30 mars 2026, X a écrit :", "-----Original Message-----", "Am ...
schrieb") and signatures are found by mail-parser-reply, which knows Gmail, Outlook and Apple
Mail in French, German and English; the rules below only finish its work: quoted lines it left,
and the closing formulas it does not know ("Bien à vous", "Freundliche Grüsse").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers
from bs4 import BeautifulSoup, NavigableString, Tag
from mailparser_reply import EmailReplyParser

LANGUAGES = ("fr", "de", "en")
# What quotes the message replied to, in the HTML of Gmail, Outlook (web and desktop),
# Apple Mail, Thunderbird and Yahoo: left out before the HTML is read as text.
QUOTE_SELECTORS = (
    "blockquote", "div.gmail_quote", "div.gmail_extra", "div#appendonsend",
    "div#divRplyFwdMsg", "div#mail-editor-reference-message-container", "div.moz-cite-prefix",
    "div.yahoo_quoted", "div.OutlookMessageHeader", "div#Signature", "div.gmail_signature",
    "div.moz-signature",
)
NOT_TEXT = ("script", "style", "head", "title", "meta", "template", "noscript", "svg")
LINES = frozenset({"div", "br", "li", "tr", "ul", "ol", "table", "section", "article", "header",
                   "footer", "hr"})  # each starts a line
PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})  # and these a blank one
# A closing formula on a line of its own: the signature starts there.
CLOSINGS = re.compile(
    r"^\s*(bien (à|a) (vous|toi)|bien cordialement|cordialement|salutations( distinguées)?|"
    r"bonne (journée|soirée)|merci d'avance|merci par avance|meilleures salutations|"
    r"(mit )?freundliche(n)? gr(ü|ue)ss?e(n)?|liebe gr(ü|ue)sse|beste gr(ü|ue)sse|"
    r"herzliche gr(ü|ue)sse|(kind|best|warm) regards|regards|best|thanks( in advance)?|"
    r"many thanks|sincerely|cheers|"
    # A phone's or webmail's tag line: "Envoyé de mon iPhone", "Von meinem iPad gesendet".
    r"(envoyé|envoye) (de|depuis) (mon|ma) .{1,40}|von meinem .{1,30} gesendet|"
    r"sent from my .{1,40}|(obtenir|get) outlook (pour|for) .{1,20})\s*[,.!]?\s*$",
    re.IGNORECASE)
SIGNATURE_LINES = 8  # a closing formula followed by more lines than this is not a signature
GREETING = re.compile(
    r"^\s*(bonjour|bonsoir|salut|madame|monsieur|madame,? monsieur|chère|cher|hello|hi|dear|"
    r"good (morning|afternoon)|guten (tag|morgen|abend)|gr(ü|ue)ezi|hallo|sehr geehrte[rn]?|"
    r"liebe[rs]?)\b[^.!?\n]{0,60}[,!.]?\s*$",
    re.IGNORECASE)
_STOPWORDS = {
    "fr": frozenset({
        "le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "pas", "je", "nous",
        "vous", "il", "ne", "que", "qui", "pour", "sur", "avec", "dans", "mon", "ma", "mes",
        "notre", "votre", "plus", "bonjour", "merci", "ce", "cette"
    }),
    "de": frozenset({
        "der", "die", "das", "und", "ist", "nicht", "ich", "wir", "sie", "es", "ein", "eine",
        "mit", "auf", "für", "zu", "von", "den", "dem", "im", "kein", "keine", "mehr", "unser",
        "unsere", "guten", "tag", "danke", "bitte"
    }),
    "en": frozenset({
        "the", "and", "is", "not", "we", "you", "it", "a", "an", "of", "to", "in", "on", "for",
        "with", "my", "our", "this", "that", "hello", "thanks", "please", "can", "cannot",
        "doesn't"
    }),
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_parser = EmailReplyParser(languages=list(LANGUAGES))


def html_to_text(html: str) -> str:
    """The words of an HTML body, without what it quotes, one block per line (never markup)."""
    soup = BeautifulSoup(html, "html.parser")
    for selector in (*NOT_TEXT, *QUOTE_SELECTORS):
        for node in soup.select(selector):
            node.decompose()
    lines: list[str] = []
    _collect(soup, lines)
    return tidy("".join(lines))


def _collect(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if type(child) is NavigableString:  # not a comment, doctype or CDATA
            out.append(re.sub(r"\s+", " ", str(child)))
        if not isinstance(child, Tag):
            continue
        breaks = 2 if child.name in PARAGRAPHS else 1 if child.name in LINES else 0
        _break(out, breaks)
        _collect(child, out)
        _break(out, breaks)


def _break(out: list[str], count: int) -> None:
    # Nested blocks (<div><div>) make one line break, not one per level.
    ending = "".join(out[-3:]).rstrip(" ")
    have = len(ending) - len(ending.rstrip("\n"))
    out.extend("\n" * max(count - have, 0))


def tidy(text: str) -> str:
    """Lines trimmed, no more than one blank line in a row, no blank lines around."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def new_text(text: str) -> str:
    """The part of a reply its sender wrote now: no quoted message, no signature."""
    text = tidy(text)
    if not text:
        return ""
    replies = _parser.read(text).replies
    latest = replies[0].body if replies else text
    lines = [line for line in latest.split("\n") if not line.lstrip().startswith(">")]
    return tidy("\n".join(_before_closing(lines)))


def _before_closing(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if i and CLOSINGS.match(line) and len(lines) - i - 1 <= SIGNATURE_LINES:
            return lines[:i]
    return lines


def without_greeting(text: str) -> str:
    """The text without its opening "Bonjour," line(s)."""
    lines = text.split("\n")
    while lines and (not lines[0].strip() or GREETING.match(lines[0])):
        lines.pop(0)
    return "\n".join(lines)


def guess_language(texts: Iterable[str], default: str = "fr") -> str:
    """fr, de or en by their commonest words; `default` when nothing tells them apart."""
    words = [w.lower() for text in texts for w in _WORD.findall(text)]
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == default))
    return best if scores[best] > 0 else default


def number_in(text: str, region: str) -> str | None:
    """The first phone number written in the text (a signature's), in E.164, if any."""
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        return str(phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164))
    return None
