"""One sentence saying why a need was classified so (R6, R7), in the reader's language: the
reason agents read on an entry. Pure: it reads a classification's stored detail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from callq.i18n import N_, gettext
from callq.status import Tier
from callq.waiting.classify import Classification
from callq.waiting.labels import tier_label

# Rules that say the whole sentence; the "vague:*" ones naming what was heard take %(heard)s.
RULES = {
    "vague:filler_only": N_("No stated need (%(heard)s only)"),
    "vague:chasing": N_("Chasing, no new need (%(heard)s): attached to the open request"),
    "vague:empty": N_("Silent message: no stated need"),
    "vague:short_recording": N_("Recording too short to hold a need"),
    "vague:too_short": N_("Message too short to state a need"),
    "vague:no_subject": N_("No stated need: nothing of the software or the work is named"),
    "vague:topic": N_("No stated need: what the call is about is named (%(heard)s), not what "
                      "is wrong"),
    "tier:default_low": N_("Low urgency: no sign of urgency in the stated need"),
    "tier:presumed": N_("High urgency presumed: something no longer happens (%(heard)s) and "
                        "no word says how bad it is"),
    "tier:learned": N_("Critical urgency presumed: told in the words of critical needs in past "
                       "calls (%(heard)s)"),
    "tier:learned_high": N_("High urgency presumed: told in words close to those of critical "
                            "needs in past calls (%(heard)s)"),
}
READINGS = {
    "denied": N_("said not to be blocking"),
    "question": N_("a question about what is wrong: low"),
    "data_loss": N_("data lost"),
    "one_station": N_("one workstation only: one tier lower"),
    "all_stations": N_("every workstation: critical"),
    "deadline": N_("due today: critical"),
    "no_workaround": N_("no other way: critical"),
    "workaround": N_("a workaround exists: one tier lower"),
    "intermittent": N_("intermittent: one tier lower"),
    "painful_workaround": N_("painful workaround: high"),
}
LEXICONS = {"de": N_("German lexicon"), "en": N_("English lexicon")}


def detail(c: Classification) -> dict[str, Any]:
    """What an entry keeps of its classification (the reason can be said again from it)."""
    kept: dict[str, Any] = {"rule": c.rule, "matched": list(c.matched)}
    if c.readings:
        kept["readings"] = list(c.readings)
    if c.language != "fr":
        kept["lexicon"] = c.language
    return kept


def explain(c: Classification, lang: str) -> str:
    """Why this classification, in one sentence."""
    return explain_detail(detail(c), c.tier, lang)


def explain_detail(kept: Mapping[str, Any], tier: Tier, lang: str) -> str:
    """Why an entry was classified so, from what it kept (`detail`)."""
    rule = str(kept.get("rule") or "")
    matched: Sequence[str] = kept.get("matched") or ()
    quoted = ", ".join(gettext("\u201c%(phrase)s\u201d", lang, phrase=m) for m in matched)
    if rule in RULES:
        heard = quoted or gettext("name or number", lang)
        sentence = gettext(RULES[rule], lang, heard=heard)
    elif quoted:
        sentence = gettext("%(tier)s: %(phrases)s", lang, tier=tier_label(tier, lang),
                           phrases=quoted)
    else:
        sentence = tier_label(tier, lang)
    notes = [gettext(READINGS[r], lang) for r in kept.get("readings") or () if r in READINGS]
    if notes:
        sentence = gettext("%(sentence)s (%(notes)s)", lang, sentence=sentence,
                           notes="; ".join(notes))
    lexicon = kept.get("lexicon")
    if lexicon in LEXICONS:
        sentence = gettext("%(sentence)s, read with the %(lexicon)s", lang, sentence=sentence,
                           lexicon=gettext(LEXICONS[lexicon], lang))
    return sentence
