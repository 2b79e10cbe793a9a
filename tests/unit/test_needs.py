"""R8 one need, one entry: is a new message from the same caller about the open need?"""

from __future__ import annotations

import pytest

from callq.waiting.classify import classify
from callq.waiting.needs import same_need


def judged(existing: str | None, new: str | None) -> bool:
    """same_need with the vague flags classify gives, as the service will call it."""
    return same_need(
        existing, new,
        existing_vague=classify(existing).vague, new_vague=classify(new).vague,
    )


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ("Impression des factures impossible depuis ce matin",
         "Re-bonjour, je n'arrive toujours pas à imprimer mes factures"),
        ("Bonjour c'est Durand, la facturation est bloquée depuis ce matin",
         "Durand encore, toujours impossible de facturer, rappelez-moi"),
        ("Le serveur est en panne", "Le serveur ne démarre toujours pas, c'est urgent"),
        ("Les rappels vaccins ne partent plus par SMS",
         "Rebonjour, les SMS de rappel des vaccins ne sont toujours pas envoyés"),
        ("Question sur la mise à jour du poste de l'accueil",
         "C'est au sujet de la mise à jour, le poste de l'accueil affiche une erreur"),
    ],
)
def test_r08_same_problem_phrased_twice_is_one_need(existing: str, new: str) -> None:
    assert judged(existing, new)
    assert judged(new, existing)


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ("Impression des factures impossible", "Question sur la mise à jour du poste"),
        ("L'impression des factures ne marche plus", "Les ordonnances ne marchent plus"),
        ("Les rappels vaccins ne partent plus par SMS", "Erreur sur l'export comptable du mois"),
        ("L'imprimante des étiquettes est en panne", "Le poste de l'accueil ne démarre plus"),
        ("L'imprimante est en panne", "Le lecteur de cartes vitale est en panne"),
        ("Le mot de passe de la secrétaire est bloqué", "Les ordonnances ne s'impriment plus"),
    ],
)
def test_r08_genuinely_different_need_is_a_new_entry(existing: str, new: str) -> None:
    assert not judged(existing, new)
    assert not judged(new, existing)


@pytest.mark.parametrize(
    "new", ["Rappelez-moi", "C'est encore Madame Durand, 06 12 34 56 78", None]
)
def test_r08_vague_repeat_is_about_the_open_need(new: str | None) -> None:
    assert judged("Les relances clients ne partent plus par email", new)


def test_r08_new_stated_need_completes_the_open_vague_entry() -> None:
    assert judged("Rappelez-moi au 06 12 34 56 78", "C'est pour les relances clients par email")


def test_r08_vague_flags_decide_before_the_words() -> None:
    # The flags come from the caller's classification (or an agent): they win over the text.
    text_a, text_b = "Impression des factures impossible", "Question sur la mise à jour du poste"
    assert same_need(text_a, text_b, existing_vague=True, new_vague=False)
    assert same_need(text_a, text_b, existing_vague=False, new_vague=True)
    assert not same_need(text_a, text_b, existing_vague=False, new_vague=False)


def test_r08_need_without_a_subject_is_kept_with_the_open_entry() -> None:
    # "Plus rien ne marche" says how bad, not what: nothing tells it apart from the open need.
    assert judged("Impression des factures impossible", "Plus rien ne marche maintenant")
