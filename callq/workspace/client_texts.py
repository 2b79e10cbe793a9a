"""What clients read from the workspace: emails, SMS, documentation chapters, out-of-scope
topics; every notice about an open entry carries the link to cancel it."""

from __future__ import annotations

from callq.i18n import N_, N_plural

# Subject and body of each email, and the SMS, of a notice; bodies with a count are plural pairs.
MAIL_SUBJECTS = {
    "documentation": N_("Your support request: the documentation"),
    "out_of_scope": N_("Your support request"),
    "awaiting": N_("We could not reach you"),
    "reminder": N_("Your support request is waiting for your call"),
    "closed": N_("Your support request is closed"),
}

# The paragraph of each email (greeting, the request, the hotline's number and the signature
# come from scheduling/letters' template); bodies with a count are plural pairs.
MAIL_BODIES = {
    "documentation": N_("As agreed, the answer to your question is in our documentation, "
                        "chapter \u201c%(chapter)s\u201d."),
    "out_of_scope": N_("Your request is about %(topic)s, which our support does not cover: "
                       "please see your IT provider, who will be able to help."),
    "reminder": N_("Your request is still open, but we could not reach you. Book an afternoon "
                   "callback at a time that suits you, or call us in the morning."),
    "closed": N_("As we could not reach you, we closed your request. Call us again if you "
                 "still need help."),
}

# "We tried to call you back N times": one text per plural form.
AWAITING_BODY = N_plural(
    "We tried to call you back once, without success. Book an afternoon callback at a time "
    "that suits you, or call us in the morning.",
    "We tried to call you back %(num)s times, without success. Book an afternoon callback at "
    "a time that suits you, or call us in the morning.",
)

# The buttons of an email: what the client can do next.
ACTIONS = {
    "documentation": (("link", N_("Read the chapter")),),
    "awaiting": (("book", N_("Pick a time")), ("cancel", N_("My problem is solved"))),
    "reminder": (("book", N_("Pick a time")), ("cancel", N_("My problem is solved"))),
}

# One SMS segment each (callq.sms): %(need)s is cut to the room left, %(url)s is a short link.
SMS = {
    "documentation": N_("%(brand)s, %(need)s: see our documentation, %(chapter)s: %(url)s"),
    "out_of_scope": N_("%(brand)s, %(need)s: this is about %(topic)s, outside our scope. Please "
                       "see your IT provider."),
    "awaiting": N_("%(brand)s, %(need)s: we could not reach you. Book a callback: %(url)s or "
                   "call %(phone)s"),
    "reminder": N_("%(brand)s, %(need)s: still open. Book a callback: %(url)s or call "
                   "%(phone)s"),
    "closed": N_("%(brand)s, %(need)s: closed, we could not reach you. If needed, call "
                 "%(phone)s"),
}
# Which link an SMS carries: the booking page (which offers the cancel link too), the chapter.
SMS_LINK = {"documentation": "link", "awaiting": "book", "reminder": "book"}

CHAPTERS = {
    "logiciel": N_("The software"),
    "autres-logiciels": N_("Other essential software"),
    "base-de-donnees": N_("The database"),
    "services-numeriques": N_("Digital services"),
    "fournisseurs": N_("Suppliers"),
    "tarifs": N_("Prices"),
    "commandes": N_("Orders"),
    "comptabilite": N_("Accounting"),
    "relances": N_("Dunning"),
    "rappels": N_("Reminders"),
    "impressions": N_("Printing"),
    "registres": N_("Registers"),
    "autres-outils": N_("Other tools"),
    "parametrages": N_("Software settings"),
    "partenaires": N_("Partners"),
}

SCOPES = {
    "hardware": N_("computer hardware"),
    "windows": N_("Windows"),
    "antivirus": N_("the antivirus or firewall"),
    "other_software": N_("software other than ours"),
}
