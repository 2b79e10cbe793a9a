"""Text messages that fit one segment (pure): what a need is called in a message, how long an
SMS is in the encoding the network will use, and writing one to fit.

One SMS segment holds 160 GSM-7 characters, or 70 when one character forces UCS-2. French
typography (no-break spaces, curly apostrophes, "ê", "ç") would force UCS-2 and leave too little
room for a need and a link; so an SMS is written in GSM-7: those characters are folded to their
plain forms ("ê" -> "e", no-break space -> space), the accents GSM-7 has ("é", "è", "à", "ü")
are kept, and the need is shortened to the room left.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

GSM7_SEGMENT = 160
UCS2_SEGMENT = 70
ELLIPSIS = "..."
# GSM 03.38 basic character set, and the extension table (each costs two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
_FOLDED = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2019": "'", "\u2018": "'",
           "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u2013": "-",
           "\u2014": "-", "\u2026": ELLIPSIS, "\u0153": "oe", "\u0152": "OE", "ç": "c"}


def is_gsm7(text: str) -> bool:
    """Whether every character of `text` exists in GSM-7 (else the SMS goes as UCS-2)."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def length(text: str) -> int:
    """Characters as the network counts them: septets in GSM-7, UTF-16 units in UCS-2."""
    if is_gsm7(text):
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def segment_limit(text: str) -> int:
    """What one segment holds for this text: 160 (GSM-7) or 70 (UCS-2)."""
    return GSM7_SEGMENT if is_gsm7(text) else UCS2_SEGMENT


def fits(text: str) -> bool:
    """Whether `text` goes as one SMS segment."""
    return length(text) <= segment_limit(text)


def fold(text: str) -> str:
    """`text` with every character GSM-7 lacks replaced by its plain form."""
    out = []
    for ch in text:
        if ch in GSM7_BASIC or ch in GSM7_EXTENDED:
            out.append(ch)
        elif ch in _FOLDED:
            out.append(_FOLDED[ch])
        else:
            plain = unicodedata.normalize("NFKD", ch)
            kept = "".join(c for c in plain if c in GSM7_BASIC)
            out.append(kept or "?")
    return "".join(out)


def short_need(need: str | None, limit: int) -> str:
    """A stated need cut to `limit` characters at a word, with "..." when cut."""
    text = " ".join((need or "").split())
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ""
    cut = text[: limit - len(ELLIPSIS)].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + ELLIPSIS if cut else ""


def write(render: Callable[[str], str], need: str | None) -> str:
    """The one-segment SMS `render(need)` makes, with the need shortened to the room left.

    `render` writes the message around a need (empty when there is none or no room).
    """
    bare = fold(render(""))
    room = GSM7_SEGMENT - length(bare)
    for limit in range(min(room, len(need or "")), -1, -1):
        text = fold(render(short_need(fold(need or ""), limit)))
        if fits(text):
            return text
    return bare
