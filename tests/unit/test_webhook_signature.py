"""The webhooks' own HMAC of a request is Twilio's: the same text signed as twilio's
RequestValidator signs it (which Twilio's servers and every other test use)."""

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from webhooks.signature import compute_signature

TOKEN = "12345-token"
URL = "https://callq.example.test/twilio/gather?lang=fr&x=%C3%A9"


@pytest.mark.parametrize("params", [
    MultiDict(),
    MultiDict([("CallSid", "CA" + "0" * 32), ("From", "+33612345678"),
               ("SpeechResult", "le logiciel plante à l'ouverture d'un dossier")]),
    # a name given twice, values out of order and repeated; names differing by case
    MultiDict([("b", "2"), ("a", "z"), ("b", "1"), ("b", "2"), ("B", "x"), ("a", "")]),
    MultiDict([("Digits", "1#"), ("émoji", "☎ 😀"), ("Empty", "")]),
    # a name that begins another: names are compared whole before any value
    MultiDict([("ab", ""), ("a", "z"), ("a", "b"), ("abc", "a")]),
])
def test_the_signature_is_the_one_twilio_s_validator_computes(params):
    ours = compute_signature(TOKEN.encode(), URL, params)
    assert ours == RequestValidator(TOKEN).compute_signature(URL, params)
    assert compute_signature(b"another-token", URL, params) != ours
