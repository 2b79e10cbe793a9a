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

MAIL_BODIES = {
    "documentation": N_("Hello,\n\nAs agreed, the answer to your question is in our "
                        "documentation, chapter \u201c%(chapter)s\u201d:\n%(link)s\n\n"
                        "The technical support team\n"),
    "out_of_scope": N_("Hello,\n\nYour request is about %(topic)s, which our support does not "
                       "cover: please see your IT provider, who will be able to help.\n\n"
                       "The technical support team\n"),
    "reminder": N_("Hello,\n\nYour support request is still open, but we could not reach you. "
                   "Call us in the morning or book an afternoon appointment.\n\n"
                   "If you have solved your problem in the meantime, tell us in one click and "
                   "we will not call you back:\n%(cancel)s\n\nThe technical support team\n"),
    "closed": N_("Hello,\n\nAs we could not reach you, we closed your request. Call us again if "
                 "you still need help.\n\nThe technical support team\n"),
}

# "We tried to call you back N times": one text per plural form.
AWAITING_BODY = N_plural(
    "Hello,\n\nWe tried to call you back once, without success. Call us in the morning or "
    "book an afternoon appointment.\n\nIf you have solved your problem in the meantime, "
    "tell us in one click and we will not call you back:\n%(cancel)s\n\n"
    "The technical support team\n",
    "Hello,\n\nWe tried to call you back %(num)s times, without success. Call us in the "
    "morning or book an afternoon appointment.\n\nIf you have solved your problem in the "
    "meantime, tell us in one click and we will not call you back:\n%(cancel)s\n\n"
    "The technical support team\n",
)

SMS = {
    "documentation": N_("Support: the answer to your question is in our documentation, chapter "
                        "\u201c%(chapter)s\u201d: %(link)s"),
    "out_of_scope": N_("Support: your request is about %(topic)s, outside our scope. Please see "
                       "your IT provider."),
    "awaiting": N_("Support: we could not reach you. Call us in the morning. Solved? "
                   "%(cancel)s"),
    "reminder": N_("Support: your request is waiting for your call. Solved? %(cancel)s"),
    "closed": N_("Support: we could not reach you, your request is closed. Call us if needed."),
}

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
