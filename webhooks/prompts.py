"""What the hotline says on the phone, in French and English, and how it says a time aloud."""

from __future__ import annotations

from datetime import datetime

from callq import i18n
from callq.calls.greeting import prompt_language

# Twilio's text-to-speech and speech-recognition language codes of each prompt language.
SPEECH_LANGUAGE = {"fr": "fr-FR", "en": "en-GB"}

_FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")

i18n.register({
    "fr": {
        "voice.welcome": "Bonjour, vous êtes bien au support technique.",
        "voice.live_ringing": "Nous recherchons un technicien disponible, merci de patienter.",
        "voice.live_busy": "Nos techniciens sont tous en ligne pour le moment.",
        "voice.appointments": "L'après-midi, le support rappelle uniquement sur rendez-vous.",
        "voice.link_sms": "Nous vous envoyons par SMS un lien pour choisir votre créneau.",
        "voice.link_email": "Nous vous envoyons par e-mail un lien pour choisir votre créneau.",
        "voice.link_none": "Laissez-nous un message : nous vous proposerons un rendez-vous.",
        "voice.closed": "Le support est fermé.",
        "voice.closed_holiday": "Le support est fermé aujourd'hui : {holiday}.",
        "voice.next_opening": "Prochaine ouverture : {when}.",
        "voice.version_on_quote": "Votre version du logiciel est prise en charge sur devis.",
        "voice.version_end": "Votre version du logiciel n'est plus prise en charge par le "
                             "support.",
        "voice.notice": "Votre message sera enregistré et transcrit pour que nous puissions "
                        "vous rappeler.",
        "voice.ask_need": "Après ce message, dites en une phrase la raison de votre appel.",
        "voice.ask_details": "Merci. Après le bip, laissez votre nom et le numéro où vous "
                             "joindre, puis raccrochez.",
        "voice.goodbye": "Votre message est bien enregistré. Nous vous rappellerons. Au revoir.",
        "voice.sms_link": "Support : choisissez votre créneau de rappel ici : {link}",
        "voice.email_subject": "Choisir un créneau de rappel avec le support",
        "voice.email_text": "Bonjour,\n\nVous avez appelé le support cet après-midi. L'après-midi, "
                            "nous rappelons sur rendez-vous : choisissez votre créneau ici :\n"
                            "{link}\n\nLe support technique",
    },
    "en": {
        "voice.welcome": "Hello, this is technical support.",
        "voice.live_ringing": "We are looking for a free technician, please hold.",
        "voice.live_busy": "All our technicians are busy at the moment.",
        "voice.appointments": "In the afternoon, support calls back by appointment only.",
        "voice.link_sms": "We are texting you a link to choose your slot.",
        "voice.link_email": "We are emailing you a link to choose your slot.",
        "voice.link_none": "Leave us a message and we will offer you an appointment.",
        "voice.closed": "Support is closed.",
        "voice.closed_holiday": "Support is closed today: {holiday}.",
        "voice.next_opening": "We open again {when}.",
        "voice.version_on_quote": "Your version of the software is supported on quote.",
        "voice.version_end": "Your version of the software is no longer supported.",
        "voice.notice": "Your message will be recorded and transcribed so that we can call "
                        "you back.",
        "voice.ask_need": "After this message, say in one sentence why you are calling.",
        "voice.ask_details": "Thank you. After the beep, leave your name and a number to reach "
                             "you, then hang up.",
        "voice.goodbye": "Your message has been recorded. We will call you back. Goodbye.",
        "voice.sms_link": "Support: choose your callback slot here: {link}",
        "voice.email_subject": "Choose a callback slot with support",
        "voice.email_text": "Hello,\n\nYou called support this afternoon. In the afternoon we "
                            "call back by appointment: choose your slot here:\n{link}\n\n"
                            "Technical support",
    },
})


def spoken_when(local: datetime, lang: str) -> str:
    """A local instant as said on the phone: "lundi 30 mars à 9 h 00", "Monday 30 March at 9:00"."""
    if prompt_language(lang) == "en":
        day = f"{_EN_DAYS[local.weekday()]} {local.day} {_EN_MONTHS[local.month - 1]}"
        return f"{day} at {local.hour}:{local.minute:02d}"
    day = f"{_FR_DAYS[local.weekday()]} {local.day} {_FR_MONTHS[local.month - 1]}"
    return f"{day} à {local.hour} h {local.minute:02d}"
