"""R6 (presumed urgency) and R7 (no stated need) on realistic French voicemail transcripts."""

from __future__ import annotations

import json

import pytest

from callq.status import Tier
from callq.waiting.classify import (
    DEFAULT_LEXICON,
    LEXICONS,
    Classification,
    Lexicon,
    classify,
    lexicon_from_mapping,
    need_words,
    normalize,
)
from callq.waiting.explain import explain
from callq.waiting.labels import tier_label
from callq.waiting.lexicon import lexicon_to_mapping

VAGUE_MESSAGES = [
    "Rappelez-moi",
    "rappelez moi",
    "Bonjour c'est Madame Durand, rappelez-moi au 06 12 34 56 78 merci",
    "bonjour c est madame durand rappelez moi au zero six douze trente quatre",
    "Oui bonjour, c'est le docteur Martin de la clinique des Lilas, pouvez-vous me rappeler "
    "s'il vous plaît, merci, au revoir",
    "C'est urgent, rappelez-moi vite !",
    "C'est encore moi, j'ai déjà appelé ce matin, toujours pas de rappel",
    "M. Dupont, 06 12 34 56 78",
    "Bonjour, je m'appelle Sophie Bernard, au 0612345678",
    "J'ai un petit souci, rappelez-moi",
    "Bonjour, M. Dupont de la clinique du Parc à Lyon, merci de me rappeler",
    "euh...",
]


@pytest.mark.parametrize("text", VAGUE_MESSAGES)
def test_r07_callback_request_without_need_is_vague(text: str) -> None:
    c = classify(text)
    assert c.vague
    assert c.tier is Tier.LOW
    assert c.rule.startswith("vague:")


@pytest.mark.parametrize(
    ("text", "seconds", "rule"),
    [
        (None, None, "vague:empty"),
        ("", 40, "vague:empty"),
        ("   \n ", None, "vague:empty"),
        (None, 2, "vague:short_recording"),
        ("", 0, "vague:short_recording"),
        ("Rappelez-moi, merci", 5, "vague:filler_only"),
        ("06 12 34 56 78", 5, "vague:filler_only"),
        ("J'ai un souci avec la compta, rappelez-moi", 8, "vague:too_short"),
    ],
)
def test_r07_vague_message_names_the_rule_that_decided(
    text: str | None, seconds: int | None, rule: str
) -> None:
    assert classify(text, recording_seconds=seconds).rule == rule


def test_r07_short_recording_with_transcribed_need_is_judged_on_its_words() -> None:
    c = classify("Serveur en panne", recording_seconds=2)
    assert not c.vague
    assert c.tier is Tier.CRITICAL


def test_r07_min_recording_seconds_is_a_setting() -> None:
    assert classify(None, recording_seconds=4, min_recording_seconds=5).rule == (
        "vague:short_recording"
    )
    assert classify(None, recording_seconds=4, min_recording_seconds=3).rule == "vague:empty"


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, c'est Durand, le serveur est en panne, rappelez-moi",
        "Madame Durand, rappelez-moi au 06 12 34 56 78, impossible de facturer depuis ce matin",
    ],
)
def test_r07_name_and_callback_request_around_a_need_are_not_vague(text: str) -> None:
    c = classify(text)
    assert not c.vague
    assert c.tier is Tier.CRITICAL


@pytest.mark.parametrize(
    ("text", "tier", "matched"),
    [
        ("Le serveur est en panne depuis ce matin", Tier.CRITICAL, "serveur … en panne"),
        ("Le serveur de la clinique est en panne", Tier.CRITICAL,
         "serveur … en panne"),
        ("IMPOSSIBLE DE FACTURER", Tier.CRITICAL, "impossible de … facturer"),
        ("impossible de faire les factures depuis la mise à jour", Tier.CRITICAL,
         "impossible de faire … factures"),
        ("la facturation est BLOQUÉE", Tier.CRITICAL, "facturation … bloqué"),
        ("Les ordonnances sont bloquées à l'accueil", Tier.CRITICAL, "ordonnance … bloqué"),
        ("Plus rien ne marche à l'accueil", Tier.CRITICAL, "plus rien ne marche"),
        ("On a une perte de données sur les dossiers clients", Tier.CRITICAL, "perte de données"),
        ("Le logiciel ne démarre plus sur le poste de l'accueil", Tier.HIGH, "sur le poste"),
        ("j'ai un message d'erreur quand j'imprime les ordonnances", Tier.HIGH,
         "message d'erreur"),
        ("ça plante quand j'ouvre l'agenda", Tier.HIGH, "ça plante"),
        ("L'imprimante des étiquettes est en panne", Tier.HIGH, "en panne"),
        ("Les relances clients ne partent plus depuis lundi", Tier.HIGH, "partir plus"),
        ("les ordonnances ne s'impriment plus", Tier.HIGH, "imprimer plus"),
        ("c'est très lent depuis la mise à jour", Tier.MEDIUM, "lent"),
        ("j'ai fait une erreur de saisie sur une facture", Tier.MEDIUM, "erreur de saisie"),
        ("je passe par un contournement pour imprimer les relances", Tier.MEDIUM,
         "contournement"),
    ],
)
def test_r06_stated_urgency_sets_the_tier(text: str, tier: Tier, matched: str) -> None:
    c = classify(text)
    assert (c.vague, c.tier, c.rule) == (False, tier, f"tier:{tier.value}")
    assert matched in c.matched


@pytest.mark.parametrize(
    "text",
    [
        "Comment fonctionnent les factures ?",
        "Question sur les rappels vaccins par SMS",
        "Je voudrais changer de serveur le mois prochain",
        "Je ne sais plus comment on fait les relances",
        "C'est très urgent, c'est pour le tarif des vaccins",
    ],
)
def test_r06_need_without_urgency_is_low_by_default(text: str) -> None:
    c = classify(text)
    assert (c.vague, c.tier, c.matched, c.rule) == (False, Tier.LOW, (), "tier:default_low")


def test_r06_server_down_is_critical_whatever_accents_and_capitals() -> None:
    spoken = ["Le serveur est en panne", "LE SERVEUR EST EN PANNE", "le Serveur est en Panne"]
    assert {classify(text).tier for text in spoken} == {Tier.CRITICAL}


def test_r06_phrase_matches_whole_words_only() -> None:
    # "débloqué" says the problem is gone: it must not read as "bloqué".
    c = classify("La facturation est débloquée, merci, c'était pour vous prévenir")
    assert c.tier is Tier.LOW
    assert "bloqué" not in c.matched


def test_r06_most_urgent_phrase_of_the_message_wins() -> None:
    c = classify("J'ai une erreur sur l'écran des rappels et maintenant plus rien ne fonctionne")
    assert c.tier is Tier.CRITICAL
    assert c.matched == ("plus rien ne fonctionne",)


def test_r06_longer_overlapping_phrase_decides_over_the_word_inside_it() -> None:
    # "erreur de saisie" is a workaround case; the bare "erreur" inside it must not lift it to high.
    assert classify("Erreur de saisie sur la facture du chien Rex").tier is Tier.MEDIUM


def test_r06_literal_phrase_is_the_reason_rather_than_a_pattern_with_a_gap() -> None:
    assert classify("Le dossier du chat ne s'ouvre plus").matched == ("ouvrir plus",)


def test_r06_pressure_words_alone_never_raise_the_tier() -> None:
    calm = classify("Question sur le tarif des rappels vaccins")
    pushed = classify("Question urgente sur le tarif des rappels vaccins, au plus vite !")
    assert calm.tier is pushed.tier is Tier.LOW


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Écran FIGÉ, l'œil !", "ecran fige l oeil"),
        ("  ça   plante...\n", "ca plante"),
        ("Rappelez-moi au 06.12.34.56.78", "rappelez moi au 06 12 34 56 78"),
    ],
)
def test_r06_normalize_ignores_case_accents_and_punctuation(raw: str, normalized: str) -> None:
    assert normalize(raw) == normalized


def test_r07_need_words_drop_greetings_names_numbers_and_filler() -> None:
    words = need_words("Bonjour, c'est Madame Durand au 06 12 34 56 78, les relances SMS partent")
    assert words == ("relance", "sms", "partir")  # lemmas


@pytest.mark.parametrize(
    ("c", "fr", "en"),
    [
        (Classification(False, Tier.CRITICAL, ("serveur … en panne",), "tier:critical"),
         "Urgence critique : « serveur … en panne »", 'Critical urgency: “serveur … en panne”'),
        (Classification(True, Tier.LOW, ("rappelez-moi",), "vague:filler_only"),
         "Message sans besoin exprimé (« rappelez-moi » seulement)",
         'No stated need (“rappelez-moi” only)'),
        (Classification(True, Tier.LOW, (), "vague:filler_only"),
         "Message sans besoin exprimé (nom ou numéro seulement)",
         "No stated need (name or number only)"),
        (Classification(True, Tier.LOW, (), "vague:short_recording"),
         "Enregistrement trop court pour contenir un besoin",
         "Recording too short to hold a need"),
        (Classification(False, Tier.LOW, (), "tier:default_low"),
         "Urgence basse : aucun signe d'urgence dans le besoin exprimé",
         "Low urgency: no sign of urgency in the stated need"),
    ],
)
def test_r06_r07_explain_says_why_in_french_and_english(
    c: Classification, fr: str, en: str
) -> None:
    assert _plain(explain(c, "fr")) == fr  # French typography: no-break spaces, see _plain
    assert explain(c, "en") == en


def test_r07_explain_quotes_the_filler_actually_heard() -> None:
    c = classify("Bonjour, rappelez-moi")
    assert _plain(explain(c, "fr")) == ("Message sans besoin exprimé (« bonjour », "
                                        "« rappelez-moi » seulement)")


def test_r06_explain_says_which_lexicon_read_a_german_need() -> None:
    c = Classification(False, Tier.HIGH, ("blockiert",), "tier:high", ("painful_workaround",),
                       "de")
    assert explain(c, "en") == ("High urgency: \u201cblockiert\u201d (painful workaround: high), "
                                "read with the German lexicon")
    assert "lexique allemand" in explain(c, "fr")


def _plain(text: str) -> str:
    """French text with its no-break spaces as plain ones (typography is tested with i18n)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_r06_tier_labels_are_distinct_per_language() -> None:
    for lang in ("fr", "en"):
        assert len({tier_label(t, lang) for t in Tier}) == len(Tier)
    assert tier_label(Tier.HIGH, "fr") == "Urgence haute"


@pytest.mark.parametrize("lexicon", [DEFAULT_LEXICON, LEXICONS["de"]])
def test_r06_built_in_lexicons_survive_a_json_round_trip(lexicon: Lexicon) -> None:
    as_json = json.loads(json.dumps(lexicon_to_mapping(lexicon)))
    assert lexicon_from_mapping(as_json) == lexicon


def test_r06_configured_lexicon_drives_classification() -> None:
    lexicon = lexicon_from_mapping(
        {"critical": ["ordonnances … ne sortent plus"], "high": [], "medium": [],
         "vague": ["rappelez-moi"], "min_need_words": 1}
    )
    assert classify("Les ordonnances ne sortent plus", lexicon=lexicon).tier is Tier.CRITICAL
    assert classify("Le serveur est en panne", lexicon=lexicon).tier is Tier.LOW
    assert not classify("la TVA, rappelez-moi", lexicon=lexicon).vague


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"critical": [], "high": [], "medium": []}, "missing key 'vague'"),
        ({"critical": [], "high": [], "medium": [], "vague": [], "hight": []}, "unknown keys"),
        ({"critical": "bloqué", "high": [], "medium": [], "vague": []}, "list of phrases"),
        ({"critical": [""], "high": [], "medium": [], "vague": []}, "empty or non-text"),
        ({"critical": ["…"], "high": [], "medium": [], "vague": []}, "empty or non-text"),
        ({"critical": [3], "high": [], "medium": [], "vague": []}, "empty or non-text"),
        ({"critical": [], "high": [], "medium": [], "vague": [], "min_need_words": 0},
         "min_need_words"),
        ({"critical": [], "high": [], "medium": [], "vague": [], "min_need_words": True},
         "min_need_words"),
    ],
)
def test_r06_bad_lexicon_file_is_refused_with_a_clear_reason(data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        lexicon_from_mapping(data)
