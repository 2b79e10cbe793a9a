"""R6-R8 on the phenomena of issue 16: workarounds, negation, scope, data loss, chasing,
content-free requests, lemmas, synonyms, and the German lexicon."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from callq.status import Tier
from callq.waiting.classify import LEXICONS, classify, lexicon_for, read_need, rules_and_signs
from callq.waiting.evaluation import CORPUS, evaluate, load
from callq.waiting.explain import explain
from callq.waiting.lexicon import Lexicon, lexicons_from_mapping
from callq.waiting.needs import (
    WEIGHED_RULES,
    Judgement,
    judge,
    pair_signs,
    same_need,
    subject,
)
from callq.waiting.pair_weights import PAIR_WEIGHTS

GERMAN = LEXICONS["de"]


def read_by(verdict: Judgement) -> str:
    """What read a pair: "said" when a rule read what the second need says of itself, whether
    it decided or, one of WEIGHED_RULES, was weighed among the signs; else "vague" or
    "weights"."""
    return "said" if verdict.by == "said" or verdict.rule in WEIGHED_RULES else verdict.by


def judged(existing: str, new: str, lexicon: Lexicon = LEXICONS["fr"]) -> bool:
    """Whether `new` joins `existing`'s entry, both classified as the waiting room does."""
    return same_need(existing, new, existing_vague=classify(existing, lexicon=lexicon).vague,
                     new_vague=classify(new, lexicon=lexicon).vague, lexicon=lexicon)


def test_r06_a_painful_workaround_makes_a_blocked_process_high_not_critical() -> None:
    c = classify("la caisse est bloquée, on note les paiements sur un carnet en attendant")
    assert (c.tier, c.readings) == (Tier.HIGH, ("painful_workaround",))
    assert "sur un carnet" in c.matched
    assert "contournement pénible" in explain(c, "fr")


@pytest.mark.parametrize(("said", "plain"), [
    ("le logiciel ne s'ouvre carrément plus sur aucun poste",
     "le logiciel ne s'ouvre plus sur aucun poste"),
    ("la caisse ne fonctionne absolument plus depuis ce matin",
     "la caisse ne fonctionne plus depuis ce matin"),
    ("ce n'est pas vraiment bloquant, l'export est lent",
     "ce n'est pas bloquant, l'export est lent"),
])
def test_r06_an_intensifier_inside_a_phrase_does_not_hide_it(said: str, plain: str) -> None:
    assert classify(said).tier is classify(plain).tier is not None
    assert classify("la caisse est complètement figée").tier is Tier.CRITICAL  # still a phrase


def test_r06_an_intensifier_does_not_hide_a_german_phrase_either() -> None:
    assert classify("Der Drucker druckt wirklich nicht mehr", lexicon=GERMAN).tier is Tier.HIGH


@pytest.mark.parametrize("text", [
    "alors je vous explique ce matin on a allumé et tout le planning des leçons a disparu",
    "alors on a ouvert ce matin et la liste des rendez-vous est vide toute la semaine a disparu",
])
def test_r06_a_workaround_cue_told_before_any_failure_is_the_story_not_a_workaround(
        text: str) -> None:
    c = classify(text)
    assert (c.tier, c.readings) == (Tier.CRITICAL, ("data_loss",))


def test_r06_a_workaround_cue_followed_by_what_nobody_can_do_is_the_failure_s_consequence(
        ) -> None:
    failing = "le logiciel se ferme tout seul sur tous les comptoirs"
    assert classify(failing + " du coup on sert personne depuis ce matin").tier is Tier.CRITICAL
    coping = classify(failing + " du coup on passe par la tablette")
    assert (coping.tier, coping.readings[-1]) == (Tier.HIGH, "workaround")


@pytest.mark.parametrize("text", [
    "le logiciel reste sur le sablier sur tous les ordinateurs depuis une heure",
    "le logiciel reste sur l'écran de chargement sur tous nos comptoirs",
    "les 4 comptoirs affichent connexion perdue avec le serveur",
    "au lancement il dit serveur introuvable sur les 4 postes",
])
def test_r06_the_whole_software_hanging_or_without_its_server_is_critical(text: str) -> None:
    assert classify(text).tier is Tier.CRITICAL
    one = classify("le logiciel reste sur le sablier sur le poste de l'accueil les autres marchent")
    assert one.tier is Tier.HIGH  # one workstation of several


def test_r06_a_workaround_that_exists_takes_a_failure_one_tier_down() -> None:
    c = classify("l'envoi des relances ne marche pas, je les imprime en attendant")
    assert (c.tier, c.readings) == (Tier.MEDIUM, ("workaround",))
    assert classify("l'envoi des relances ne marche pas").tier is Tier.HIGH


def test_r06_fixing_by_hand_each_time_is_a_workaround_but_doing_it_all_by_hand_is_painful() -> None:
    assert classify("le taux de tva est faux, on les corrige à la main").tier is Tier.MEDIUM
    assert classify("la facturation est bloquée, on fait les factures à la main").tier is Tier.HIGH


def test_r06_intermittent_failure_is_one_tier_down() -> None:
    c = classify("le logiciel plante de temps en temps quand on ouvre les radios")
    assert (c.tier, c.readings) == (Tier.MEDIUM, ("intermittent",))


@pytest.mark.parametrize("text", [
    "ce n'est pas bloquant mais le libellé des écritures est coupé",
    "le serveur n'est pas en panne, je voudrais savoir comment faire une sauvegarde",
    "le problème de facturation est réglé, ce n'est plus bloqué",
])
def test_r06_a_denied_severity_is_low(text: str) -> None:
    c = classify(text)
    assert (c.vague, c.tier, c.rule, c.readings) == (False, Tier.LOW, "tier:low", ("denied",))


def test_r06_the_negation_of_another_failure_denies_nothing() -> None:
    # The "pas" belongs to "ne s'envoie pas": the error that follows is not denied.
    assert classify("la déclaration de tva ne s'envoie pas, message d'erreur").tier is Tier.HIGH


def test_r06_one_workstation_takes_a_critical_failure_down_to_high() -> None:
    assert classify("le logiciel ne démarre plus").tier is Tier.CRITICAL
    c = classify("le logiciel ne démarre plus sur le poste de la secrétaire")
    assert (c.tier, c.readings) == (Tier.HIGH, ("one_station",))


def test_r06_every_workstation_takes_a_failure_up_to_critical() -> None:
    assert classify("le logiciel plante quand on ouvre un dossier").tier is Tier.HIGH
    c = classify("le logiciel plante quand on ouvre un dossier, sur tous les postes")
    assert (c.tier, c.readings) == (Tier.CRITICAL, ("all_stations",))


@pytest.mark.parametrize("text", [
    "des fiches clients ont disparu depuis hier",
    "toutes les séances de janvier ont été effacées de l'historique",
    "l'agenda est vide, on a perdu tous les rendez-vous",
])
def test_r06_lost_data_is_critical_without_a_listed_phrase(text: str) -> None:
    c = classify(text)
    assert (c.tier, c.readings) == (Tier.CRITICAL, ("data_loss",))


def test_r06_losing_what_is_not_data_is_no_data_loss() -> None:
    assert classify("l'icône du logiciel a disparu du bureau, je le lance depuis le menu").tier \
        is not Tier.CRITICAL


def test_r06_lemmas_match_every_form_of_a_phrase() -> None:
    forms = ["les étiquettes ne s'impriment plus", "l'étiquette ne s'imprime plus",
             "les étiquettes s'imprimaient plus"]
    assert {classify(text).tier for text in forms} == {Tier.HIGH}


@pytest.mark.parametrize("text", [
    "c'est pour mon dossier en cours, merci de me rappeler",
    "je souhaiterais qu'un technicien me contacte",
    "bonjour l'étude duval voudrait être rappelée",
])
def test_r07_a_content_free_request_is_vague(text: str) -> None:
    assert classify(text).vague


@pytest.mark.parametrize("text", [
    "je voudrais savoir où vous en êtes",
    "ça fait trois jours que j'attends",
    "bonjour personne ne m'a rappelé depuis vendredi",
])
def test_r07_chasing_an_answer_is_vague_and_says_so(text: str) -> None:
    c = classify(text)
    assert (c.vague, c.rule) == (True, "vague:chasing")
    assert explain(c, "fr").startswith("Relance sans nouveau besoin")


@pytest.mark.parametrize("chase", ["je voudrais savoir où vous en êtes",
                                   "ça fait trois jours que j'attends"])
def test_r08_chasing_after_a_stated_need_is_the_same_need(chase: str) -> None:
    assert judged("le logiciel plante quand j'ouvre un dossier", chase)


@pytest.mark.parametrize(("first", "second"), [
    ("le tpe ne marche plus avec la caisse", "le terminal de carte ne fonctionne toujours pas"),
    ("le planning ne s'affiche plus", "l'agenda des consultations est toujours vide à l'écran"),
])
def test_r08_synonyms_are_one_need(first: str, second: str) -> None:
    assert judged(first, second) and judged(second, first)
    assert subject(first) & subject(second)


def test_r08_a_subject_holding_the_other_decides_half_of_it_is_weighed() -> None:
    whole = judge("le tpe ne marche plus avec la caisse", "le terminal de carte ne fonctionne "
                  "toujours pas", existing_vague=False, new_vague=False)
    assert (whole.same, read_by(whole)) == (True, "said")
    # "dossier" shared, "patient" and "consultation" not: a sign among the others, not a rule
    half = judge("les dossiers patients s'ouvrent plus", "quand j'ouvre un dossier la consultation "
                 "se ferme toute seule", existing_vague=False, new_vague=False)
    assert half.signs is not None
    assert (half.by, half.signs["same_subject"]) == ("weights", 1.0)


def test_r06_german_needs_are_read_with_the_german_lexicon_and_the_explanation_says_so() -> None:
    c = classify("Grüezi, der Server ist abgestürzt, nichts geht mehr", lexicon=GERMAN)
    assert (c.vague, c.tier, c.language) == (False, Tier.CRITICAL, "de")
    assert explain(c, "fr").endswith(", lu avec le lexique allemand")
    assert explain(c, "en").endswith(", read with the German lexicon")
    assert classify("Der Drucker druckt nicht mehr", lexicon=GERMAN).tier is Tier.HIGH
    assert classify("Das Programm ist manchmal langsam", lexicon=GERMAN).tier is Tier.MEDIUM


@pytest.mark.parametrize("text", ["Grüezi, bitte rufen Sie mich zurück, danke",
                                  "Hallo, hier ist Frau Keller, meine Nummer ist 031 123 45 67"])
def test_r07_german_callback_requests_are_vague(text: str) -> None:
    assert classify(text, lexicon=GERMAN).vague


def test_r06_the_lexicon_follows_the_language_and_french_comes_first() -> None:
    assert lexicon_for("de-CH") is GERMAN
    assert lexicon_for("fr") is lexicon_for("it") is lexicon_for(None) is LEXICONS["fr"]


def test_r06_a_lexicon_file_may_replace_one_language_and_keep_the_others() -> None:
    data = {"de": {"critical": ["Kasse … kaputt"], "high": [], "medium": [], "vague": []}}
    lexicons = lexicons_from_mapping(data, LEXICONS)
    assert lexicons["fr"] is LEXICONS["fr"]
    assert classify("Die Kasse ist kaputt", lexicon=lexicons["de"]).tier is Tier.CRITICAL
    with pytest.raises(ValueError, match="language code"):
        lexicons_from_mapping({"xx": {}}, LEXICONS)


def test_r06_r07_r08_the_corpus_is_read_whole_and_its_split_is_two_thirds_one_third() -> None:
    corpus = load(CORPUS)
    sizes = {part: len(rows) for part, rows in corpus.items()}
    assert sizes == {"messages": 11451, "pairs": 21578, "chasing": 189}
    for part, rows in corpus.items():
        held_out = sum(row.split == "heldout" for row in rows)
        # About a third: a little more for messages, where the fresh blind batches measured at
        # arrival (ab, ac, af, ag, bc, bg, bo, bt) joined the held-out part; a little less for
        # pairs, where fresh blind batches written to tune on (ai, am, aq, at, av, ax, ay, be,
        # bh, bi, bm, bn, br, bs, bv, bw) joined the development part; beside the 4,950
        # development pairs of ey-gz and ha, 2,100 held-out ones (ga-gf, hb-hj) joined, and
        # the 300 held-out messages of hl and hm beside 1,200 development ones.
        assert 0.30 < held_out / sizes[part] < 0.38, part
    figures = evaluate(corpus, "dev")
    assert figures.messages == sizes["messages"] - sum(
        row.split == "heldout" for row in corpus["messages"])


@pytest.mark.parametrize("text", [
    "nous sommes bloqués depuis midi",
    "la caisse du comptoir est bloquée",
    "le planning est bloqué ce matin",
    "le système est bloqué",
])
def test_r06_the_site_the_system_or_a_vital_process_blocked_is_critical(text: str) -> None:
    assert classify(text).tier is Tier.CRITICAL


@pytest.mark.parametrize("text", [
    "l'envoi des newsletters est bloqué",
    "le module des statistiques est bloqué depuis hier",
])
def test_r06_another_function_blocked_is_high_not_critical(text: str) -> None:
    c = classify(text)
    assert (c.tier, c.matched) == (Tier.HIGH, ("bloqué",))
    assert explain(c, "fr").startswith("Urgence haute") and "bloqué" in explain(c, "fr")


@pytest.mark.parametrize("text", [
    "le serveur est hs depuis la nuit",
    "tout le système est down",
    "le logiciel est en rade",
    "le logiciel est inutilisable",
    "le logiciel refuse de démarrer",
    "le logiciel veut plus démarrer",
])
def test_r06_common_ways_of_saying_the_system_is_down_are_critical(text: str) -> None:
    assert classify(text).tier is Tier.CRITICAL


def test_r06_out_of_order_said_of_a_device_is_high() -> None:
    assert classify("l'étiqueteuse est hs").tier is Tier.HIGH
    assert classify("le scanner est en rade").tier is Tier.HIGH


def test_r06_a_failure_said_with_aucun_is_a_failure_and_on_every_workstation_critical() -> None:
    assert classify("aucune imprimante ne fonctionne").tier is Tier.HIGH
    c = classify("aucun ordinateur ne démarre à l'accueil")
    assert (c.tier, c.readings) == (Tier.CRITICAL, ("all_stations",))


@pytest.mark.parametrize("text", [
    "on ne peut plus faire aucune facture",
    "impossible de faire les ventes du jour",
    "aucun encaissement possible depuis ce matin",
])
def test_r06_not_being_able_to_make_the_vital_work_is_critical(text: str) -> None:
    assert classify(text).tier is Tier.CRITICAL


def test_r06_a_negation_that_closes_another_failure_denies_nothing() -> None:
    # The "pas" ends "ne se lance pas": it does not deny the error that follows it.
    c = classify("le logiciel ne se lance pas erreur au démarrage")
    assert (c.tier, c.readings) == (Tier.CRITICAL, ())
    assert classify("le serveur n'est pas en panne, c'est une question").tier is Tier.LOW


def test_r06_paper_as_the_way_of_working_is_painful_but_the_word_alone_is_not() -> None:
    c = classify("le logiciel est planté, on travaille sur papier")
    assert (c.tier, c.readings) == (Tier.HIGH, ("painful_workaround",))
    assert classify("la papeterie papier et compagnie: le serveur est hs").tier is Tier.CRITICAL


def test_r06_a_workaround_named_with_leur_is_a_workaround() -> None:
    c = classify("les reçus ne partent plus par sms, on leur donne le ticket")
    assert (c.tier, c.readings) == (Tier.MEDIUM, ("workaround",))


def test_r06_losing_what_was_being_typed_in_a_crash_is_high_not_data_loss() -> None:
    c = classify("ça plante à la validation du devis et on perd ce qu'on a saisi")
    assert (c.tier, c.readings) == (Tier.HIGH, ())
    assert classify("on a perdu les devis de la semaine").tier is Tier.CRITICAL


def test_r06_data_said_not_to_be_lost_is_low() -> None:
    c = classify("on n'a rien perdu mais comment on restaure une sauvegarde")
    assert (c.tier, c.readings) == (Tier.LOW, ("denied",))


@pytest.mark.parametrize("text", [
    "Die Daten werden nicht gelöscht, aber wie exportiere ich sie?",
    "Es sind keine Daten verloren, wie stelle ich die Sicherung wieder her?",
    "Kein Datenverlust, nur eine Frage zum Export",
])
def test_r06_german_data_said_not_to_be_lost_is_low_as_in_french(text: str) -> None:
    c = classify(text, lexicon=GERMAN)
    assert (c.tier, c.readings) == (Tier.LOW, ("denied",))
    assert classify("Die Daten werden gelöscht", lexicon=GERMAN).tier is Tier.CRITICAL


@pytest.mark.parametrize("text", [
    "bonjour librairie page blanche je voudrais savoir comment on crée une carte de fidélité",
    "salon coupe et couleur bonjour comment on ajoute une nouvelle prestation",
    "c'est le salon de coiffure tendance coupe euh comment on modifie un ticket de caisse",
])
def test_r06_a_business_name_sets_no_severity(text: str) -> None:
    c = classify(text)
    assert (c.vague, c.tier, c.matched) == (False, Tier.LOW, ())


def test_r06_the_words_of_a_name_told_as_the_need_keep_their_weight() -> None:
    assert classify("bonjour on a une page blanche au démarrage du logiciel").tier is Tier.HIGH
    assert classify("bonjour librairie page blanche on a une page blanche au démarrage du "
                    "logiciel").tier is Tier.HIGH


@pytest.mark.parametrize(("text", "tier"), [
    # Not closed by "le", "je", "bonjour"... within five words: the failure may follow the name.
    ("garage martin page blanche au démarrage du logiciel", Tier.HIGH),
    # A subject comes first: no name ("imprimante").
    ("pharmacie imprimante en panne", Tier.HIGH),
    # Closed by a sign of severity: the name is "comptable bernard", the failure is read.
    ("cabinet comptable bernard impossible d'envoyer les déclarations", Tier.HIGH),
])
def test_r06_a_business_name_never_hides_the_failure_after_it(text: str, tier: Tier) -> None:
    assert classify(text).tier is tier


def test_r06_an_intensifier_of_two_words_hides_no_failure() -> None:
    said = classify("la facturation se lance tout simplement plus")
    assert (said.tier, said.matched) == (Tier.HIGH, ("lancer plus",))
    # "tout" alone is no intensifier: "sur tous les postes" keeps its scope.
    assert classify("sur tous les postes le logiciel se ferme").readings == ("all_stations",)


@pytest.mark.parametrize(("text", "tier"), [
    ("plus aucun ordinateur arrive à ouvrir l'agenda", Tier.CRITICAL),  # every workstation
    ("plus aucune imprimante arrive à sortir les étiquettes", Tier.HIGH),
    ("il y a plus aucun souci on arrive à imprimer", Tier.LOW),  # a reassurance, no failure
    ("plus aucun souci avec l'imprimante mais les factures ne partent plus", Tier.HIGH),
])
def test_r06_none_of_them_can_any_more_is_cannot_any_more(text: str, tier: Tier) -> None:
    assert classify(text).tier is tier


def test_r06_what_is_no_longer_there_is_lost_and_more_than_is_not() -> None:
    lost = classify("depuis la mise à jour il y a plus les rendez-vous de la semaine")
    assert (lost.tier, lost.readings) == (Tier.CRITICAL, ("data_loss",))
    assert classify("il y a plus de dix rendez-vous en attente de validation dans l'agenda"
                    ).tier is Tier.LOW


def test_r07_a_big_problem_without_its_subject_is_vague() -> None:
    assert classify("bonjour on a un gros souci rappelez nous").vague


def test_r06_data_lost_a_few_words_from_what_was_lost_is_critical() -> None:
    c = classify("des fiches clients créées la semaine dernière ont disparu")
    assert (c.tier, c.readings) == (Tier.CRITICAL, ("data_loss",))


def test_r06_what_comes_out_empty_is_a_broken_function_not_lost_data() -> None:
    assert classify("l'export comptable sort vide depuis la mise à jour").tier is Tier.HIGH


def test_r06_the_other_workstations_working_says_where_it_fails_not_a_workaround() -> None:
    c = classify("la caisse ne marche plus sur le poste du fond les autres postes marchent")
    assert (c.tier, c.readings) == (Tier.HIGH, ("one_station",))


@pytest.mark.parametrize("text", [
    "comment je le rajoute dans le planning",
    "est-ce qu'on peut exporter le grand livre sans passer par le pdf",
])
def test_r06_a_workaround_asked_about_or_ruled_out_is_no_workaround(text: str) -> None:
    c = classify(text)
    assert (c.vague, c.tier, c.rule) == (False, Tier.LOW, "tier:default_low")


@pytest.mark.parametrize("text", [
    "le module de paie ne s'ouvre plus",
    "la télétransmission ne marche plus sur aucun poste",
])
def test_r06_a_vital_process_s_tool_that_no_longer_works_is_critical(text: str) -> None:
    assert classify(text).tier is Tier.CRITICAL


def test_r06_photocopies_and_binders_are_a_painful_workaround() -> None:
    c = classify("on photocopie les ordonnances et on les classe dans un classeur en attendant")
    assert (c.tier, c.readings) == (Tier.HIGH, ("painful_workaround",))


@pytest.mark.parametrize("text", [
    "bonjour c'est sophie bertrand du cabinet bertrand et associés à nantes rappelez-moi",
    "bonjour c'est le garage dumont à lyon on attend toujours votre appel",
])
def test_r07_names_towns_and_trades_state_no_need(text: str) -> None:
    assert classify(text).vague


def test_r07_a_long_message_that_names_nothing_says_so_to_the_agent() -> None:
    c = classify("bonjour c'est sophie bertrand du cabinet bertrand et associés à nantes")
    assert c.rule == "vague:no_subject"
    assert explain(c, "fr") == "Aucun besoin exprimé : rien du logiciel ni du travail n'est nommé"


def test_r07_a_plain_question_states_a_need_without_naming_a_listed_subject() -> None:
    c = classify("est-ce que le logiciel est compatible avec windows 11")
    assert (c.vague, c.tier) == (False, Tier.LOW)


def test_r07_a_lexicon_without_subjects_counts_need_words_only() -> None:
    bare = replace(LEXICONS["fr"], subjects=())
    text = "bonjour c'est sophie bertrand du cabinet bertrand et associés à nantes rappelez-moi"
    assert classify(text).vague and not classify(text, lexicon=bare).vague


@pytest.mark.parametrize(("second", "same"), [
    ("je rappelle pour ce matin c'est toujours pas réglé les clients peuvent pas payer", True),
    ("je rappelle pour un autre problème les étiquettes sortent de travers", False),
    ("rebonjour du coup les paiements sans contact passent plus du tout", True),
    # "rebonjour" only greets again: as often another need as the same in the corpus
    ("rebonjour l'imprimante des étiquettes imprime de travers", False),
    ("j'ai une question les étiquettes de prix sortent de travers", False),
])
def test_r08_a_follow_up_joins_the_open_need_unless_it_names_another(second: str,
                                                                    same: bool) -> None:
    first = "le terminal de carte refuse toutes les cartes"
    assert same_need(first, second, existing_vague=False,
                     new_vague=classify(second).vague) is same


def test_r08_a_plain_question_beside_a_failure_is_another_need() -> None:
    first = "les factures partent plus par mail aux clients"
    question = "comment on met notre logo en haut des factures qu'on envoie par mail"
    assert not same_need(first, question, existing_vague=False, new_vague=False)
    assert same_need(first, "les factures par mail aux clients ne partent toujours pas",
                     existing_vague=False, new_vague=False)


@pytest.mark.parametrize(("second", "same"), [
    # Calling again says nothing of what about: a plain question after a failure is another need
    ("rebonjour c'est toujours nous toujours sur la facturation comment on saisit une séance "
     "à domicile", False),
    ("encore moi du coup on voudrait savoir combien coûte l'option de prise de rendez-vous en "
     "ligne", False),
    ("je reviens vers vous est-ce qu'on peut ajouter un deuxième fournisseur", False),
    # ... while a failure, a detail or "toujours pas" after it stays the open need
    ("rebonjour c'est toujours nous les paiements sans contact passent plus", True),
    ("je reviens vers vous les clients repartent sans payer depuis ce matin", True),
    ("c'est toujours pas réparé comment on fait pour encaisser", True),
])
def test_r08_calling_again_joins_the_open_need_unless_a_plain_question_follows(
        second: str, same: bool) -> None:
    assert judged("le terminal de carte refuse toutes les cartes", second) is same


@pytest.mark.parametrize(("first", "second"), [
    ("je voudrais savoir comment on envoie un compte rendu dans le dmp du patient",
     "pour alimenter le dossier médical partagé avec un compte rendu il faut passer par quel "
     "menu"),
    ("comment on met en place les rappels d'entretien par sms pour les clients",
     "c'est pour envoyer un texto aux clients quand leur révision arrive il faut activer quoi"),
])
def test_r08_a_question_asked_again_in_other_words_is_the_same_question(first: str,
                                                                        second: str) -> None:
    # "quel menu", "activer quoi" ask as "comment" does: two questions, one need
    assert classify(second).tier is Tier.LOW
    assert judged(first, second)


def test_r08_after_a_question_calling_again_with_a_failure_is_the_same_question() -> None:
    # The first message asked; the caller calls again and tells what fails when trying.
    assert judged("comment on fait pour exporter la liste des patients",
                  "je reviens vers vous quand je clique sur exporter ça met une erreur")


@pytest.mark.parametrize("text", [
    # what is left tells what is gone
    "ce matin il y a plus que 200 clients au lieu de 3000 dans le fichier",
    "tous les dossiers de 2023 ont été remplacés par ceux de 2022",
    "les fiches patients ont été fusionnées toutes seules on ne sait plus qui est qui",
    "l'agenda dit aucun rendez-vous trouvé pour la semaine alors que c'était plein",
    "tous les ordres de réparation en cours ont disparu ce matin",
    "tous les rendez-vous pris depuis février n'y sont plus",
    "les rendez-vous d'aujourd'hui sont sur le mois prochain tout est interverti",
    "en remettant la sauvegarde il y a plus de fiches clients plus d'historique",
    "toutes les réservations de demain sont passées en annulé",
    "certaines factures ont été remplacées par d'autres",
])
def test_r06_data_told_gone_by_what_is_left_is_lost(text: str) -> None:
    c = classify(text)
    assert (c.tier, "data_loss" in c.readings) == (Tier.CRITICAL, True)


@pytest.mark.parametrize("text", [
    # the only workstation there is, every login refused, a deadline tonight, a patient's
    # record shown for another's, nothing reachable at all
    "le seul ordinateur qu'on a dit connexion impossible au serveur de licence",
    "aucun des postes ne se connecte ça dit mot de passe incorrect pour tout le monde",
    "la télétransmission edi refuse tout et les déclarations doivent partir avant minuit",
    "quand on clique sur un patient ça affiche le dossier d'un autre patient",
    "on a plus accès à aucun dossier patient depuis ce matin",
    "le logiciel affiche licence expirée du coup on n'a accès à rien",
    "le logiciel dit produit en rupture donc on ne délivre plus rien",
    "je suis seule au cabinet et mon ordinateur affiche échec de la réparation de la base",
    "j'ai qu'un ordinateur et le logiciel se ferme dès que j'ouvre un dossier",
    "le logiciel sort une erreur accès refusé à la base sur les 7 postes",
    "le logiciel affiche les historiques d'autres patients quand on passe une carte vitale",
    "quand on ouvre la fiche d'un client on voit les corrections d'une autre cliente",
    "les résultats de labo se sont rangés dans les mauvais dossiers depuis hier",
    "ça affiche la base est endommagée et on a accès à aucune fiche d'animal",
    "ça met erreur serveur de vente aucune de nos caisses n'arrive à valider un paiement",
    "le logiciel génère plus aucun acte pour tous les clercs ça reste sur une page blanche",
    "le logiciel met base verrouillée il ne s'ouvre pour personne",
    "aucun avocat ne peut se connecter au logiciel message identifiant incorrect",
    "la caisse et la tablette disent connexion impossible on a ouvert sans agenda et sans caisse",
    "la caisse refuse de fermer le ticket du coup on n'encaisse ni carte ni espèces",
    "le logiciel de caisse affiche erreur de certification pas un seul ticket depuis l'ouverture",
    # "pas" ends the clause before it, it denies nothing of what follows
    "le logiciel réclame un code d'activation qu'on n'a pas impossible de faire une vente",
    # neither this nor the vital work, the only till there is, the whole place down
    "les deux postes affichent licence expirée on ne peut ni faire les check-in ni encaisser",
    "le code d'activation ne passe pas ça dit code invalide et on n'a pas d'autre caisse",
    "bonjour hôtel du lac on est complètement en panne depuis ce matin rappelez-moi",
    "les radios ne sont plus rattachées aux bons patients",
    # the "ne" unheard: "personne peut se connecter" is "personne ne peut" (dev batch cx)
    "bonjour personne peut se connecter au logiciel ce matin",
    "internet remarche mais le logiciel non personne peut s'y connecter sur aucun poste",
    "plus personne arrive à ouvrir les dossiers",
    # the "ne" unheard, no payslip at all, every workstation (dev batch dx: read high)
    "véto partner refuse de démarrer sur l'ensemble de nos postes erreur 1045 rien fonctionne",
    "la paie doit partir aujourd'hui et le logiciel plante on peut sortir aucun bulletin",
])
def test_r06_a_vital_failure_told_without_the_usual_words_is_critical(text: str) -> None:
    assert classify(text).tier is Tier.CRITICAL


@pytest.mark.parametrize("text", [
    "béa coiffure euh on encaisse personne depuis ce matin le logiciel dit programme introuvable",
    "la pharmacie est pleine et on délivre personne le comptoir affiche poste non autorisé",
    "on n'a encaissé aucune cliente depuis 9 heures la caisse affiche licence expirée",
    "le logiciel démarre et disparaît aussitôt sans message sur les trois postes",
    "depuis la mise à jour ni la réception ni la salle ne peuvent sortir une facture",
    "la caisse refuse la carte du coup on peut plus prendre un paiement",
])
def test_r06_nobody_served_or_the_software_gone_at_once_is_critical_by_the_rules_alone(
        text: str) -> None:
    # Read by the lexicon's phrases, not by the critical weights (rules_and_signs: the rules).
    rules, _ = rules_and_signs(text)
    assert (rules.tier, rules.rule) == (Tier.CRITICAL, "tier:critical")


@pytest.mark.parametrize("text", [
    "le programme de l'hôtel ne veut plus démarrer il y a un cadre avec une croix rouge",
    "l'imprimante des étiquettes veut pas imprimer depuis ce matin",
])
def test_r06_a_tool_that_will_not_start_is_a_failure_not_a_wish(text: str) -> None:
    # "vouloir" is a wish ("je voudrais commander"), but "ne veut plus démarrer" says it fails.
    rules, _ = rules_and_signs(text)
    assert (rules.vague, rules.tier) == (False, Tier.HIGH)


@pytest.mark.parametrize("text", [
    "la caisse affiche erreur 1045 à chaque paiement les clientes font la queue",
    "la caisse du restaurant redémarre toute seule en boucle et on a 60 couverts ce midi",
    "l'agenda n'affiche plus aucune leçon on sait plus qui est avec quel moniteur",
    "la réception affiche une erreur et on sait même pas qui arrive aujourd'hui",
    "l'écran affiche une erreur et les patients arrivent",
    "la caisse répond article inconnu pour tous les articles et on a du monde à la caisse",
    "ça affiche synchronisation impossible on a 60 couverts ce midi",
    "le programme il ouvre pas il écrit service non démarré les patients ils attendent",
    "la note du client ne s'édite pas ça répond erreur 500 et j'ai 2 familles devant moi",
])
def test_r06_a_failure_with_people_waiting_for_it_now_is_critical(text: str) -> None:
    # Customers queueing, a service starting, nobody knowing who comes: the site cannot serve.
    c = classify(text)
    assert (c.tier, "deadline" in c.readings) == (Tier.CRITICAL, True)
    # ... while a workaround still makes it one tier lower
    assert classify(text + " on encaisse sur l'autre caisse en attendant").tier is Tier.HIGH


@pytest.mark.parametrize("text", [
    "sur l'ordinateur de ma consultation le lecteur de carte vitale est plus reconnu alors que "
    "sur celui de mon associé ça marche",
    "une seule de nos deux caisses refuse d'encaisser l'autre marche normalement",
])
def test_r06_where_it_still_works_is_the_scope_not_a_way_round(text: str) -> None:
    c = classify(text)
    assert (c.tier, "workaround" in c.readings, "all_stations" in c.readings) == (
        Tier.HIGH, False, False)


@pytest.mark.parametrize("text", [
    "l'import des relevés fonctionne plus donc on les saisit à la main ça prend des heures",
    "les sms partent plus du coup j'appelle chaque cliente la veille ça me prend une heure",
])
def test_r06_hours_of_work_by_hand_is_a_painful_workaround(text: str) -> None:
    c = classify(text)
    assert (c.tier, "painful_workaround" in c.readings) == (Tier.HIGH, True)


def test_r06_a_workaround_is_no_one_waiting() -> None:
    # "en attendant" after the customers is the workaround's word, not customers waiting
    c = classify("impossible d'envoyer les factures par mail aux clients on les imprime en "
                 "attendant")
    assert (c.tier, c.readings) == (Tier.MEDIUM, ("workaround",))


def test_r06_a_workaround_cue_beside_a_question_where_nothing_fails_is_a_question() -> None:
    # "du coup on" copes with a failure; here nothing fails and something is asked.
    c = classify("du coup on voudrait savoir combien coûte l'option des rappels par sms")
    assert (c.tier, c.readings) == (Tier.LOW, ())
    coping = classify("la caisse plante du coup on encaisse sur la tablette")
    assert "workaround" in coping.readings


@pytest.mark.parametrize("second", [
    "on encaisse avec une calculette et on note tout sur un carnet depuis ce matin",
    "on fait toutes les factures sur papier avec le carnet à souches",
])
def test_r08_how_the_caller_copes_is_the_need_already_waiting(second: str) -> None:
    # No failure of its own, only what getting round one costs: the failure is the first one.
    assert judged("la caisse s'allume plus écran noir", second)


@pytest.mark.parametrize("second", [
    "je vous donne le message exact erreur 0x800 violation d'accès quand on valide",
    "du coup les clients partent sans leur note on relève tout sur une feuille",
    "on vous rappelle les patients attendent depuis ce matin",
    "je précise ça le fait que sur les factures de mars",
])
def test_r08_a_detail_or_a_consequence_of_the_open_need_joins_it(second: str) -> None:
    assert judged("quand on valide une facture ça plante avec un message d'erreur", second)


@pytest.mark.parametrize("second", [
    "c'est revenu pour le serveur merci par contre les ordonnances sortent coupées en bas",
    "je voudrais un devis pour un deuxième poste à l'accueil",
    "pour le planning en ligne ce serait possible d'ajouter la photo des coiffeuses",
])
def test_r08_another_subject_or_a_request_after_a_failure_is_another_need(second: str) -> None:
    assert not judged("le serveur répond plus on peut pas ouvrir le planning", second)


@pytest.mark.parametrize(("first", "second"), [
    # "des" and "un" were one lemma: "des nouvelles" (chasing) read "un nouveau menu"
    ("le restaurant envoie plus les consommations sur la note de la chambre",
     "on voudrait ajouter un nouveau menu du jour à la caisse"),
    # a shop's receipt is no support ticket
    ("les commandes clients ont disparu de la liste",
     "je voudrais changer le texte en bas du ticket de caisse"),
])
def test_r08_chasing_words_are_not_read_inside_ordinary_ones(first: str, second: str) -> None:
    assert not judged(first, second)


@pytest.mark.parametrize("text", ["c'est pour le ticket que j'ai ouvert mardi",
                                  "je voulais avoir des nouvelles de ma demande"])
def test_r07_chasing_said_plainly_is_still_chasing(text: str) -> None:
    assert classify(text).rule == "vague:chasing"


def test_r06_how_to_set_something_is_not_a_problem_said_solved() -> None:
    # "réglé" (solved) and "on règle" (how one sets) share their lemma.
    asked = classify("comment on règle le bac de l'imprimante pour le papier sécurisé")
    assert "denied" not in asked.readings
    assert classify("le problème d'impression est réglé tout remarche merci").readings == (
        "denied",)


@pytest.mark.parametrize(("text", "tier"), [
    # Said of what came before it, "rien de grave" plays it down ...
    ("le logo est un peu flou sur les factures rien de grave", Tier.LOW),
    # ... said before the failure, it is politeness: the failure reads as told.
    ("rien de grave enfin si la caisse refuse de s'ouvrir sur tous les postes", Tier.CRITICAL),
    ("rien de bien méchant mais plus rien ne sort de l'imprimante des ordonnances", Tier.HIGH),
])
def test_r06_reassuring_words_play_down_only_what_they_follow(text: str, tier: Tier) -> None:
    assert classify(text).tier is tier


@pytest.mark.parametrize(("text", "tier"), [
    ("le serveur a planté hier mais tout remarche maintenant c'était pour vous prévenir",
     Tier.LOW),
    ("la licence c'est réglé merci mais maintenant l'agenda affiche les rendez-vous décalés",
     Tier.MEDIUM),
])
def test_r06_solved_says_so_of_what_it_follows_not_of_a_new_failure(text: str,
                                                                     tier: Tier) -> None:
    assert classify(text).tier is tier


def test_r08_a_question_asked_again_in_other_words_is_the_same_need() -> None:
    first = "comment on fait pour exporter la liste des patients sans contrôle depuis un an"
    assert judged(first, "je voulais savoir comment sortir la liste des patients sans "
                        "contrôle depuis 12 mois")
    assert not judged(first, "la liste des patients ne s'imprime plus depuis ce matin")


def test_r08_solved_but_now_another_failure_is_another_need() -> None:
    first = "le logiciel démarre plus sur aucun ordinateur message licence introuvable"
    assert not judged(first, "la licence c'est réglé merci mais maintenant l'agenda affiche "
                            "les rendez-vous avec 1 heure de décalage")


def test_r06_a_denied_severity_beside_a_failure_told_plainly_counts_for_nothing() -> None:
    c = classify("il n'y a pas de message d'erreur mais le logiciel plante à chaque facture")
    assert (c.tier, c.readings) == (Tier.HIGH, ())
    assert classify("il n'y a pas de message d'erreur").tier is Tier.LOW


def test_r06_not_just_slow_is_not_a_denial() -> None:
    c = classify("ce n'est pas juste lent le logiciel est très lent sur tous les postes")
    assert "denied" not in c.readings and c.tier is not Tier.LOW


def test_r06_a_blocked_function_due_today_is_critical() -> None:
    c = classify("les salaires doivent être virés ce soir et le logiciel refuse de générer "
                 "le fichier de virement")
    assert (c.tier, c.readings) == (Tier.CRITICAL, ("deadline",))
    assert explain(c, "fr").endswith("(échéance aujourd'hui : critique)")
    assert classify("le logiciel refuse de générer le fichier de virement").tier is Tier.HIGH


def test_r06_no_other_way_makes_a_blocked_function_critical_and_reads_no_workaround() -> None:
    c = classify("la machine des clés des chambres encode plus rien on n'a pas d'autre moyen")
    assert (c.tier, c.readings) == (Tier.CRITICAL, ("no_workaround",))
    said = classify("le logiciel refuse de générer les virements aucun moyen de contourner")
    assert said.tier is Tier.CRITICAL and "workaround" not in said.readings


@pytest.mark.parametrize(("second", "same"), [
    ("je voudrais un devis pour un deuxième poste", False),
    ("la mise en page des devis est décalée le logo passe sur l'adresse", True),
])
def test_r08_asking_for_a_quote_is_a_request_saying_quotes_is_not(second: str,
                                                                  same: bool) -> None:
    # "des" and "un" were one lemma (simplemma's): "un devis" read "des devis" as a request.
    assert judged("la mise en page des devis est décalée depuis la mise à jour", second) is same


@pytest.mark.parametrize("text", [
    "les écritures du mois de mars ont été purgées sur tous les dossiers",
    "toutes les réservations du mois prochain ont sauté du planning",
    "tous les bons de commande de la semaine sont partis depuis la mise à jour",
    "les ordonnances scannées hier je les trouve plus nulle part",
    "les règlements et les feuilles de soins du mois ne sont plus dans le logiciel",
    # more than seven words from what was lost to how, but only four between them say anything
    pytest.param("tous les dossiers des clients que ma collègue avait créés ce trimestre ont été "
                 "effacés", id="far-after-what-was-lost"),
    pytest.param("toutes les fiches des animaux que nous avions saisies depuis lundi ont disparu",
                 id="far-after-what-was-lost-2"),
])
def test_r06_data_lost_in_other_words_is_critical(text: str) -> None:
    c = classify(text)
    assert (c.tier, "data_loss" in c.readings) == (Tier.CRITICAL, True)


@pytest.mark.parametrize("text", [
    "la messagerie est en panne aucun courrier aux laboratoires est parti depuis lundi",
    "erreur de format sur la déclaration et rien est parti",
    "pas une facture est partie cette semaine ça met échec d'envoi",
])
def test_r06_nothing_gone_out_is_a_sending_failure_not_data_lost(text: str) -> None:
    # "est parti" of what was lost ("les devis sont partis"), but said of nothing, nothing
    # left: what fails is sending
    c = classify(text)
    assert (c.tier, "data_loss" in c.readings) == (Tier.HIGH, False)


def test_r06_a_loss_far_from_anything_that_can_be_lost_is_no_data_loss() -> None:
    # the quotes are printed twice; what disappears is a button, eight words of its own later
    c = classify("les devis s'impriment en double et quand je passe la souris sur le bouton en "
                 "haut de la barre d'outils l'icône disparaît")
    assert (c.tier, c.readings) == (Tier.MEDIUM, ())


def test_r08_an_acronym_is_the_words_it_stands_for() -> None:
    first = "la dsn de mars est rejetée"
    second = "pour la déclaration sociale nominative on a reçu le compte rendu avec une anomalie"
    assert judged(first, second)
    assert not judged("la tva de mars est rejetée", second)
    # spelt out in words no thesaurus entry holds: the acronym's letters, read as the words
    # (half the subject shared is weighed, the three words shared among the signs)
    ged = judge("la ged de mars est bloquée", "pour la gestion électronique des documents on a "
                "un message d'erreur à chaque courrier", existing_vague=False, new_vague=False)
    assert ged.signs is not None
    assert (ged.same, ged.signs["shared"], ged.signs["same_subject"]) == (True, math.log1p(3),
                                                                         1.0)


def test_r06_what_is_wrong_asked_about_before_it_is_said_is_a_plain_question() -> None:
    c = classify("je voulais savoir si on peut avoir les ordonnances en a5 au lieu de a4")
    assert (c.tier, c.readings) == (Tier.LOW, ("question",))
    assert explain(c, "fr").endswith("(une question sur ce qui ne va pas : basse)")
    said = classify("les devis sortent avec la date d'hier au lieu de celle du jour")
    assert said.tier is Tier.MEDIUM


def test_r06_what_was_lost_is_still_data_inside_a_subject_s_name() -> None:
    # "code" (data) inside "codes barres" (a subject): both read, the loss is seen.
    c = classify("depuis l'import les codes barres d'origine ont disparu")
    assert (c.tier, c.readings) == (Tier.CRITICAL, ("data_loss",))


def test_r06_every_workstation_said_outright_wins_over_a_phrase_read_as_one() -> None:
    c = classify("le serveur veut plus démarrer on a aucun accès au logiciel sur les postes")
    assert c.tier is Tier.CRITICAL


# A failure already reported, and what the caller says next (R8).
REPORTED = "le module de rendez-vous refuse de s'ouvrir sur les trois ordinateurs"


@pytest.mark.parametrize("toll", [
    "on a toute une salle d'attente et personne ne sait qui passe à quelle heure",
    "c'est pour 30 ordonnances qu'on doit rendre ce soir aux patients",
    "on a une quarantaine de personnes prévues cet après-midi et aucune liste",
])
def test_r08_what_a_reported_failure_costs_weighs_toward_the_same_need(toll: str) -> None:
    # No sign of severity of its own, nothing wished for: the failure already reported, told
    # by its consequences. The sign is read, and the development pairs weigh it toward the
    # open need; a question before it is another need whatever the weights.
    c = rules_and_signs(toll)[0]  # stated, and no severity phrase in it ("personne ne sait"
    assert not c.vague and c.matched in ((), ("personne",), ("aucune",))  # is presumed high;
    # the rules alone, as the pair reads them: the critical weights may raise it on its own)
    signs = pair_signs(REPORTED, toll)
    assert signs["toll"] == 1.0 and PAIR_WEIGHTS.weights["toll"] > 0
    assert not judged("comment on change la couleur du module de rendez-vous", toll)


@pytest.mark.parametrize("toll", [
    "cabinet des lilas rebonjour on a 14 patients en salle d'attente et personne ne sait qui "
    "passe à quelle heure",
    "des lilas on a une quarantaine de personnes prévues cet après-midi et aucune liste",
])
def test_r08_the_toll_of_a_failure_told_as_callers_tell_it_joins_the_open_need(toll: str) -> None:
    assert judged("cabinet médical des lilas bonjour le module de rendez-vous refuse de s'ouvrir "
                  "sur les trois ordinateurs", toll)


@pytest.mark.parametrize("wish", [
    "je voudrais commander des cartouches pour l'imprimante des étiquettes",
    "on aurait besoin de changer l'adresse sur les en-têtes",
    "on souhaiterait ajouter une secrétaire dans les utilisateurs",
])
def test_r08_a_wish_after_a_failure_is_another_need(wish: str) -> None:
    assert not judged(REPORTED, wish)
    # The wishes are the lexicon's (replaceable by a file): without them the sign is not read,
    # and the same message weighs more toward the open need.
    wishless = replace(LEXICONS["fr"], wishes=())
    with_wish, without = pair_signs(REPORTED, wish), pair_signs(REPORTED, wish, wishless)
    assert (with_wish["wishes"], without["wishes"]) == (1.0, 0.0)
    assert PAIR_WEIGHTS.score(without) > PAIR_WEIGHTS.score(with_wish)


def test_r08_a_second_failure_said_in_plain_words_is_another_need() -> None:
    # "échoue" and "une anomalie" say that something fails: not the first failure's toll.
    assert classify("l'export vers le cabinet comptable échoue").tier is Tier.HIGH
    assert classify("le relevé de caisse sort avec une anomalie sur le total").tier is Tier.MEDIUM
    assert not judged(REPORTED, "l'export vers le cabinet comptable échoue")
    assert not judged(REPORTED, "le relevé de caisse sort avec une anomalie sur le total")
    for german in ("Der Export schlägt fehl", "Die Buchhaltung lässt sich nicht exportieren"):
        assert classify(german, lexicon=GERMAN).tier is Tier.HIGH
        assert not judged("Der Drucker druckt nicht mehr", german, GERMAN)



@pytest.mark.parametrize("text", [
    "depuis ce matin plus rien ne s'imprime au secrétariat",
    "les ordonnances plus rien sort de l'imprimante",
])
def test_r06_nothing_coming_out_any_more_is_a_function_broken(text: str) -> None:
    # "plus rien" before the verb ("plus rien s'affiche") says what "ne s'affiche plus" says.
    c = classify(text)
    assert (c.tier, c.matched[0].startswith("plus rien")) == (Tier.HIGH, True)


@pytest.mark.parametrize("text", [
    "on a ouvert le logiciel et les dossiers des patients de l'année il y a plus rien",
    "on a relancé le poste et les rendez-vous de la semaine on a plus rien",
])
def test_r06_nothing_left_of_the_data_is_lost_data(text: str) -> None:
    c = classify(text)
    assert (c.tier, c.readings) == (Tier.CRITICAL, ("data_loss",))
    assert classify("j'ai plus rien à vous dire sur la facture merci").tier is not Tier.CRITICAL


@pytest.mark.parametrize("text", [
    "la sauvegarde du soir a pas tourné depuis lundi",
    "le stock des montures bouge plus quand on vend",
    "les bons de livraison reprennent plus les prix du fournisseur",
    "l'imprimante de l'accueil sort que des pages blanches",
])
def test_r06_a_plain_verb_that_no_longer_does_its_work_is_a_function_broken(text: str) -> None:
    assert classify(text).tier is Tier.HIGH
    # A second failure, not the toll of the first (R8).
    assert not judged(REPORTED, text)


def test_r06_what_comes_out_without_a_part_of_it_is_wrong_but_without_a_problem_is_fine() -> None:
    lacking = classify("les relances partent sans le nom du cabinet en haut")
    assert (lacking.tier, lacking.matched) == (Tier.MEDIUM, ("partir … sans le",))
    assert classify("les relances partent sans problème maintenant").tier is not Tier.MEDIUM
    assert not judged(REPORTED, "les relances partent sans le nom du cabinet en haut")


def test_r08_the_toll_rule_reads_german_with_the_german_lexicon() -> None:
    first = "Der Terminkalender öffnet nicht mehr an keinem Arbeitsplatz"

    def joins(second: str) -> bool:
        return judged(first, second, GERMAN)

    assert joins("Wir haben heute Nachmittag zwanzig Patienten und wissen nicht wer wann kommt")
    assert not joins("Ich möchte noch eine Schulung für die neue Mitarbeiterin bestellen")
    for failure, tier in (("Die Rechnungen werden nicht mehr angezeigt", Tier.HIGH),
                          ("Die Etiketten werden nicht gedruckt", Tier.HIGH),
                          ("Die Termine kommen nicht beim Kunden an", Tier.HIGH),
                          ("Beim Rezept fehlt die Unterschrift des Arztes", Tier.MEDIUM)):
        assert classify(failure, lexicon=GERMAN).tier is tier
        assert not joins(failure)


# Something no longer happens, told in words that name no severity (R6).
@pytest.mark.parametrize("unlisted", [
    "bonjour c'est la clinique saint roch plus aucun rappel de vaccin n'est parti ce mois ci",
    "le planning de l'atelier montre plus les rendez-vous du samedi",
    "depuis ce matin personne ne voit les tournées dans la tablette",
])
def test_r06_something_that_no_longer_happens_is_presumed_high_never_low(unlisted: str) -> None:
    c = classify(unlisted)
    assert (c.vague, c.tier, c.rule) == (False, Tier.HIGH, "tier:presumed")
    assert c.matched and all(word in unlisted.split() for word in c.matched)
    assert "no word says how bad it is" in explain(c, "en")


def test_r06_a_presumed_failure_on_every_workstation_is_critical() -> None:
    # Presumed high, then read in its scope like any failure: every workstation makes it
    # critical, and the explanation says why.
    c = classify("personne ne rentre dans le logiciel tout le monde a le même écran gris")
    assert (c.tier, c.rule, c.readings) == (Tier.CRITICAL, "tier:presumed", ("all_stations",))
    assert "every workstation: critical" in explain(c, "en")


@pytest.mark.parametrize("plain", [
    "est-ce qu'on peut faire que les rappels vaccins ne soient jamais envoyés le dimanche",
    "on souhaiterait que les stagiaires ne voient aucun dossier de paie",  # wished for
    "garage martin une petite suggestion ce serait bien d'avoir le kilométrage sur la facture",
    "question urgente sur le tarif des rappels vaccins au plus vite",  # pressure, not absence
    "la mise à jour a déplacé le bouton imprimer ça nous empêche pas de travailler",  # denied
])
def test_r06_a_question_a_wish_or_a_denial_is_not_presumed_high(plain: str) -> None:
    assert classify(plain).rule != "tier:presumed"
    assert classify(plain).tier is Tier.LOW


def test_r07_chasing_with_a_negation_is_not_presumed_high() -> None:
    c = classify("je rappelle pour mon dossier j'ai toujours pas eu de nouvelles")
    assert c.vague and c.rule == "vague:chasing"


def test_r06_without_not_happening_words_a_lexicon_presumes_nothing() -> None:
    # The presumption is the lexicon's: a file that lists no such words keeps the plain default.
    bare = replace(LEXICONS["fr"], not_happening=())
    text = "plus aucun rappel de vaccin n'est parti ce mois ci"
    assert classify(text, lexicon=bare).rule == "tier:default_low"
    mapped = lexicons_from_mapping({"fr": {"critical": [], "high": [], "medium": [],
                                           "vague": [], "not_happening": ["jamais"]}}, LEXICONS)
    assert mapped["fr"].not_happening == ("jamais",)


def test_r08_the_caller_s_name_alone_does_not_make_two_needs_one() -> None:
    # Both messages open with who calls; once that is set aside, orders and a label printer
    # share nothing.
    assert not judged("pharmacie saint pierre bonjour les commandes au grossiste partent plus "
                      "depuis ce matin",
                      "saint pierre pharmacie rebonjour l'imprimante des étiquettes est en panne")
    # ... while the same failure, told by the same caller, is still one need.
    assert judged("pharmacie saint pierre bonjour les commandes au grossiste partent plus",
                  "saint pierre pharmacie rebonjour les commandes du grossiste restent en erreur")


@pytest.mark.parametrize(("reported", "again"), [
    ("cabinet dentaire roux les feuilles de soins reviennent toutes en rejet depuis lundi",
     "roux dentiste je voulais savoir si vous aviez une solution parce que ça fait 3 semaines "
     "que plus personne ne nous paie"),
    ("kiné bertrand on peut plus facturer en tiers payant le logiciel dit droits patient "
     "introuvables",
     "bertrand kiné ça le fait pour tous les patients donc on fait payer tout le monde par "
     "chèque en attendant"),
])
def test_r08_asking_for_a_solution_or_saying_it_does_it_again_is_the_same_need(
        reported: str, again: str) -> None:
    assert judged(reported, again)


def test_r08_another_subject_said_so_is_another_need_even_when_calling_back() -> None:
    assert not judged("ehpad les tilleuls les transmissions des soignants ne s'enregistrent "
                      "plus sur les tablettes",
                      "ehpad les tilleuls je rappelle pour un autre sujet la facturation des "
                      "résidents ne se génère pas")


def test_r06_a_notebook_is_a_painful_workaround_only_when_work_is_noted_in_it() -> None:
    # "le carnet d'entretien" is a document of the garage's work, not paper instead of software.
    asked = classify("je voulais savoir comment on imprime le carnet d'entretien pour le client")
    assert asked.tier is Tier.LOW and "painful_workaround" not in asked.readings
    noted = classify("le logiciel de caisse est planté on écrit les ventes dans un cahier")
    assert noted.tier is Tier.HIGH and "painful_workaround" in noted.readings


@pytest.mark.parametrize("text", [
    "le logiciel ne s'ouvre plus ni sur le poste de l'accueil ni sur celui du secrétariat",
    "le logiciel refuse de démarrer sur le poste de vente et sur celui de l'atelier",
    "aucun des trois comptoirs n'arrive à délivrer une ordonnance le logiciel se ferme",
    "aucun comptoir ne peut faire de vente depuis ce matin",
    "le logiciel affiche base endommagée et les 4 médecins ont le même message",
    "la caisse et celle du bar disent toutes les deux licence invalide",
    "plus personne n'arrive à ouvrir le logiciel ce matin",
    "le logiciel nous déconnecte au bout de quelques secondes on n'arrive pas à finir une seule "
    "consultation et les trois médecins ont le même problème",
    "le logiciel de caisse ne démarre plus sur le poste du comptoir et c'est le seul qu'on a",
    "la caisse est figée sur la mise à jour et on n'a qu'une seule caisse",
    "le logiciel affiche erreur de connexion à la base sur les trois fauteuils",
    "le module paie est grisé on ne peut ni calculer ni éditer les bulletins",
])
def test_r06_two_places_named_or_none_able_is_the_whole_site(text: str) -> None:
    # Scope said otherwise than "sur tous les postes": both places named, none of them able,
    # everyone with the same message.
    c = classify(text)
    assert c.tier is Tier.CRITICAL, (text, c.rule, c.matched)


@pytest.mark.parametrize("text", [
    "sur le poste de l'accueil le logiciel dit licence suspendue les autres marchent",
    "le dossier d'un client affiche base endommagée quand on l'ouvre",
    "le logiciel affiche licence déjà utilisée sur le portable du docteur seulement",
])
def test_r06_a_licence_or_base_message_on_one_workstation_or_record_is_high(text: str) -> None:
    assert classify(text).tier is Tier.HIGH, text


def test_r06_sending_customers_to_the_cash_machine_is_a_painful_workaround() -> None:
    c = classify("le terminal refuse toutes les cartes alors on envoie les clients retirer de "
                 "l'argent au distributeur")
    assert (c.tier, "painful_workaround" in c.readings) == (Tier.HIGH, True)


def test_r07_a_function_the_subjects_did_not_name_still_states_a_need() -> None:
    # "la clôture de journée" is something of the software: not a message that states nothing.
    c = classify("bonjour hôtel les alizés je suis le veilleur de nuit la clôture de journée ne "
                 "se fait pas elle s'arrête à 80 %")
    assert not c.vague, c.rule


def test_r08_a_question_about_the_invoice_after_a_failure_is_another_need() -> None:
    failure = "pharmacie de la plage le terminal carte bleue communique plus avec la caisse"
    assert not judged(failure, "pharmacie de la plage rebonjour une question sur la facture de "
                               "maintenance on nous facture un terminal qu'on a rendu")
    assert not judged(failure, "c'est encore la pharmacie de la plage je voulais savoir comment "
                               "on imprime le carnet de fidélité d'un client")


BAKERY_TILL = "boulangerie des halles la caisse ne démarre plus depuis ce matin"


@pytest.mark.parametrize(("second", "same"), [
    # What was tried, the screen's words, where else: details of the failure already waiting,
    # in words that name none of its subject.
    ("rebonjour les halles on a éteint et rallumé l'ordinateur trois fois rien à faire l'écran "
     "reste bleu", True),
    ("les halles encore moi le message c'est erreur 0x80 au démarrage", True),
    ("les halles rebonjour ça arrive aussi sur le poste du fournil maintenant", True),
    ("les halles en fait même avec le câble du bureau elle ne démarre pas", True),
    ("les halles rebonjour il y a marqué périphérique non reconnu sur l'écran du tiroir", True),
    ("les halles encore moi il y a une manip pour encaisser les cartes en attendant", True),
    ("les halles rebonjour ça le fait que sur la caisse du fond", True),
    # Taking the chance to ask another thing, or another need said so, whatever detail words
    # it holds: another need.
    ("les halles rebonjour j'en profite pour vous demander le prix d'un deuxième écran", False),
    ("les halles encore moi une question sur les étiquettes de la vitrine elles sortent décalées",
     False),
    ("les halles rebonjour pendant que j'y pense le tiroir-caisse grince à l'ouverture", False),
    ("les halles en fait j'ai une autre question comment on ajoute une vendeuse", False),
])
def test_r08_details_follow_the_open_need_and_taking_the_chance_brings_another(
        second: str, same: bool) -> None:
    verdict = judge(BAKERY_TILL, second, existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (same, "said"), second


@pytest.mark.parametrize(("reported", "toll", "rule"), [
    ("cabinet kiné martin la télétransmission ne part plus depuis lundi",
     "kiné martin rebonjour des patients nous appellent la mutuelle leur a rien versé", "felt"),
    ("pharmacie du lac les commandes au grossiste ne partent plus",
     "pharmacie du lac rebonjour des clients se plaignent leurs médicaments sont pas arrivés",
     "felt"),
    # "se mettent plus à jour" holds no severity the rules read, so no failure to tell the
    # toll of: weighed, the consequence sign tipping it toward the open need
    ("hôtel du parc les disponibilités se mettent plus à jour sur booking",
     "hôtel du parc rebonjour deux clients nous ont appelés ils ont réservé la même chambre",
     "weighed"),
    ("garage roux les factures sortent sans le numéro de tva",
     "garage roux rebonjour l'expert comptable nous a renvoyé le dossier parce que les pièces "
     "sont pas valables", "felt"),
])
def test_r08_what_a_failure_led_to_told_by_those_it_falls_on_is_the_same_need(
        reported: str, toll: str, rule: str) -> None:
    # No word in common. Only what the first failure costs, told by those it falls on with no
    # severity of its own, is the open need ("felt"), whatever the weights make of the fresh
    # failures callers tell through their cost; with a severity of its own, the consequence
    # sign weighs toward the open need.
    verdict = judge(reported, toll, existing_vague=False, new_vague=False)
    assert (verdict.same, verdict.rule) == (True, rule)
    if rule == "weighed":
        assert verdict.signs is not None and verdict.signs["consequence"] == 1.0
        assert PAIR_WEIGHTS.score({**verdict.signs, "consequence": 0.0}) < PAIR_WEIGHTS.score(
            verdict.signs)
    # a failure of its own told after the toll is never taken for the toll
    fresh = judge(reported, f"{toll} et maintenant l'agenda en ligne ne s'ouvre plus",
                  existing_vague=False, new_vague=False)
    assert fresh.rule != "felt"


def test_r06_r08_a_link_phrase_never_takes_a_failure_word_from_the_severities() -> None:
    # How a second message links to the first ("les patients se plaignent", "en attendant") is
    # read apart from how bad a need is: a consequence phrase holding a failure word leaves
    # the failure read.
    french = LEXICONS["fr"]
    linked = replace(french, consequence=(*french.consequence, "refuser les"))
    text = "les consultations sont impossibles le logiciel refuse les accès de tous les médecins"
    assert classify(text, lexicon=linked).tier is classify(text).tier is Tier.CRITICAL
    assert "refuser" in classify(text, lexicon=linked).matched


def test_r07_what_no_longer_comes_back_into_the_software_is_a_stated_need() -> None:
    c = classify("étude durand les extraits cadastraux demandés reviennent plus dans le logiciel")
    assert (c.vague, c.tier) == (False, Tier.HIGH), c.rule
    # (batch cq) an insurer's quotes are something of the work, not a name
    c = classify("carrosserie du sud le logiciel ne récupère plus les chiffrages des experts des "
                 "assurances")
    assert (c.vague, c.tier) == (False, Tier.HIGH), c.rule


def test_r07_the_name_of_the_new_partner_is_no_news_asked_for() -> None:
    # "du nouveau" chases an answer only as "vous avez du nouveau", not "le nom du nouveau"
    assert classify("bonjour est-ce que vous avez du nouveau").vague
    c = classify("sur l'écran d'accueil il y a le nom de l'ancien associé on voudrait mettre "
                 "le nom du nouveau")
    assert (c.vague, c.tier) == (False, Tier.LOW), c.rule


@pytest.mark.parametrize("said", [
    # (batch cr) "on a oublié" is no "oubliez", "que ce soit corrigé" no "c'est corrigé", "on
    # les a fait revenir" no "on l'a fait": none says the open need is settled
    "on appelle le grossiste pour chaque commande on a oublié des produits",
    "le comptable veut que ce soit corrigé avant la déclaration",
    "on a promis des pneus à 3 clients on les a fait revenir la semaine prochaine",
])
def test_r08_what_only_sounds_like_a_need_settled_is_not(said: str) -> None:
    assert "settled" not in {hit.key for hit in read_need(said, LEXICONS["fr"])[1]}
    assert "settled" in {hit.key for hit in read_need("oubliez mon message de ce matin",
                                                      LEXICONS["fr"])[1]}


def test_r08_nothing_received_is_not_nothing_to_do_with_it() -> None:
    # "rien avoir" is how recognition writes "rien à voir", but "rien avoir reçu" is the
    # supplier saying it received nothing: no word of another need, the signs weigh it (what
    # the failure costs, the laboratory half of the first need's subject). "rien avoir avec" is
    # another need, said so.
    failure = "pharmacie du pont les commandes au laboratoire partent plus"
    received = judge(failure, "pharmacie du pont encore moi le laboratoire m'a dit rien avoir "
                              "reçu depuis lundi", existing_vague=False, new_vague=False)
    assert received.signs is not None
    assert (received.by, received.signs["toll"], received.signs["same_subject"]) == (
        "weights", 1.0, 1.0)
    assert not judged(failure, "pharmacie du pont rebonjour rien avoir avec la commande mais le "
                               "lecteur de carte vitale clignote")


@pytest.mark.parametrize(("second", "same", "by"), [
    ("Praxis Huber nochmal, die Rechnungen kommen immer noch nicht aus dem Drucker", True, "said"),
    ("Praxis Huber, übrigens eine Frage: wie legt man einen neuen Benutzer an", False, "said"),
    ("Praxis Huber, die Patienten beschweren sich weil sie keine Quittung bekommen", True,
     "said"),
])
def test_r08_german_callers_follow_up_bring_another_need_or_tell_the_toll(
        second: str, same: bool, by: str) -> None:
    first = "Die Rechnungen werden nicht mehr gedruckt"
    verdict = judge(first, second, existing_vague=False, new_vague=False, lexicon=GERMAN)
    assert (verdict.same, read_by(verdict)) == (same, by)


def test_r06_a_freeze_of_a_few_seconds_is_intermittent_being_thrown_out_after_them_is_not() -> None:
    freeze = classify("le logiciel se fige quelques secondes à chaque enregistrement puis ça "
                      "reprend")
    assert (freeze.tier, "intermittent" in freeze.readings) == (Tier.MEDIUM, True)
    thrown = classify("le logiciel nous renvoie à l'écran de connexion au bout de quelques "
                      "secondes on n'arrive pas à finir une seule consultation")
    assert "intermittent" not in thrown.readings and thrown.tier is Tier.CRITICAL


def test_r06_a_greyed_out_button_is_a_function_broken() -> None:
    c = classify("le bouton facturer est grisé sur le poste de l'accueil les autres marchent")
    assert c.tier is Tier.HIGH and "grisé" in c.matched


@pytest.mark.parametrize("again", [
    "garage morel euh toujours sur les devis là c'est la remise client qui ne s'applique plus",
    "garage morel encore dans les devis je voudrais savoir comment on change le logo en haut",
])
def test_r08_back_in_the_same_place_with_something_else_is_another_need(again: str) -> None:
    # Same module, another failure or question: the caller frames where, not what.
    reported = "garage morel les devis ne reprennent plus le taux horaire de la carrosserie"
    verdict = judge(reported, again, existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (False, "said")


@pytest.mark.parametrize("again", [
    # a follow-up still wins over the place
    "garage morel euh toujours sur les devis ça me met le même message erreur de taux",
    # "toujours" after a verb is "still", not a caller starting over
    "garage morel les devis restent toujours sur l'ancien taux horaire on corrige une par une",
])
def test_r08_the_same_place_followed_up_or_still_failing_is_the_same_need(again: str) -> None:
    assert judged("garage morel les devis ne reprennent plus le taux horaire de la carrosserie",
                  again)


@pytest.mark.parametrize(("reported", "again"), [
    ("cabinet vidal l'agenda ne me laisse plus créer de rendez-vous le soir",
     "cabinet vidal l'agenda c'est bon on a trouvé le réglage mais maintenant les sms de "
     "rappel partent en double"),
    ("pharmacie du lac la télétransmission ne part plus",
     "pharmacie du lac la télétransmission marche de nouveau mais l'étiqueteuse imprime des "
     "pages blanches"),
    # put off ("on attend votre devis", "on verra à la rentrée"), then a failure
    ("garage roux je voudrais un devis pour une deuxième caisse",
     "garage roux pour la caisse on attend votre devis mais ce matin le tiroir ne s'ouvre plus "
     "on force avec la clé"),
    ("cabinet lenoir je voudrais une formation sur les statistiques",
     "cabinet lenoir la formation on verra à la rentrée le journal des recettes ne s'imprime "
     "plus erreur fichier introuvable"),
    # done ("bonne nouvelle", "c'est corrigé"), then a failure or a question
    ("pharmacie du lac la commande au grossiste ne part pas",
     "pharmacie du lac la commande est partie bonne nouvelle mais l'étiqueteuse imprime des "
     "pages blanches"),
    ("garage vidal les avoirs sortent sans le numéro de facture",
     "garage vidal pour les avoirs c'est corrigé merci on voudrait savoir comment on relance les "
     "impayés"),
    # void, back by itself, can wait or better ("ce qui marche plus c'est", "oubliez", "c'est
    # revenu tout seul", "ça peut attendre", "à côté de ça")
    ("hôtel de la poste le channel manager envoie plus nos prix",
     "hôtel de la poste je corrige les prix partent bien c'était leur côté ce qui marche plus "
     "chez nous c'est l'envoi des factures en pdf"),
    ("pharmacie des fleurs les étiquettes des préparations sortent blanches",
     "pharmacie des fleurs oubliez les étiquettes c'est la carte de fidélité qui ne marche "
     "plus"),
    ("docteur simon les comptes rendus n'arrivent plus par la messagerie sécurisée",
     "simon à nouveau la messagerie c'est revenu tout seul mais le scanner dit dossier de "
     "destination introuvable"),
    ("clinique du moulin je voudrais savoir si on peut importer les clients d'un autre logiciel",
     "clinique du moulin l'import ça peut attendre mais depuis ce matin le lecteur cb ne marche "
     "plus quand on encaisse"),
    ("épicerie le terroir le tpe est lent à répondre parfois",
     "épicerie le terroir le technicien a changé le câble ça va beaucoup mieux merci à côté de "
     "ça les points de fidélité ne s'ajoutent plus"),
    # settled ("c'est réglé", "plus besoin de") beside a failure, even with "en attendant"
    ("pharmacie du port les textos de rappel ne partent plus",
     "pharmacie du port pour les textos c'est réglé merci la douchette ne lit plus les boîtes"),
    ("pharmacie du port les textos de rappel ne partent plus",
     "pharmacie du port les textos on l'a fait nous-mêmes plus besoin de nous rappeler pour ça "
     "mais la douchette ne lit plus les boîtes on tape les codes à la main en attendant"),
    ("pharmacie du port les textos de rappel ne partent plus",
     "pharmacie du port en revanche la douchette ne lit plus les boîtes"),
    # another thing said in passing
    ("pharmacie du pont le robot ne reçoit plus les demandes de sortie",
     "pharmacie du pont deuxième souci la caisse du comptoir 2 n'ouvre plus le tiroir"),
    ("pharmacie du pont le robot ne reçoit plus les demandes de sortie",
     "pharmacie du pont petite question à part la caisse du comptoir 2 n'ouvre plus le tiroir"),
    ("pharmacie du pont le robot ne reçoit plus les demandes de sortie",
     "pharmacie du pont tant que je vous tiens la caisse du comptoir 2 n'ouvre plus le tiroir"),
    ("pharmacie du pont le robot ne reçoit plus les demandes de sortie",
     "pharmacie du pont encore un truc la caisse du comptoir 2 n'ouvre plus le tiroir"),
    ("pharmacie du pont le robot ne reçoit plus les demandes de sortie",
     "pharmacie du pont pour une autre raison la caisse du comptoir 2 n'ouvre plus le tiroir"),
    # "de nouveau", "encore moi" say the caller calls again, not that the settled need is back
    ("hôtel des remparts l'imprimante de la réception n'imprime plus les factures",
     "rebonjour c'est encore l'hôtel des remparts de nouveau l'imprimante c'est réglé merci mais "
     "les emails de réservation partent avec les dates fausses"),
    # (batches bz, ch) its cause told ("c'était le rouleau", "c'était un filtre"), then what
    # fails now or a question
    ("pharmacie des écoles l'imprimante des tickets ne sort que des tickets blancs",
     "les tickets blancs c'était le rouleau mis à l'envers voilà et là le lecteur de carte "
     "vitale affiche carte non reconnue"),
    ("la coupe d'or le planning n'affiche plus les rendez-vous de julie",
     "la coupe d'or pour le planning c'était un filtre coché désolée je voudrais savoir comment "
     "on ajoute une nouvelle coiffeuse"),
    # working again ("imprime à nouveau", "sortent de nouveau"), then what fails now
    ("kiné des platanes la salle 2 ne voit plus l'imprimante",
     "la salle 2 imprime à nouveau et le lecteur de carte vitale ne lit plus les cartes"),
])
def test_r08_the_open_need_solved_then_another_is_another_need(reported: str,
                                                                 again: str) -> None:
    verdict = judge(reported, again, existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (False, "said")


@pytest.mark.parametrize(("reported", "again"), [
    # the cause guessed wrong: "on pensait que c'était le câble" is no cause found
    ("le terminal de paiement n'est plus reconnu par la caisse",
     "on pensait que c'était le câble on l'a changé mais toujours pareil la caisse dit "
     "terminal absent"),
    # still failing, told by the failure itself ("ne partent toujours pas"), after thanks
    ("les sms de rappel de rendez-vous ne partent plus depuis lundi",
     "merci pour les explications j'ai racheté des crédits comme conseillé mais les rappels ne "
     "partent toujours pas"),
    ("la télédéclaration de tva est rejetée code erreur 205",
     "on a corrigé le siret comme vous disiez mais la tva a de nouveau été rejetée ce matin"),
])
def test_r08_a_settled_need_said_to_be_back_is_the_same_need(reported: str,
                                                            again: str) -> None:
    assert judge(reported, again, existing_vague=False, new_vague=False).same


@pytest.mark.parametrize(("asked", "again"), [
    # (batches ce, ci) what was asked about, done as told, and failing there
    ("comment on crée un forfait coupe et couleur",
     "rebonjour pour le forfait j'ai créé la prestation mais il refuse de regrouper les deux"),
    ("comment on ajoute un tarif pour les détartrages",
     "rebonjour j'ai trouvé la grille mais le bouton ajouter est grisé"),
    ("est-ce qu'on peut envoyer la facture au patient par mail après la séance",
     "pour les factures par mail j'ai coché envoi automatique mais les patients ne reçoivent "
     "rien"),
    ("comment on envoie un sms quand les lunettes sont prêtes",
     "pour le sms lunettes prêtes c'est activé mais il part avec le nom d'un autre client"),
    ("l'imprimante des ordonnances sort des pages blanches",
     "on a réinstallé le pilote comme conseillé mais les ordonnances sortent blanches"),
    # what to do now about the failure told first
    ("le logiciel se ferme dès qu'on clique sur facturation",
     "rebonjour j'ai trois patients qui attendent leur facture je fais comment moi"),
    # (batch co) the first message corrected or narrowed, whatever link word comes first
    ("les ordonnances scannées ne s'attachent plus au dossier du patient",
     "par contre je précise c'est seulement les fichiers pdf les jpeg passent"),
    ("le tiers payant est rejeté sur toutes les ordonnances",
     "autre chose que j'ai oublié de préciser c'est seulement la mgen qui rejette"),
])
def test_r08_done_as_asked_and_failing_or_what_to_do_now_is_the_same_need(
        asked: str, again: str) -> None:
    assert judge(asked, again, existing_vague=False, new_vague=False).same


@pytest.mark.parametrize(("again", "same"), [
    # (batch ce) calling again ("je reviens vers vous", "rebonjour", "du coup") says nothing
    # of which need: the corpus's callers said it as often of another; the signs decide
    ("je reviens vers vous le lecteur de carte vitale de l'accueil ne lit plus les cartes",
     False),
    ("je reviens vers vous pour les rappels par mail les patients les reçoivent toujours deux "
     "fois", True),
])
def test_r08_calling_again_alone_decides_nothing_the_signs_are_weighed(again: str,
                                                                      same: bool) -> None:
    verdict = judge("les rappels de rendez-vous par mail partent en double", again,
                    existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (same, "weights")
    assert verdict.signs is not None and verdict.signs["calling_back"] == 1.0


def test_r08_back_after_a_call_says_nothing_of_which_need() -> None:
    # "suite à mon appel" no longer decides "the same need": what follows does.
    reported = "optique roux les devis ne récupèrent plus le prix des verres"
    assert not judged(reported, "suite à mon appel de ce matin optique roux comment on ajoute "
                                "un nouveau fournisseur de montures")
    assert judged(reported, "suite à mon appel de ce matin optique roux ça me met toujours le "
                            "même message prix introuvable")
    # and with nothing else said, it is still a call back with no need (R7)
    assert classify("suite à mon appel de ce matin rappelez-moi merci").vague


def test_r06_a_salon_named_coupe_is_not_cut_off() -> None:
    # "coupé" folds to "coupe": only forms that cannot be the haircut read as cut off.
    named = classify("salon coupe et style bonjour je voulais savoir comment on ajoute une "
                     "coiffeuse")
    assert named.tier is Tier.LOW and named.matched == ()
    assert classify("les ordonnances sortent coupées en bas de page").tier is Tier.MEDIUM
    assert classify("internet est coupé depuis ce matin sur le poste").tier is not Tier.LOW


@pytest.mark.parametrize(("text", "tier"), [
    # erased by mistake, nobody able, a queue, one station, not in the way
    ("la secrétaire a supprimé par erreur le dossier de la famille martin avec toutes les "
     "radios", Tier.CRITICAL),
    ("ce matin personne à l'office n'arrive à se connecter le logiciel refuse les mots de passe",
     Tier.CRITICAL),
    ("la balance n'enregistre aucune vente et on a toute la queue devant le stand",
     Tier.CRITICAL),
    ("le poste de la salle 2 ne lance plus le logiciel les 3 autres ordinateurs n'ont aucun "
     "problème", Tier.HIGH),
    ("le logo est un peu décalé sur les factures ça ne gêne pas le travail", Tier.LOW),
    ("l'agenda met une éternité à s'ouvrir le matin", Tier.MEDIUM),
    ("on a renvoyé deux patients chez eux l'écran des soins reste gris", Tier.CRITICAL),
    ("depuis la mise à jour le logiciel ne trouve pas le serveur", Tier.CRITICAL),
    ("le programme de caisse a disparu et on n'a aucun moyen d'encaisser", Tier.CRITICAL),
    # nobody billed, people leaving, only one till
    ("je peux pas leur faire leur facture ça plante à la validation", Tier.CRITICAL),
    ("on peut facturer aucun patient depuis la mise à jour", Tier.CRITICAL),
    ("le module est grisé et mes patients repartent sans payer", Tier.CRITICAL),
    ("la caisse numéro 2 reste bloquée au démarrage c'est seulement la 2", Tier.HIGH),
    ("je peux pas savoir qui va où le planning reste gris et ma collègue pareil sur son poste "
     "on a 20 arrivées ce soir", Tier.CRITICAL),
    # screens, tills and devices as callers say them
    ("on fait la paie de 40 sociétés et plus aucun bulletin ne sort", Tier.CRITICAL),
    ("le logiciel refuse toutes les factures au départ des clients", Tier.CRITICAL),
    ("le logiciel s'ouvre plus ni sur l'ordi de la caisse ni sur la tablette", Tier.CRITICAL),
    ("la caisse numéro 2 reste sur un écran gris au lancement la caisse 1 marche", Tier.HIGH),
    ("le scanner ne range plus les actes message périphérique twain introuvable", Tier.HIGH),
    ("la douchette ne lit plus rien dans le logiciel elle bipe et c'est tout", Tier.HIGH),
    ("la caisse n'affiche plus les prix on tape tout à la main", Tier.HIGH),
    # fees that cannot be billed, typing that never ends, where it still works
    ("le logiciel se ferme dès qu'on clique sur facturer impossible d'émettre la moindre note "
     "d'honoraires", Tier.CRITICAL),
    ("la douchette ne scanne plus on tape tous les codes à la main c'est interminable",
     Tier.HIGH),
    ("sur le poste de l'atelier le logiciel ne démarre plus celui de l'accueil marche",
     Tier.HIGH),
    # another device used instead is a way round, not where it still works
    ("le scanner du bureau ne range plus les documents on utilise celui de l'accueil et ça marche",
     Tier.MEDIUM),
    # pay due today, every code by hand, nothing sent there, no data lost
    ("les salaires doivent être versés aujourd'hui et le logiciel plante au calcul de la paie",
     Tier.CRITICAL),
    ("la douchette ne lit plus rien on tape tous les codes cip à la main", Tier.HIGH),
    ("le scanner n'envoie plus rien dans les dossiers patients erreur twain", Tier.HIGH),
    ("les points de fidélité ne s'ajoutent plus sur les fiches les cartes restent à zéro",
     Tier.HIGH),
    # (batch ba)
    # every workstation or practitioner counted ("aux 3 postes", "les 4 kinés"), each of them
    ("la télétransmission ne part plus aux 3 postes depuis ce matin", Tier.CRITICAL),
    ("le logiciel affiche une page blanche et se ferme sur chacun des postes de l'accueil",
     Tier.CRITICAL),
    ("les 4 kinés n'ouvrent plus leurs dossiers depuis la mise à jour", Tier.CRITICAL),
    # but two workstations said to work are where it still works
    ("les 2 postes du fond marchent normalement mais la caisse ne lance plus le logiciel",
     Tier.HIGH),
    ("sur le poste de la secrétaire la base est introuvable ses collègues travaillent "
     "normalement", Tier.HIGH),
    # neither the vital tools nor the software itself
    ("ni la facturation ni l'agenda ne fonctionnent depuis la mise à jour", Tier.CRITICAL),
    ("je n'ai ni la caisse ni l'agenda quand j'allume l'ordinateur", Tier.CRITICAL),
    ("le logiciel refuse toute connexion depuis la clôture de cette nuit", Tier.CRITICAL),
    # months missing are data lost; amounts swapped and put right each time are a workaround
    ("après la restauration il manque les 3 derniers mois de ventes dans l'historique",
     Tier.CRITICAL),
    ("les avoirs sortent avec les montants ht et ttc inversés on les rectifie avant l'envoi",
     Tier.MEDIUM),
    # (batch bd)
    # patients sent away is the failure's toll, not a way round it
    ("depuis la panne de cette nuit le serveur ne répond plus et aucun poste ne se connecte on "
     "renvoie les patients vers le cabinet voisin", Tier.CRITICAL),
    # an agenda holding nothing any more, a folder shown empty: data lost
    ("l'agenda de demain ne contient plus rien alors qu'on avait 30 rendez-vous", Tier.CRITICAL),
    ("les actes de l'an dernier ne s'affichent plus dans le répertoire c'est vide",
     Tier.CRITICAL),
    # the colleagues fine: one workstation
    ("sur mon poste je ne peux plus ouvrir les dossiers ça plante à chaque fois mes collègues "
     "n'ont aucun souci", Tier.HIGH),
    # a template not found is a function broken, not data lost
    ("les courriers types ne sortent plus erreur modèle introuvable", Tier.HIGH),
    # a way round said not to be long, twice the same number, not the first time
    ("le lecteur ne lit plus les codes de la boîte je tape le code au clavier c'est pas long",
     Tier.MEDIUM),
    ("quand je transforme le devis il me crée 2 factures avec le même numéro je supprime la "
     "deuxième", Tier.MEDIUM),
    ("le lecteur de carte vitale ne lit pas la carte du premier coup il faut la remettre",
     Tier.MEDIUM),
    # less handy but working
    ("la liste des départs n'est plus triée par chambre c'est moins pratique mais ça marche",
     Tier.LOW),
    # (batch bj)
    # records that no longer exist, are nowhere, or cannot be read: data lost
    ("après la migration les fiches patients d'avant 2023 n'existent plus on ne trouve rien",
     Tier.CRITICAL),
    ("les factures du mois dernier ne figurent plus dans l'historique on ne les retrouve nulle "
     "part", Tier.CRITICAL),
    ("depuis la coupure tous les documents du serveur affichent fichier endommagé",
     Tier.CRITICAL),
    # a blank screen on one workstation; one box at a time or a paper board is painful
    ("sur le poste de l'accueil l'agenda reste tout blanc alors que chez le docteur il s'affiche "
     "bien", Tier.HIGH),
    ("la douchette ne lit plus les codes on tape chaque code au clavier boîte par boîte",
     Tier.HIGH),
    ("on note les séances des 3 kinés sur un tableau papier le planning affiche une erreur",
     Tier.HIGH),
    ("le logiciel refuse de créer la moindre facture erreur de base et c'est pareil pour tout le "
     "centre", Tier.CRITICAL),
    # coming and going is intermittent, however it comes back
    ("le terminal se déconnecte de la caisse de temps à autre on le redémarre et ça remarche",
     Tier.MEDIUM),
    # alarming words, working software: a suggestion, a scare over, all working
    ("c'est pour une suggestion ce serait plus pratique d'avoir la date de la dernière visite "
     "sur la fiche", Tier.LOW),
    ("la sauvegarde avait échoué hier le disque était plein depuis elle passe normalement",
     Tier.LOW),
    ("les icônes de la nouvelle version sont petites tout marche mais c'est dur à lire",
     Tier.LOW),
    # (batch bl)
    # what is left told as a count, nothing handed out, nothing recorded: critical
    ("la purge des anciens clients a aussi supprimé les dossiers des animaux suivis on en a plus "
     "que 200 sur 2500", Tier.CRITICAL),
    ("le logiciel affiche 0 en stock partout et refuse toutes les délivrances on ne peut plus "
     "rien donner aux patients", Tier.CRITICAL),
    ("depuis la mise à jour on ne peut plus rien enregistrer des consultations du jour",
     Tier.CRITICAL),
    # hours to arrive, negative quantities, not every time: medium
    ("les comptes rendus envoyés par la messagerie mettent des heures à arriver", Tier.MEDIUM),
    ("le stock affiche des quantités négatives sur quelques boîtes il faut recompter",
     Tier.MEDIUM),
    ("le sms lunettes prêtes ne part pas à chaque fois certains clients le reçoivent d'autres "
     "non", Tier.MEDIUM),
    # a paper catalogue for every quote is painful
    ("la liaison avec le catalogue ne se fait plus pour chaque devis on cherche les références "
     "dans le catalogue papier", Tier.HIGH),
    # (batch bq)
    # erased by mistake told with the records in between; no sale going through; paying
    # said impossible
    ("une stagiaire a supprimé les fiches clients par erreur et je ne vois plus les historiques",
     Tier.CRITICAL),
    ("le programme ne démarre plus il tourne et se ferme et pour faire payer c'est impossible "
     "depuis ce matin", Tier.CRITICAL),
    ("la caisse affiche erreur d'écriture aucune vente ne passe depuis l'ouverture",
     Tier.CRITICAL),
    # where it still works, and another menu as a way round
    ("sur l'ordinateur du fond le logiciel ne se lance plus par contre sur celui de l'entrée tout "
     "fonctionne", Tier.HIGH),
    ("le bouton d'export ne marche plus mais par le menu outils l'export se fait bien",
     Tier.MEDIUM),
    # (batch bx)
    # "partout ailleurs" is where it still works, not every workstation
    ("il y a que l'ordinateur de notre comptable qui affiche accès refusé quand elle lance le "
     "logiciel partout ailleurs ça fonctionne", Tier.HIGH),
    ("chez une collaboratrice le logiciel de paie ne se lance plus du tout les autres "
     "collaborateurs travaillent sans problème", Tier.HIGH),
    # a way round that helps, a wish that it worked again (not that it does), amounts to fix
    ("le scanner marche plus sur le poste de l'atelier on scanne sur celui de l'accueil ça "
     "dépanne mais on voudrait que ça remarche", Tier.MEDIUM),
    ("les remises sont calculées sur le ttc au lieu du ht il faut corriger les montants avant "
     "l'envoi", Tier.MEDIUM),
    # only cosmetic, not in the way, mended long ago
    ("l'adresse du magasin est coupée sur les tickets c'est juste esthétique les montants sont "
     "bons", Tier.LOW),
    ("à chaque ouverture j'ai une fenêtre de mise à jour je clique sur plus tard ça me bloque "
     "pas", Tier.LOW),
    ("on avait eu la base qui s'ouvrait plus en mars vous l'aviez réparée on se demandait "
     "comment vérifier les sauvegardes", Tier.LOW),
    # (batches cg, cj)
    # people sent elsewhere or put off: the work cannot be done
    ("hôtel du lac on a dû loger un couple dans un autre hôtel ce soir le planning des chambres "
     "ne s'affiche plus du tout", Tier.CRITICAL),
    ("le serveur est en panne on a dû décaler tous les rendez-vous de la matinée",
     Tier.CRITICAL),
    # closing by itself everywhere; no record opens; no payroll; nobody can bill, nowhere
    ("depuis la mise à jour le logiciel se referme tout seul dès qu'on ouvre une fiche et ça "
     "sur les 4 fauteuils", Tier.CRITICAL),
    ("étude notariale on n'ouvre plus aucun dossier depuis ce matin le logiciel affiche une "
     "erreur", Tier.CRITICAL),
    ("cabinet comptable impossible de calculer les salaires depuis la mise à jour",
     Tier.CRITICAL),
    ("plus aucune télétransmission possible le logiciel se ferme et c'est pareil chez mon "
     "associé", Tier.CRITICAL),
    ("le planning des rendez-vous s'affiche plus chez personne on a 12 patients aujourd'hui",
     Tier.CRITICAL),
    # months of records missing after a restore
    ("on a restauré la sauvegarde et il manque 3 mois de consultations", Tier.CRITICAL),
    # a card not recognised is a failure; where it still works: the front one, the others
    ("le lecteur affiche carte non reconnue pour chaque patient", Tier.HIGH),
    ("la caisse du fond ne démarre plus celle de l'entrée fonctionne", Tier.HIGH),
    ("le poste du docteur martin ne lit plus la carte vitale chez les autres médecins ça "
     "passe", Tier.HIGH),
    ("sur l'ordinateur de ma collègue l'agenda ne s'affiche plus alors que sur les 3 autres "
     "postes tout va bien", Tier.HIGH),
    ("le poste de la salle 1 n'ouvre plus aucun dossier dans les autres salles ça va",
     Tier.HIGH),
    # said not to block, "ne" and all
    ("ça ne bloque pas mais le nom du remplaçant n'apparaît pas sur les ordonnances",
     Tier.LOW),
    ("les caractères des tickets sont tout petits les clients ont du mal à lire rien qui "
     "presse", Tier.LOW),
    # (batch cp) the same at my colleagues', no appointment shown at all, records gone with
    # what was deleted or erased, payroll failing on its day
    ("je ne peux plus rédiger aucune ordonnance le bouton est grisé et c'est pareil pour mes 2 "
     "collègues", Tier.CRITICAL),
    ("est-ce qu'il y a un problème avec l'agenda plus aucun rendez-vous ne s'affiche",
     Tier.CRITICAL),
    ("on a supprimé une praticienne dans les paramètres et tous ses rendez-vous du mois sont "
     "partis avec", Tier.CRITICAL),
    ("les temps passés et les factures d'honoraires des 3 derniers mois ont été effacés",
     Tier.CRITICAL),
    ("nous devons sortir les bulletins de salaire aujourd'hui et le calcul de la paie plante",
     Tier.CRITICAL),
    # (batch cs) neither this nor billing, wherever; no arrival and no departure; payday
    ("on n'arrive plus ni à télétransmettre ni à facturer le logiciel sort une erreur quel que "
     "soit l'ordinateur", Tier.CRITICAL),
    ("on ne peut faire aucune arrivée ni aucun départ le logiciel de réception est figé",
     Tier.CRITICAL),
    ("c'est le jour de la paie et le module refuse de calculer les bulletins", Tier.CRITICAL),
    ("la deuxième caisse n'arrive plus à valider les ventes alors que la caisse principale "
     "marche", Tier.HIGH),
    ("la réception des livraisons ne met plus à jour le stock on corrige chaque article c'est "
     "des heures de travail", Tier.HIGH),
    # copying by hand what the software no longer brings in is painful; a technician who
    # copied the files over is no workaround
    ("l'agenda en ligne ne se synchronise plus chaque rendez-vous pris sur internet je dois le "
     "recopier moi-même", Tier.HIGH),
    ("le serveur a été remplacé l'informaticien a recopié les fichiers et depuis le logiciel ne "
     "trouve plus la base on ne peut plus du tout travailler", Tier.CRITICAL),
    # (batches em, en) the work stopped for it, not one card through: critical; each one
    # redone, a whiteboard, everything by phone: painful; "le mien marche" is the scope;
    # "mais bon ça marche": low
    ("depuis la synchro tous les prix de la boutique sont passés à 1 centime on a dû arrêter "
     "de vendre", Tier.CRITICAL),
    ("le lecteur de carte est plus reconnu par la caisse pas une carte passe depuis ce matin",
     Tier.CRITICAL),
    ("les cotisations sortent fausses sur les bulletins on refait chaque bulletin", Tier.HIGH),
    ("les cotisations sortent fausses on vérifie à la calculette", Tier.HIGH),
    ("le planning se met plus à jour entre les salles les rendez-vous sont inscrits sur un "
     "tableau blanc", Tier.HIGH),
    ("la prise de rendez-vous en ligne reçoit plus rien on prend tout au téléphone", Tier.HIGH),
    ("le poste de la vendeuse peut plus faire de facture ça dit accès refusé le mien marche",
     Tier.HIGH),
    ("la recherche par nom oblige à taper le nom en entier c'est pas pratique mais bon ça "
     "marche", Tier.LOW),
    ("le logo sort un peu flou sur les devis ça marche hein mais c'est pas très joli",
     Tier.LOW),
])
def test_r06_what_callers_say_of_their_day_reads_on_the_seeds_scale(text: str,
                                                                  tier: Tier) -> None:
    # The rules alone, without the weights: phrasings from the development batches
    # (ah, al, ap, au, aw, then ba, bd, bj, bl, bq, bx, cg, cj, em, en), each group a
    # phenomenon.
    assert rules_and_signs(text)[0].tier is tier


def test_r06_a_reassurance_awaited_is_no_reassurance() -> None:
    # "quand ça remarchera" is what the caller waits for, not what happened (not low).
    awaited = classify("la facturation marche plus on fait tout sur un carnet et on ressaisira "
                       "quand ça remarchera")
    assert awaited.tier is Tier.HIGH and "painful_workaround" in awaited.readings
    assert classify("la facturation ne marchait plus ce matin mais ça remarche").tier is Tier.LOW


def test_r08_back_because_or_also_another_problem_is_not_the_open_need_by_itself() -> None:
    reported = "optique du lac on voudrait ajouter un nouvel opticien dans le logiciel"
    assert not judged(reported, "optique du lac je rappelle parce que maintenant la caisse ne "
                                "s'ouvre plus du tout licence expirée")
    assert not judged(reported, "optique du lac en fait on a aussi un problème les ventes du "
                                "matin n'apparaissent pas dans la caisse")
    # still a caller chasing when nothing else is said (R7)
    assert classify("je rappelle parce que personne ne m'a rappelé").vague


def test_r08_the_screen_read_aloud_does_not_say_which_need() -> None:
    # "il dit ..." tells a failure's message; after a question it is a failure of its own.
    verdict = judge("optique lemoine je cherche comment changer le mot de passe de la vendeuse",
                    "optique lemoine c'est encore nous le scanner d'ordonnances ne marche plus "
                    "il dit scanner introuvable", existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (False, "said")


@pytest.mark.parametrize("again", [
    "rebonjour c'est la clerc on a une signature à 15h et on ne peut pas sortir le compromis "
    "vous pouvez nous dire comment faire sans les trames",
    "étude girard euh je pense que c'est la mise à jour de lundi qui a cassé les modèles "
    "est-ce qu'on peut la défaire",
])
def test_r08_asking_how_to_do_without_the_failure_is_the_same_need(again: str) -> None:
    assert judged("étude de maître girard les actes ne se génèrent plus à partir des modèles",
                  again)


def test_r08_a_part_said_fine_is_not_the_open_need_solved() -> None:
    # "le code est bon mais ... toujours pareil": the caller checked a part, the need stays.
    assert judged("docteur simon le dmp ne s'alimente plus il me dit échec d'authentification",
                  "docteur simon j'ai vérifié ma carte elle est bien lue le code est bon mais "
                  "l'envoi échoue toujours pareil")


def test_r08_clients_who_must_go_to_another_till_are_no_visit_awaited() -> None:
    # "devait passer" was a visit awaited ("un technicien devait passer"): read by its lemma,
    # "les clients doivent passer à la première caisse" was chasing the open need.
    verdict = judge("cave des vignerons l'export des ventes pour le comptable sort en double",
                    "cave des vignerons encore moi le lecteur de carte de la 2e caisse affiche "
                    "erreur de communication les clients doivent passer à la première",
                    existing_vague=False, new_vague=False)
    assert not verdict.same
    assert classify("bonjour un technicien devait passer lundi merci de me rappeler").vague


def test_r08_calling_back_with_a_failure_after_a_question_is_another_need() -> None:
    asked = "centre des acacias on voudrait savoir comment on alimente le dmp"
    verdict = judge(asked, "centre des acacias de nouveau le logiciel se ferme tout seul quand on "
                           "ouvre la liste des rendez-vous", existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (False, "said")
    # still the open question when the caller asks again
    assert judged(asked, "centre des acacias de nouveau je voulais savoir comment on envoie "
                         "le compte rendu au dmp")


@pytest.mark.parametrize(("again", "same"), [
    ("cabinet hamon on a changé la cartouche et fait une page de test depuis word elle sort "
     "bien c'est seulement depuis votre logiciel", True),
    ("pharmacie des 4 chemins de nouveau on a aussi la carte vitale qui n'est plus lue", False),
    ("pharmacie des 4 chemins on voudrait une formation pour la nouvelle préparatrice", False),
])
def test_r08_what_was_tried_follows_up_while_also_or_training_is_another_need(
        again: str, same: bool) -> None:
    assert judged("pharmacie des 4 chemins les ordonnances sortent blanches à l'impression",
                  again) is same


@pytest.mark.parametrize("text", [
    "le transporteur est là et on n'arrive pas à sortir un bon de livraison la base est en "
    "lecture seule",
    "le disque externe ne se voit plus dans l'ordinateur et dedans il y avait tous mes patients",
])
def test_r06_a_read_only_base_with_the_carrier_waiting_or_a_disk_that_held_everything(
        text: str) -> None:
    assert rules_and_signs(text)[0].tier is Tier.CRITICAL


@pytest.mark.parametrize("again", [
    "docteur carpentier je vous rappelle pour un autre point le courrier d'adressage sort sans "
    "mon en-tête",
    "pharmacie saint-jacques à nouveau je voudrais un rendez-vous pour former la nouvelle "
    "préparatrice au module des piluliers",
])
def test_r08_another_point_or_a_training_asked_for_is_another_need(again: str) -> None:
    assert not judged("pharmacie saint-jacques le tiers payant est rejeté pour tous les "
                      "patients d'une même mutuelle code rejet 41", again)


def test_r08_settled_then_back_or_settled_alone_is_not_another_need() -> None:
    reported = "garage vidal les factures partent sans la tva"
    # the settled need back
    assert judged(reported, "garage vidal votre collègue l'a réglé mais ça recommence les "
                            "factures partent sans tva ce matin")
    # and "settled" with nothing failing beside it is not said to be another need
    thanks = judge(reported, "garage vidal pour la tva c'est réglé merci", existing_vague=False,
                   new_vague=False)
    assert (read_by(thanks), thanks.same) != ("said", False)


@pytest.mark.parametrize(("first", "second"), [
    ("le verifone affiche pas de connexion", "plus de paiement par carte bancaire"),
    ("la clôture de nuit s'est arrêtée en erreur", "la fin de journée ne passe pas"),
    ("le logiciel dit licence expirée", "message abonnement non valide"),
    ("les acomptes ne s'enregistrent pas", "l'avance du patient disparaît de son compte"),
    ("le lecteur sesam vitale ne répond plus", "la carte vitale n'est plus lue"),
])
def test_r08_the_thesaurus_reads_a_trade_s_words_as_one_subject(first: str,
                                                               second: str) -> None:
    # The same thing told otherwise (the dev batch bn's terse callers): one concept each.
    assert subject(first) & subject(second)


def test_r08_what_was_asked_done_as_told_and_failing_is_the_same_need() -> None:
    # A question, then the caller did as told ("comme expliqué", "comme décrit") and it fails:
    # the question's need, whatever words the failure is told in (the dev batch bm).
    asked = "fromagerie du marché comment on relie la nouvelle balance à la caisse"
    verdict = judge(asked, "fromagerie du marché j'ai branché l'appareil et choisi le modèle "
                           "dans les réglages comme expliqué mais la caisse reçoit zéro à chaque "
                           "pesée", existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (True, "said")


def test_r07_a_little_trouble_with_the_programme_and_a_call_back_is_vague() -> None:
    c = classify("bonjour c'est le docteur martin j'ai un petit ennui avec votre programme si "
                 "quelqu'un peut me joindre ce serait gentil")
    assert c.vague


@pytest.mark.parametrize(("second", "another"), [
    # "X marche par contre Y": the failure narrowed (the dev batches cw and dc); its "par
    # contre" decides nothing, the rest is read as without it
    ("cabinet morel le scanner s'allume bien par contre quand je numérise un courrier il "
     "n'arrive pas dans le dossier du client", False),
    ("cabinet morel rien ne part dans la ged par contre les factures elles sortent bien", False),
    # what works is the open need, fixed: another need
    ("cabinet morel le scanner remarche c'était le câble par contre les factures ne "
     "s'impriment plus", True),
    # a failure before "par contre" (a negation between) is no contrast
    ("cabinet morel la carte vitale ne passe plus par contre les feuilles de soins partent "
     "plus", True),
])
def test_r08_what_works_told_against_what_fails_is_no_other_need(second: str,
                                                                 another: bool) -> None:
    verdict = judge("cabinet morel le scanner n'envoie plus les documents dans la ged",
                    second, existing_vague=False, new_vague=False)
    assert ((verdict.same, read_by(verdict)) == (False, "said")) is another
    if not another:
        assert "contrast" in {hit.key for hit in read_need(second, LEXICONS["fr"])[1]}


@pytest.mark.parametrize("again", [
    "épicerie fine la caisse est toujours un peu lente mais bon je voulais surtout savoir "
    "comment on fait une remise pour les clients fidèles",
    "étude hubert la lenteur c'est toujours là mais on fait avec ce matin les virements ne "
    "sortent plus dans le fichier sepa",
    "épicerie fine c'est encore pour la caisse je voudrais savoir comment ajouter un moyen de "
    "paiement",
])
def test_r08_the_open_need_told_as_minor_or_asked_about_is_not_what_the_caller_brings(
        again: str) -> None:
    # "surtout", "on fait avec", "c'est encore pour X, comment…": the call's reason is
    # another need (the dev batches cw and ct)
    verdict = judge("épicerie fine la caisse met 2 minutes à s'ouvrir et plante quand je fais "
                    "un retour", again, existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (False, "said")
    # back about the same thing, failing still: the open need
    assert judged("épicerie fine la caisse plante quand je fais un retour",
                  "épicerie fine c'est encore pour la caisse elle plante toujours pas moyen de "
                  "faire un retour")
    # the till crashing again, on another sale this time: the same function failing, which
    # the guide labels the same need (tests/data/README.md; the dev batches fo-fq label so a
    # new symptom of one function); this test had it as another need until those rows came
    assert judged("épicerie fine la caisse met 2 minutes à s'ouvrir et plante quand je fais "
                  "un retour", "épicerie fine la caisse plante encore mais cette fois quand "
                  "j'encaisse un bon cadeau")


@pytest.mark.parametrize("text", [
    "c'est au sujet du logiciel de réservation je vous rappellerai",
    "bonjour je vous appelle par rapport au fichier patients voilà rappelez moi au 04 78 62 11 35",
    "euh oui c'est à propos de la caisse enfin du logiciel voilà",
    "c'est pour le dossier que j'ai ouvert mardi voilà",
])
def test_r07_what_the_call_is_about_named_and_left_unsaid_is_vague(text: str) -> None:
    c = classify(text)
    assert (c.vague, c.rule) == (True, "vague:topic")
    assert "le sujet de l'appel est nommé" in explain(c, "fr")


def test_r07_what_the_call_is_about_with_a_failure_or_a_question_states_a_need() -> None:
    assert classify("c'est au sujet des factures elles sortent plus").tier is Tier.HIGH
    asked = classify("c'est à propos de la mise à jour est-ce qu'on doit l'installer")
    assert (asked.vague, asked.tier) == (False, Tier.LOW)


@pytest.mark.parametrize("again", [
    "beauté divine on a fait ce que vous avez dit pour la clôture mais est-ce qu'il faut la "
    "refaire pour les jours d'avant",
    "beauté divine merci pour les explications d'hier par contre je ne vois pas où on met la "
    "date de la clôture",
    "beauté divine votre collègue m'a dit de relancer la clôture c'est fait mais le ticket z "
    "reste vide",
])
def test_r08_support_s_advice_followed_or_thanked_for_then_a_doubt_is_the_same_need(
        again: str) -> None:
    # The dev batches cv, dc and dd: the advice was about the open need, so what is still
    # unclear or failing with it is that need, "par contre" and a question notwithstanding.
    verdict = judge("salon beauté divine la clôture de caisse ne s'est pas faite hier soir",
                    again, existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (True, "said")
    # thanks for an intervention, then "par contre" and another failure: another need
    assert not judged("salon beauté divine la clôture de caisse ne s'est pas faite hier soir",
                      "beauté divine merci pour l'intervention la clôture est passée par contre "
                      "les sms de rappel ne partent plus")


@pytest.mark.parametrize("text", [
    "les dsn de ce mois veulent pas partir et la date limite c'est aujourd'hui",
    "les factures veulent plus s'imprimer depuis ce matin",
])
def test_r06_what_will_not_work_is_a_failure_whatever_it_fails_to_do(text: str) -> None:
    # "ne veut plus démarrer" was read; "veulent pas partir" (the dev batch dh) was not.
    c = rules_and_signs(text)[0]
    assert c.tier in (Tier.HIGH, Tier.CRITICAL) and c.rule != "tier:default_low"
    assert any(m.startswith("vouloir") for m in c.matched)


def test_r08_a_first_need_naming_no_subject_decides_nothing_a_second_one_does() -> None:
    # "le logiciel est lent" names nothing to tell two needs apart: what fails by name after
    # it is weighed (it was said to be the same need, wrong on each dev pair it decided)
    verdict = judge("le logiciel est très lent", "bonjour des consultations d'hier ont disparu",
                    existing_vague=False, new_vague=False)
    assert verdict.by == "weights"
    # a second need naming nothing ("plus rien ne marche") is still the open one
    again = judge("les factures ne s'impriment plus", "plus rien ne marche du tout",
                  existing_vague=False, new_vague=False)
    assert (again.same, read_by(again)) == (True, "said")


@pytest.mark.parametrize(("text", "chasing"), [
    ("bonjour je vous ai appelé la semaine dernière toujours rien", True),
    ("je voulais avoir des nouvelles de ma demande", True),
    ("les ventes de la semaine dernière ont disparu des statistiques", False),
    ("la douchette ne reconnaît pas les étiquettes des nouvelles montures", False),
])
def test_r07_last_week_or_new_things_are_not_chasing_an_answer(text: str, chasing: bool) -> None:
    # "la semaine dernière" and "des nouvelles" alone were chasing phrases: 17 of the dev
    # pairs they decided as one need, of 43, were two.
    keys = {hit.key for hit in read_need(text, LEXICONS["fr"])[1]}
    assert ("chasing" in keys) is chasing


def test_r06_a_callback_asked_of_une_personne_is_no_failure() -> None:
    # "personne peut se connecter" is "personne ne peut" with the "ne" unheard (critical,
    # among the vital failures told without the usual words); "une personne" is someone
    assert classify("est-ce qu'une personne peut me rappeler").vague


def test_r06_a_queue_at_the_counter_is_what_the_failure_costs_not_a_way_round_it() -> None:
    # "une queue" was a painful workaround, which took "on délivre plus rien ... sur les 3
    # comptoirs" down to high (the dev batch dr); typing every code by hand still is one
    blocked = classify("bah là on délivre plus rien du tout le logiciel refuse toutes les "
                       "ordonnances sur les 3 comptoirs et on a une queue jusque sur le trottoir")
    assert (blocked.tier, "painful_workaround" in blocked.readings) == (Tier.CRITICAL, False)
    by_hand = classify("la douchette répond plus du coup on tape tous les codes à la main et ça "
                       "fait une queue pas possible")
    assert (by_hand.tier, "painful_workaround" in by_hand.readings) == (Tier.HIGH, True)


def test_r06_what_nobody_receives_any_more_is_a_function_broken() -> None:
    # "reçoivent plus" named no failure: the message read low (the dev batch dr)
    c = classify("depuis dimanche nos clients reçoivent plus le mail de confirmation de "
                 "réservation")
    assert (c.tier, c.matched) == (Tier.HIGH, ("recevoir plus le",))
    # chasing an answer still chases, and "ils reçoivent rien" (what a failure costs, as
    # often as not) names no failure
    assert classify("j'ai toujours pas reçu de réponse à ma demande").vague
    assert rules_and_signs("les patients reçoivent rien du tout")[0].rule != "tier:high"


@pytest.mark.parametrize("second", [
    "oui mode et vous euh toujours à la caisse mais pas la même chose le lecteur code barre "
    "fait plus rien quand on passe les étiquettes",
    "c'est encore plein sud toujours sur le logiciel mais pas pour la même chose comment on "
    "fait un échéancier de règlement",
])
def test_r08_the_same_place_but_not_the_same_thing_is_another_need(second: str) -> None:
    # "même chose" followed the open need up; negated, it says the opposite (dev batches dl, dn)
    first = "boutique mode et vous la caisse affiche erreur imprimante à chaque ticket"
    verdict = judge(first, second, existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (False, "said")
    assert judged(first, "mode et vous toujours la même chose l'erreur imprimante à chaque ticket")


@pytest.mark.parametrize("second", [
    "vidal encore c'était rentré dans l'ordre après votre appel mais rechute les fse reviennent "
    "rejetées",
    "les tilleuls votre collègue avait relancé l'envoi mardi et depuis ce matin plus rien part à "
    "nouveau les rappels de vaccins restent en attente",
])
def test_r08_a_relapse_of_the_settled_need_is_the_open_need(second: str) -> None:
    # "rechute" was no relapse, and "plus rien part à nouveau" read as "part à nouveau",
    # working again: the open need settled, so another one (dev batch do)
    first = "les feuilles de soins sont toutes refusées et les rappels de vaccins partent plus"
    assert judged(first, second)
    keys = {hit.key for hit in read_need(second, LEXICONS["fr"])[1]}
    assert "relapse" in keys


def test_r08_waiting_told_of_a_failure_after_a_question_is_another_need() -> None:
    # "en attente" chases an answer; after a question, beside a failure of its own ("les
    # commandes restent en attente et partent plus"), it is that failure (dev batch do)
    question = "je voudrais savoir comment on fait un inventaire partiel juste sur un rayon"
    verdict = judge(question, "les commandes aux distributeurs restent en attente et partent "
                    "plus depuis 3 jours", existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (False, "said")
    # after a failure, waiting is still the open need chased
    assert judged("les commandes aux distributeurs partent plus",
                  "les commandes sont toujours en attente elles partent plus")


@pytest.mark.parametrize("second", [
    "fromagerie dupuis la balance envoie les prix à la caisse merci nouvelle demande il faudrait "
    "que j'ajoute une vendeuse avec son code caisse",
    "docteur morel la facture s'édite deuxième sujet un des postes met 5 minutes à ouvrir le "
    "logiciel le matin",
    "c'est pas pour les rdv cette fois l'écran du poste de l'atelier reste figé",
    "toujours pour le logiciel mais là c'est une demande de devis pour un 4e poste",
])
def test_r08_a_second_subject_or_this_time_another_thing_is_another_need(second: str) -> None:
    # "nouvelle demande", "deuxième sujet", "cette fois l'écran", "mais là c'est" (dev
    # batches dv, bn, cr, dm)
    verdict = judge("la balance envoie plus le prix à la caisse et la facture s'édite plus",
                    second, existing_vague=False, new_vague=False)
    assert (verdict.same, read_by(verdict)) == (False, "said")


def test_r08_this_time_and_a_count_is_the_open_need_again() -> None:
    # "cette fois 210 euros": the open need's count again, not another thing (dev pair ch107)
    keys = {hit.key for hit in read_need("l'écart revient le total ne tombe toujours pas juste "
                                         "cette fois 210 euros", LEXICONS["fr"])[1]}
    assert "new_need" not in keys


@pytest.mark.parametrize("text", [
    "les clients repartent sans leur ticket de caisse",
    "l'allègement fillon est faux sur tous mes dossiers",
    "le médecin n'avait rien dans son dossier",
])
def test_r07_their_receipts_or_my_files_chase_no_answer(text: str) -> None:
    # "mon ticket" and "mon dossier", read as lemmas, were "leur ticket", "mes dossiers":
    # 8 of the 22 dev pairs they decided as one need were two. They are vague words now.
    keys = {hit.key for hit in read_need(text, LEXICONS["fr"])[1]}
    assert "chasing" not in keys
    assert "chasing" in {hit.key for hit in read_need("c'est pour mon dossier en cours",
                                                      LEXICONS["fr"])[1]}
    # alone, "mon dossier" or "notre dossier" still says nothing of a need: vague
    assert classify("salon éclat bonjour euh je voulais savoir où en était notre dossier").vague
