"""TwiML of an incoming call, built with twilio's VoiceResponse (R1-R3, R5, R9): pure functions.

The conversation: a greeting that depends on the mode (ring the agents live; say that afternoons
are by appointment; say when the hotline opens again), then the voicemail: a notice, a spoken
need captured as text by `<Gather input="speech">`, then a short `<Record>` for name and number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from twilio.twiml.voice_response import Gather, VoiceResponse

from callq import i18n
from callq.calls.greeting import Greeting, prompt_language
from callq.i18n import N_
from callq.status import VersionStatus
from callq.waiting.estimate import Standing, moment_words, place_words
from scheduling.calendar import Mode
from webhooks.prompts import LINK_PROMPTS, gather_language, say_language, spoken_when

RECORD_MAX_SECONDS = 120  # Twilio transcribes nothing longer; a need fits in two minutes
RECORD_SILENCE_SECONDS = 5
GATHER_WAIT_SECONDS = 6  # before the caller starts speaking
# A positive integer, not "auto": "auto" with a speech model raises Twilio warning 13335.
GATHER_END_SILENCE_SECONDS = 3
# Only these versions are worth telling the caller about (R9); a supported one goes unsaid.
# The builders below are pure (their texts are registered once, at import) and take only frozen
# values: every call in one mode and language gets the same document, built once (lru_cache).
_VERSION_PROMPTS = {
    VersionStatus.ON_QUOTE: N_("Your version of the software is supported on quote."),
    VersionStatus.END_OF_SUPPORT: N_("Your version of the software is no longer supported."),
}


@dataclass(frozen=True)
class Speaker:
    """How prompts are spoken: the language of the texts and the text-to-speech voice."""

    lang: str
    voice: str
    # The administrator's wordings in force: the cached documents below are keyed on it, so a
    # reworded prompt is said from the next call on.
    texts: int = field(default_factory=i18n.overrides_generation)

    @property
    def language(self) -> str:
        return say_language(prompt_language(self.lang))

    @property
    def listens_for(self) -> str:
        """The speech-recognition language of the caller."""
        return gather_language(prompt_language(self.lang))

    def say(self, verb: VoiceResponse | Gather, message: str, **values: object) -> None:
        """Append one prompt (a message id) to a response or a gather."""
        text = i18n.gettext(message, prompt_language(self.lang), **values)
        verb.say(text, voice=self.voice or None, language=self.language)


@dataclass(frozen=True)
class Callbacks:
    """Absolute URLs Twilio calls back during the conversation (built from the public URL)."""

    dial_done: str
    gather: str
    standing: str
    record: str
    recording_status: str


@lru_cache(maxsize=256)
def greet(greeting: Greeting, speaker: Speaker, urls: Callbacks, ring_seconds: int) -> str:
    """The first answer to an incoming call, by mode (R1-R3)."""
    response = VoiceResponse()
    speaker.say(response, "Hello, this is technical support.")
    version_prompt = _VERSION_PROMPTS.get(greeting.version)
    if version_prompt:
        speaker.say(response, version_prompt)
    if greeting.mode is Mode.LIVE and greeting.agent_numbers:
        speaker.say(response, "We are looking for a free technician, please hold.")
        dial = response.dial(action=urls.dial_done, method="POST", timeout=ring_seconds)
        for number in greeting.agent_numbers:
            dial.number(number)
        return str(response)
    if greeting.mode is Mode.LIVE:
        speaker.say(response, "All our technicians are busy at the moment.")
    elif greeting.mode is Mode.APPOINTMENTS:
        speaker.say(response, "In the afternoon, support calls back by appointment only.")
        speaker.say(response, LINK_PROMPTS.get(greeting.link_channel, LINK_PROMPTS[None]))
    else:
        _say_closed(response, greeting, speaker)
    _ask_need(response, speaker, urls)
    return str(response)


def _say_closed(response: VoiceResponse, greeting: Greeting, speaker: Speaker) -> None:
    if greeting.holiday:
        speaker.say(response, "Support is closed today: %(holiday)s.", holiday=greeting.holiday)
    else:
        speaker.say(response, "Support is closed.")
    if greeting.next_opening is not None:
        when = spoken_when(greeting.next_opening, speaker.lang)
        speaker.say(response, "We open again %(when)s.", when=when)


@lru_cache(maxsize=256)
def no_agent_answered(speaker: Speaker, urls: Callbacks) -> str:
    """After the agents were rung in vain: the voicemail (R1)."""
    response = VoiceResponse()
    speaker.say(response, "All our technicians are busy at the moment.")
    _ask_need(response, speaker, urls)
    return str(response)


def _ask_need(response: VoiceResponse, speaker: Speaker, urls: Callbacks) -> None:
    speaker.say(response, "Your message will be recorded and transcribed so that we can call you "
                          "back.")
    # actionOnEmptyResult: silence is a message too (vague, R7), so the action always comes.
    gather = response.gather(
        input="speech", language=speaker.listens_for, action=urls.gather, method="POST",
        action_on_empty_result=True, timeout=GATHER_WAIT_SECONDS,
        speech_timeout=GATHER_END_SILENCE_SECONDS,
    )
    speaker.say(gather, "After this message, say in one sentence why you are calling.")


@lru_cache(maxsize=16)
def redirect(url: str) -> str:
    """Go on at `url` at once (Twilio posts the call's parameters there, signed)."""
    response = VoiceResponse()
    response.redirect(url, method="POST")
    return str(response)


@lru_cache(maxsize=256)
def ask_details(speaker: Speaker, urls: Callbacks, standing: Standing | None = None) -> str:
    """After the need: where the caller stands (their place, the probable callback moment),
    then record name and number; the goodbye plays only if nothing was recorded."""
    response = VoiceResponse()
    if standing is not None:
        lang = prompt_language(speaker.lang)
        speaker.say(response, "Thank you.")
        for words in (place_words(standing, lang), moment_words(standing, lang)):
            response.say(words, voice=speaker.voice or None, language=speaker.language)
        speaker.say(response, "After the beep, leave your name and a number to reach you, "
                              "then hang up.")
    else:
        speaker.say(response, "Thank you. After the beep, leave your name and a number to "
                              "reach you, then hang up.")
    response.record(
        action=urls.record, method="POST", max_length=RECORD_MAX_SECONDS, finish_on_key="#",
        play_beep=True, timeout=RECORD_SILENCE_SECONDS, trim="trim-silence",
        recording_status_callback=urls.recording_status,
        recording_status_callback_method="POST", recording_status_callback_event="completed",
    )
    _goodbye(response, speaker)
    return str(response)


@lru_cache(maxsize=256)
def goodbye(speaker: Speaker) -> str:
    """The end of the voicemail."""
    response = VoiceResponse()
    _goodbye(response, speaker)
    return str(response)


def _goodbye(response: VoiceResponse, speaker: Speaker) -> None:
    speaker.say(response, "Your message has been recorded. We will call you back. Goodbye.")
    response.hangup()


@lru_cache(maxsize=256)
def hang_up() -> str:
    """End the call without a word (an agent took it live)."""
    response = VoiceResponse()
    response.hangup()
    return str(response)
