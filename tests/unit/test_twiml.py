"""TwiML of an incoming call (R1-R3, R5, R9): built by twilio's builders, read back as XML."""

import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from callq.status import VersionStatus
from scheduling.calendar import Mode
from webhooks import twiml
from webhooks.prompts import spoken_when

FR = twiml.Speaker(lang="fr", voice="Polly.Lea")
EN = twiml.Speaker(lang="en", voice="Polly.Amy")
URLS = twiml.Callbacks(
    dial_done="https://callq.example.test/twilio/dial-done?lang=fr",
    gather="https://callq.example.test/twilio/gather?lang=fr",
    standing="https://callq.example.test/twilio/standing?lang=fr",
    record="https://callq.example.test/twilio/record?lang=fr",
    recording_status="https://callq.example.test/twilio/recording-status",
)
PARIS = ZoneInfo("Europe/Paris")


def parse(xml: str) -> ET.Element:
    root = ET.fromstring(xml)
    assert root.tag == "Response"
    return root


def said(root: ET.Element) -> list[str]:
    return [say.text or "" for say in root.iter("Say")]


def test_r01_live_mode_rings_every_on_duty_agent_with_the_set_timeout():
    greeting = twiml.Greeting(Mode.LIVE, agent_numbers=("+33612000002", "+33612000003"))
    root = parse(twiml.greet(greeting, FR, URLS, ring_seconds=20))
    assert [child.tag for child in root] == ["Say", "Say", "Dial"]
    dial = root.find("Dial")
    assert dial.attrib["timeout"] == "20"
    assert dial.attrib["action"] == URLS.dial_done and dial.attrib["method"] == "POST"
    assert [n.text for n in dial.findall("Number")] == ["+33612000002", "+33612000003"]
    assert root.find("Gather") is None  # the voicemail comes only if nobody answers


def test_r01_live_mode_without_an_agent_goes_straight_to_the_voicemail():
    root = parse(twiml.greet(twiml.Greeting(Mode.LIVE), FR, URLS, ring_seconds=20))
    assert root.find("Dial") is None
    assert root.find("Gather") is not None
    assert "Nos techniciens sont tous en ligne pour le moment." in said(root)


def test_r01_nobody_answered_the_ring_so_the_caller_leaves_a_message():
    root = parse(twiml.no_agent_answered(FR, URLS))
    assert [child.tag for child in root] == ["Say", "Say", "Gather"]
    assert root.find("Gather").attrib["action"] == URLS.gather


@pytest.mark.parametrize(("channel", "promise"), [
    ("sms", "Nous vous envoyons par SMS un lien pour choisir votre créneau."),
    ("email", "Nous vous envoyons par e-mail un lien pour choisir votre créneau."),
    (None, "Laissez-nous un message\u00a0: nous vous proposerons un rendez-vous."),
])
def test_r02_afternoon_says_by_appointment_promises_the_link_then_offers_a_message(channel,
                                                                                   promise):
    greeting = twiml.Greeting(Mode.APPOINTMENTS, link_channel=channel)
    root = parse(twiml.greet(greeting, FR, URLS, ring_seconds=20))
    texts = said(root)
    assert "L'après-midi, le support rappelle uniquement sur rendez-vous." in texts
    assert promise in texts
    assert root.find("Dial") is None and root.find("Gather") is not None


def test_r03_closed_names_the_next_opening_in_local_words_then_offers_a_message():
    opening = datetime(2026, 3, 30, 9, 0, tzinfo=PARIS)
    greeting = twiml.Greeting(Mode.CLOSED, next_opening=opening)
    root = parse(twiml.greet(greeting, FR, URLS, ring_seconds=20))
    assert "Le support est fermé." in said(root)
    assert "Prochaine ouverture\u00a0: lundi 30 mars à 9\u00a0h\u00a000." in said(root)
    assert root.find("Gather") is not None


def test_r03_closed_on_a_holiday_names_the_holiday():
    greeting = twiml.Greeting(Mode.CLOSED, holiday="Lundi de Pâques",
                              next_opening=datetime(2026, 4, 7, 9, 0, tzinfo=PARIS))
    texts = said(parse(twiml.greet(greeting, FR, URLS, ring_seconds=20)))
    assert "Le support est fermé aujourd'hui\u00a0: Lundi de Pâques." in texts
    assert "Prochaine ouverture\u00a0: mardi 7 avril à 9\u00a0h\u00a000." in texts


def test_r05_the_need_is_gathered_as_french_speech_with_an_action_even_on_silence():
    root = parse(twiml.greet(twiml.Greeting(Mode.CLOSED), FR, URLS, ring_seconds=20))
    gather = root.find("Gather")
    assert gather.attrib["input"] == "speech"
    assert gather.attrib["language"] == "fr-FR"
    assert gather.attrib["actionOnEmptyResult"] == "true"
    assert gather.attrib["action"] == URLS.gather and gather.attrib["method"] == "POST"
    assert int(gather.attrib["speechTimeout"]) > 0  # "auto" raises Twilio warning 13335
    assert [say.text for say in gather.findall("Say")] == [
        "Après ce message, dites en une phrase la raison de votre appel."]
    verbs = [child.tag for child in root]
    notice = said(root).index(
        "Votre message sera enregistré et transcrit pour que nous puissions vous rappeler.")
    assert verbs[-1] == "Gather" and notice < len(said(root)) - 1  # the notice comes first


def test_r05_details_are_recorded_with_a_status_callback_and_a_bounded_length():
    root = parse(twiml.ask_details(FR, URLS))
    assert [child.tag for child in root] == ["Say", "Record", "Say", "Hangup"]
    record = root.find("Record")
    assert record.attrib["action"] == URLS.record and record.attrib["method"] == "POST"
    assert record.attrib["recordingStatusCallback"] == URLS.recording_status
    assert record.attrib["recordingStatusCallbackEvent"] == "completed"
    assert record.attrib["maxLength"] == "120" and record.attrib["finishOnKey"] == "#"
    assert record.attrib["playBeep"] == "true"


def test_r05_goodbye_ends_the_call():
    root = parse(twiml.goodbye(FR))
    assert [child.tag for child in root] == ["Say", "Hangup"]


@pytest.mark.parametrize(("status", "told"), [
    (VersionStatus.ON_QUOTE, "Votre version du logiciel est prise en charge sur devis."),
    (VersionStatus.END_OF_SUPPORT,
     "Votre version du logiciel n'est plus prise en charge par le support."),
])
def test_r09_the_caller_is_told_when_the_version_is_not_fully_supported(status, told):
    root = parse(twiml.greet(twiml.Greeting(Mode.CLOSED, version=status), FR, URLS, 20))
    assert said(root)[1] == told


@pytest.mark.parametrize("status", [VersionStatus.SUPPORTED, VersionStatus.UNKNOWN])
def test_r09_a_supported_or_unknown_version_goes_unsaid(status):
    root = parse(twiml.greet(twiml.Greeting(Mode.CLOSED, version=status), FR, URLS, 20))
    assert not any("version" in text for text in said(root))


def test_every_prompt_uses_the_voice_and_language_of_the_speaker():
    root = parse(twiml.greet(twiml.Greeting(Mode.CLOSED), EN, URLS, ring_seconds=20))
    assert {(s.attrib["voice"], s.attrib["language"]) for s in root.iter("Say")} == {
        ("Polly.Amy", "en-GB")}
    assert root.find("Gather").attrib["language"] == "en-GB"
    assert "Support is closed." in said(root)


def test_special_characters_are_escaped_by_the_builder():
    greeting = twiml.Greeting(Mode.CLOSED, holiday="Fête <du> travail & co")
    root = parse(twiml.greet(greeting, FR, URLS, ring_seconds=20))
    assert "Le support est fermé aujourd'hui\u00a0: Fête <du> travail & co." in said(root)


@pytest.mark.parametrize(("local", "lang", "words"), [
    (datetime(2026, 3, 30, 9, 0), "fr", "lundi 30 mars à 9\u00a0h\u00a000"),
    (datetime(2026, 8, 1, 14, 30), "fr", "samedi 1er août à 14\u00a0h\u00a030"),
    (datetime(2026, 12, 31, 13, 5), "fr", "jeudi 31 décembre à 13\u00a0h\u00a005"),
    (datetime(2026, 3, 30, 9, 0), "en", "Monday 30 March at 9:00"),
    (datetime(2026, 2, 6, 16, 45), "en-GB", "Friday 6 February at 16:45"),
    (datetime(2026, 3, 30, 9, 0), "de", "Montag, 30. März um 9:00 Uhr"),
    (datetime(2026, 2, 6, 16, 45), "de-CH", "Freitag, 6. Februar um 16:45 Uhr"),
])
def test_r03_an_opening_is_said_as_a_person_would_say_it(local, lang, words):
    assert spoken_when(local.replace(tzinfo=PARIS), lang) == words


DE = twiml.Speaker(lang="de", voice="Polly.Vicki")


def test_r05_a_german_caller_hears_german_and_is_heard_as_swiss_german():
    opening = datetime(2026, 3, 30, 9, 0, tzinfo=PARIS)
    root = parse(twiml.greet(twiml.Greeting(Mode.CLOSED, next_opening=opening), DE, URLS,
                             ring_seconds=20))
    says = list(root.iter("Say"))
    assert {(say.attrib["voice"], say.attrib["language"]) for say in says} == {
        ("Polly.Vicki", "de-DE")}
    assert said(root)[:3] == ["Guten Tag, Sie sind mit dem technischen Support verbunden.",
                              "Der Support ist geschlossen.",
                              "Wir sind wieder erreichbar am Montag, 30. März um 9:00 Uhr."]
    assert root.find("Gather").attrib["language"] == "de-CH"
    assert all("ß" not in text for text in said(root))


@pytest.mark.parametrize(("speaker", "say", "gather", "welcome"), [
    (FR, "fr-FR", "fr-FR", "Bonjour, vous êtes bien au support technique."),
    (EN, "en-GB", "en-GB", "Hello, this is technical support."),
    (DE, "de-DE", "de-CH", "Guten Tag, Sie sind mit dem technischen Support verbunden."),
])
def test_r05_every_language_speaks_and_listens_in_its_own_codes(speaker, say, gather, welcome):
    root = parse(twiml.greet(twiml.Greeting(Mode.APPOINTMENTS), speaker, URLS, ring_seconds=20))
    assert {s.attrib["language"] for s in root.iter("Say")} == {say}
    assert root.find("Gather").attrib["language"] == gather
    assert said(root)[0] == welcome
