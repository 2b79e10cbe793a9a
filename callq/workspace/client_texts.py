"""What clients read from the workspace: emails, SMS, documentation chapters, out-of-scope
topics (callq.i18n); every notice about an open entry carries the link to cancel it."""

from __future__ import annotations

from callq import i18n

_CANCEL_FR = ("Si vous avez résolu votre problème entre-temps, dites-le-nous en un clic, nous "
              "ne vous rappellerons pas :\n{cancel}\n")
_CANCEL_EN = ("If you have solved your problem in the meantime, tell us in one click and we "
              "will not call you back:\n{cancel}\n")
_SIGN_FR = "\nL'équipe du support technique\n"
_SIGN_EN = "\nThe technical support team\n"

FR = {
    "workspace.mail.documentation.subject": "Votre demande au support : la documentation",
    "workspace.mail.documentation.body": (
        "Bonjour,\n\nComme convenu, la réponse à votre question se trouve dans notre "
        "documentation, au chapitre « {chapter} » :\n{link}\n" + _SIGN_FR),
    "workspace.sms.documentation": "Support : la réponse à votre question est dans notre "
                                   "documentation, chapitre « {chapter} » : {link}",
    "workspace.mail.out_of_scope.subject": "Votre demande au support",
    "workspace.mail.out_of_scope.body": (
        "Bonjour,\n\nVotre demande concerne {topic}, qui ne relève pas de notre support : "
        "voyez votre prestataire informatique, il saura vous aider.\n" + _SIGN_FR),
    "workspace.sms.out_of_scope": "Support : votre demande concerne {topic}, hors de notre "
                                  "champ. Voyez votre prestataire informatique.",
    "workspace.mail.awaiting.subject": "Nous n'avons pas pu vous joindre",
    "workspace.mail.awaiting.body": (
        "Bonjour,\n\nNous avons essayé de vous rappeler {attempts} fois, sans succès. "
        "Rappelez-nous le matin ou prenez rendez-vous pour l'après-midi.\n\n" + _CANCEL_FR
        + _SIGN_FR),
    "workspace.sms.awaiting": "Support : nous n'avons pas pu vous joindre. Rappelez-nous le "
                              "matin. Problème résolu ? {cancel}",
    "workspace.mail.reminder.subject": "Votre demande au support attend votre appel",
    "workspace.mail.reminder.body": (
        "Bonjour,\n\nVotre demande au support est toujours ouverte, mais nous n'avons pas pu "
        "vous joindre. Rappelez-nous le matin ou prenez rendez-vous pour l'après-midi.\n\n"
        + _CANCEL_FR + _SIGN_FR),
    "workspace.sms.reminder": "Support : votre demande attend votre appel. Problème résolu ? "
                              "{cancel}",
    "workspace.mail.closed.subject": "Votre demande au support est close",
    "workspace.mail.closed.body": (
        "Bonjour,\n\nFaute d'avoir pu vous joindre, nous avons clos votre demande. "
        "Rappelez-nous si vous avez encore besoin d'aide.\n" + _SIGN_FR),
    "workspace.sms.closed": "Support : faute de vous joindre, votre demande est close. "
                            "Rappelez-nous si besoin.",
    "workspace.chapter.logiciel": "Le logiciel",
    "workspace.chapter.autres-logiciels": "Les autres logiciels indispensables",
    "workspace.chapter.base-de-donnees": "La base de données",
    "workspace.chapter.services-numeriques": "Services numériques",
    "workspace.chapter.fournisseurs": "Fournisseurs",
    "workspace.chapter.tarifs": "Tarifs",
    "workspace.chapter.commandes": "Commandes",
    "workspace.chapter.comptabilite": "Comptabilité",
    "workspace.chapter.relances": "Relances",
    "workspace.chapter.rappels": "Rappels",
    "workspace.chapter.impressions": "Impressions",
    "workspace.chapter.registres": "Les registres",
    "workspace.chapter.autres-outils": "Autres outils",
    "workspace.chapter.parametrages": "Paramétrages du logiciel",
    "workspace.chapter.partenaires": "Partenaires",
    "workspace.scope.hardware": "le matériel informatique",
    "workspace.scope.windows": "Windows",
    "workspace.scope.antivirus": "l'antivirus ou le pare-feu",
    "workspace.scope.other_software": "un autre logiciel que le nôtre",
}

EN = {
    "workspace.mail.documentation.subject": "Your support request: the documentation",
    "workspace.mail.documentation.body": (
        "Hello,\n\nAs agreed, the answer to your question is in our documentation, chapter "
        "\"{chapter}\":\n{link}\n" + _SIGN_EN),
    "workspace.sms.documentation": "Support: the answer to your question is in our "
                                   "documentation, chapter \"{chapter}\": {link}",
    "workspace.mail.out_of_scope.subject": "Your support request",
    "workspace.mail.out_of_scope.body": (
        "Hello,\n\nYour request is about {topic}, which our support does not cover: please see "
        "your IT provider, who will be able to help.\n" + _SIGN_EN),
    "workspace.sms.out_of_scope": "Support: your request is about {topic}, outside our scope. "
                                  "Please see your IT provider.",
    "workspace.mail.awaiting.subject": "We could not reach you",
    "workspace.mail.awaiting.body": (
        "Hello,\n\nWe tried to call you back {attempts} times, without success. Call us in the "
        "morning or book an afternoon appointment.\n\n" + _CANCEL_EN + _SIGN_EN),
    "workspace.sms.awaiting": "Support: we could not reach you. Call us in the morning. "
                              "Solved? {cancel}",
    "workspace.mail.reminder.subject": "Your support request is waiting for your call",
    "workspace.mail.reminder.body": (
        "Hello,\n\nYour support request is still open, but we could not reach you. Call us in "
        "the morning or book an afternoon appointment.\n\n" + _CANCEL_EN + _SIGN_EN),
    "workspace.sms.reminder": "Support: your request is waiting for your call. Solved? "
                              "{cancel}",
    "workspace.mail.closed.subject": "Your support request is closed",
    "workspace.mail.closed.body": (
        "Hello,\n\nAs we could not reach you, we closed your request. Call us again if you "
        "still need help.\n" + _SIGN_EN),
    "workspace.sms.closed": "Support: we could not reach you, your request is closed. Call "
                            "us if needed.",
    "workspace.chapter.logiciel": "The software",
    "workspace.chapter.autres-logiciels": "Other essential software",
    "workspace.chapter.base-de-donnees": "The database",
    "workspace.chapter.services-numeriques": "Digital services",
    "workspace.chapter.fournisseurs": "Suppliers",
    "workspace.chapter.tarifs": "Prices",
    "workspace.chapter.commandes": "Orders",
    "workspace.chapter.comptabilite": "Accounting",
    "workspace.chapter.relances": "Dunning",
    "workspace.chapter.rappels": "Reminders",
    "workspace.chapter.impressions": "Printing",
    "workspace.chapter.registres": "Registers",
    "workspace.chapter.autres-outils": "Other tools",
    "workspace.chapter.parametrages": "Software settings",
    "workspace.chapter.partenaires": "Partners",
    "workspace.scope.hardware": "computer hardware",
    "workspace.scope.windows": "Windows",
    "workspace.scope.antivirus": "the antivirus or firewall",
    "workspace.scope.other_software": "software other than ours",
}

i18n.register({"fr": FR, "en": EN})
