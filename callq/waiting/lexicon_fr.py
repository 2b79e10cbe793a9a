"""The built-in French lexicon: the seeds' scale in the words callers use on a support line.

Phrases are matched on lemmas, so one form stands for all ("bloquée" for "bloqués", "ne marche
plus" for "ne marchent plus"); "…" stands for a few words. Lists that combine a few verbs with a
few ways of saying "no longer" are built from those parts, so adding a verb covers every form.
"""

from __future__ import annotations

from callq.waiting.lexicon import Lexicon

# What stops working. "ne" is often swallowed by speech ("ça marche plus"): never required.
FAILING = ("marcher", "fonctionner", "démarrer", "ouvrir", "lancer", "imprimer", "partir",
           "envoyer", "répondre", "afficher", "passer", "sortir", "charger", "connecter", "lire",
           "synchroniser", "remonter", "enregistrer", "générer", "calculer", "appliquer",
           "reconnaître", "détecter", "allumer", "intégrer", "importer", "exporter", "transmettre",
           "télétransmettre", "valider", "communiquer", "accepter", "apparaître", "arriver",
           "ranger", "encoder", "coder", "créditer", "créer", "tourner", "bouger", "reprendre",
           "déduire", "revenir", "éditer", "rapprocher", "répercuter", "déposer")
# What comes out lacking a part of it ("sortent sans le montant", "sans notre numéro"; not
# "sans problème"): "le" stands for la, les, l' and "son" for every possessive (their lemmas).
_OUTPUT = ("sortir", "partir", "envoyer", "imprimer", "arriver", "générer", "afficher")
_LACKING = ("le", "son")
_NO_LONGER = ("plus", "pas", "toujours pas", "plus du tout", "pas du tout", "jamais")
_PARTICIPLES = ("envoyé", "reconnu", "lu", "détecté", "calculé", "pris en compte",
                "transmis", "imprimé", "enregistré", "synchronisé", "tourné")
# How a caller fixes by hand what the software got wrong: a workaround that exists.
_FIXES = ("corriger", "modifier", "rajouter", "ajouter", "taper", "saisir", "déplacer",
          "refaire", "envoyer", "imprimer", "donner", "remettre", "rectifier")
# Vital processes: when they cannot be done at all, the site is stopped.
VITAL = ("facturer", "encaisser", "travailler", "vendre", "délivrer", "faire payer",
         "soigner", "consulter", "ouvrir aucun", "rien faire", "rien encaisser", "éditer aucun",
         "servir", "rien saisir", "prendre un paiement", "prendre le paiement",
         "prendre les paiements")
# What those processes make: not being able to make them at all stops the site as well.
VITAL_WORK = ("facture", "consultation", "vente", "encaissement", "paie", "bulletin",
              "honoraires", "salaire")
_CANNOT = ("impossible de", "pouvoir plus", "pouvoir pas", "plus moyen de", "arriver plus à",
           "arriver pas à", "aucun moyen de", "aucun moyen d'",
           "pouvoir plus rien", "pouvoir rien", "pouvoir ni", "vouloir plus", "vouloir plus rien",
           # "plus aucun ordinateur (n')arrive à": none of them can any more
           "plus aucun … arriver à", "plus aucune … arriver à", "plus aucun … pouvoir",
           "plus aucune … pouvoir",
           # "aucun des comptoirs n'arrive à délivrer", "aucun comptoir ne peut faire de vente"
           "aucun … ne arriver à", "aucune … ne arriver à",
           *(f"aucun {place} ne pouvoir" for place in ("comptoir", "poste", "ordinateur")),
           "aucune caisse ne pouvoir",
           # "ni la réception ni la salle ne peuvent sortir une facture"
           "ni … ne pouvoir")
# Vital processes and the site itself, said to be blocked: the site is stopped. Anything else
# blocked ("le module de fidélité est bloqué") is a function broken: high.
BLOCKED_WHOLE = ("tout", "on être", "nous être", "caisse", "facturation", "encaissement", "paie",
                 "ordonnance", "agenda", "planning", "consultation", "télétransmission",
                 "télé transmission")
# The tools of a vital process, and their not working at all: "le module de paie ne s'ouvre
# plus", "la caisse ne marche plus" (on one workstation only, the scope makes it high).
_VITAL_TOOLS = ("caisse", "facturation", "encaissement", "paie", "agenda", "planning",
                "télétransmission")
_WONT_OPEN = ("ouvrir plus", "marcher plus", "fonctionner plus", "démarrer plus", "ouvrir pas",
              "marcher pas", "fonctionner pas", "démarrer pas", "refuser de … ouvrir",
              # "ni la facturation ni la télétransmission ne fonctionnent"
              "ni … ne fonctionner", "ni … ne marcher")
# Making what a vital process makes: "impossible de lancer la paie", "on peut plus sortir de
# factures".
_MAKE = ("faire", "lancer", "sortir", "éditer", "valider", "créer", "générer", "établir",
         "finir", "calculer", "émettre", "enregistrer")
# Ways of saying that something is out of order, as a whole ("le serveur est hs").
_OUT = ("hs", "h s", "down", "en rade", "inutilisable", "ko", "en carafe")
# The whole system, and the ways it goes down as a whole.
SYSTEM = ("serveur", "logiciel", "base", "réseau", "système")
_DOWN = ("en panne", "planté", "démarrer plus", "démarrer pas", "ouvrir plus", "lancer plus",
         "allumer plus", "redémarrer pas", "hors service", "inaccessible", "répondre plus",
         "corrompu", "corrompue", "mort", "tombé", "à l'arrêt", "éteint", "crashé", "bloqué",
         "ouvrir sur aucun", "lancer sur aucun", "démarrer sur aucun", "refuser de … ouvrir",
         *_OUT, "ouvrir pas", "lancer pas", "allumer pas", "répondre pas",
         "redémarrer plus", "vouloir plus … démarrer", "marcher plus du tout",
         "fonctionner plus du tout", "arrêté", "s'arrêter", "vouloir pas … démarrer",
         "vouloir plus … ouvrir", "vouloir pas … ouvrir", "refuser de démarrer",
         "erreur au démarrage", "erreur au lancement", "planter au démarrage",
         "planter au lancement", "planter à l'ouverture", "tourner dans le vide",
         # gone as soon as it opens: "le logiciel démarre et disparaît aussitôt"
         "démarrer et disparaître", "disparaître aussitôt", "se fermer aussitôt",
         # no server to work on: "le logiciel ne trouve pas le serveur"
         "trouver pas le serveur", "trouver plus le serveur",
         "se fermer tout de suite", "se fermer aussi sec",
         # "reste" is read as the noun: both forms
         *(f"{stay} sur {screen}" for stay in ("rester", "reste")
           for screen in ("le sablier", "l'écran de chargement")))

# Function words, time words and spoken digits: they never say what the need is.
_STOPWORDS = """
a ai as au aux avec avez avoir avons c ca ce ces cet cette chez comme comment d dans de des
donc du elle en encore est et etait ete etre eu fait faire il ils j je l la le les leur lui m ma
mais me mes moi mon meme n ne ni nos notre nous on ou par pas peu petit petite plus pour qu que
quel quelle qui quoi rien s sa sans se ses si son sont suis sur t ta te tes toi ton tous tout
toute toutes tres tu un une vos votre vous y aujourd hui hier demain matin midi apres soir
semaine lundi mardi mercredi jeudi vendredi samedi dimanche heure heures minute minutes
maintenant zero deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze
seize vingt trente quarante cinquante soixante cent mille toujours depuis deja re vraiment
completement bien aussi alors puis quand aller vouloir souhaiter aimer pouvoir devoir falloir
dire venir appeler laisser ca cela ceci celui celle dont parce car afin non bon hein
juste trop assez beaucoup jamais chose fois autre personne besoin suite voir jour journee
entier mois
"""

# What software and work are made of: a message naming none of them, and no severity, states
# no need however many words it has ("c'est madame lopez du cabinet lopez et associés").
_SUBJECTS = """
facture facturation devis chiffrage assurance avoir caisse ticket étiquette imprimante impression
imprimer agenda
planning rendez-vous rdv ordonnance dossier fiche patient client cliente stock commande livraison
fournisseur grossiste mail email courriel sms texto courrier lettre relance vaccin paie salaire
bulletin déclaration tva taxe bilan liasse écriture compte comptabilité compta banque virement
prélèvement paiement carte tpe terminal chèque espèce remise tarif prix promotion fidélité
export exporter import importer fichier pdf excel word sauvegarde sauvegarder mise version
jour mot passe identifiant connexion connecter internet réseau serveur poste ordinateur pc
écran clavier souris scanner douchette tablette application module menu onglet bouton fenêtre
réglage paramètre paramétrer modèle logo en-tête police champ statistique chiffre rapport
synchronisation site formation utilisateur licence abonnement contrat radio image photo
document acte formulaire mutuelle tiers vitale télétransmission feuille soin sécurité chambre
réservation arrivée note véhicule immatriculation réparation pièce robot balance stupéfiant
registre lot péremption consultation séance prescription honoraire reçu remboursement devis
tournée signature certificat base donnée message accent caractère date heure adresse
question comment installer installation configurer nouveau nouvelle ajouter créer modifier
changer supprimer saisir saisie calcul calculer montant total solde mouvement marge vente
inventaire catalogue article produit code barre étiquetage planning logiciel programme
clôture
"""

FRENCH = Lexicon(
    critical=(
        *(f"{s} … {d}" for s in SYSTEM for d in _DOWN),
        *(f"{c} … {v}" for c in _CANNOT for v in VITAL),
        *(f"{c} {m} … {w}" for c in _CANNOT for m in _MAKE for w in VITAL_WORK),
        # "je peux pas leur faire leur facture", "on peut facturer aucun patient", "je peux
        # faire payer personne"
        *(f"{c} {them} {m} … {w}" for c in ("pouvoir pas", "pouvoir plus")
          for them in ("leur", "lui", "vous") for m in _MAKE for w in VITAL_WORK),
        *(f"{none} {w}{ne} {out}" for none in ("aucun", "aucune") for w in VITAL_WORK
          for ne in ("", " ne") for out in ("sortir", "partir")),
        *(f"pouvoir {v} {none}" for v in ("facturer", "encaisser", "vendre", "délivrer",
                                          "faire payer", "soigner", "servir")
          for none in ("aucun", "aucune", "personne", "rien")),
        *(f"{c} {v} … {s}" for c in _CANNOT for v in ("lancer", "ouvrir", "démarrer")
          for s in SYSTEM),
        "plus personne pouvoir", "on faire rien", "faire rien du tout",
        "personne ne arriver à",
        "personne … ne pouvoir", "personne … pouvoir plus", "personne arriver plus",
        # "ne" unheard, as the recognition often writes it: "personne peut se connecter"
        *(f"personne {can} {v}" for can in ("pouvoir", "arriver à")
          for v in ("se connecter", "s'y connecter", "ouvrir", "travailler", "encaisser",
                    "facturer")),
        "personne n'arrive plus", "plus personne arriver", "aucun paiement",
        "baisser le rideau", "baisser le rideau en attendant", "fermer en attendant",
        # People sent away: the work cannot be done ("on a renvoyé 3 patients chez eux")
        "renvoyer … chez eux", "renvoyer … chez elles", "renvoyer les patients",
        "renvoyer nos patients", "renvoyer les clients", "pouvoir donner aucun rendez-vous",
        *(f"{put_off} {every} {who}" for put_off in ("reporter", "décaler")
          for every in ("tous les", "toutes les")
          for who in ("patients", "rendez-vous", "signatures", "clients")),
        "dans un autre hôtel", "aucun fauteuil", "accès … ni les dossiers",
        "plus aucun rendez-vous", "aucun rendez-vous ne s'affiche",
        *(f"ouvrir plus {none} {w}" for none in ("aucun", "aucune")
          for w in ("dossier", "acte", "fiche", "facture")),
        "refuser … toutes les ventes", "refuser … toutes les factures",
        "refuser … toutes les délivrances", "pouvoir plus rien donner",
        # Nothing reachable at all, or one patient's record shown for another's
        "accès à rien", "accès à aucun",
        # Nothing of the vital work at all: "pas de facturation", "pas un seul ticket"
        "pas de facturation", "plus de facturation", "pas un seul ticket", "aucune consultation",
        "encaisser ni", "sans agenda", "sans caisse", "ni facture ni encaissement",
        # Neither this nor the vital work: "on peut ni envoyer les commandes ni encaisser"
        *(f"ni {v}" for v in ("encaisser", "facturer", "délivrer", "vendre")),
        *(f"ni à {v}" for v in ("encaisser", "facturer", "délivrer", "vendre")),
        # a hotel that can check nobody in or out
        "aucune arrivée", "aucun départ",
        # "je n'ai ni l'agenda ni la caisse", "plus accès ni au planning ni à la facturation"
        *(f"ni {the} {w}" for the in ("le", "la", "l'", "au", "à la", "à l'")
          for w in _VITAL_TOOLS),
        # the software as a whole: "le logiciel refuse toute connexion"
        "refuser toute connexion", "refuser tout accès", "refuser toutes les connexions",
        "on est en panne", "nous sommes en panne", "consulter à l'aveugle",
        "prendre l'argent", "aucun article passe", "aux bons patients", "aucune vente passe",
        "aucune vente ne passe",
        # the work stopped for it: "on a dû arrêter de vendre"; not one card going through
        *(f"arrêter de {v}" for v in ("vendre", "encaisser", "facturer", "délivrer", "soigner",
                                       "servir", "travailler")),
        "pas une carte", "pas une seule carte",
        # "pour faire payer c'est impossible", "encaisser c'est impossible"
        *(f"{v} c'est impossible" for v in ("faire payer", "encaisser", "facturer", "vendre",
                                             "délivrer")),
        *(f"{what} d'un autre {who}" for what in ("dossier", "fiche")
          for who in ("patient", "client", "animal")),
        "d'autres patients", "d'autres personnes", "d'autres clients",
        "d'un autre patient", "d'un autre client", "dans les mauvais dossiers",
        *(f"{v} plus{rest}" for v in ("encaisser", "vendre", "facturer", "délivrer", "soigner")
          for rest in ("", " rien")),
        # Nobody served at all: "on encaisse personne", "on n'a encaissé aucune cliente"
        *(f"{v} personne" for v in ("encaisser", "vendre", "facturer", "délivrer", "soigner",
                                     "servir")),
        *(f"{v} aucun" for v in ("encaisser", "vendre", "délivrer")),
        *(f"{w} … {f}" for w in _VITAL_TOOLS for f in _WONT_OPEN),
        *(f"aucun {w} possible" for w in (*VITAL_WORK, *_VITAL_TOOLS)),
        *(f"{w} … bloqué" for w in BLOCKED_WHOLE),
        "plus rien ne marche", "plus rien ne fonctionne", "rien ne marche", "rien ne fonctionne",
        "plus rien ne va", "à l'arrêt", "arrêt complet",
        # the "ne" unheard: "rien fonctionne", "plus rien marche"
        "rien fonctionne", "rien marche",
        # "on peut sortir aucun bulletin", "je peux faire aucune facture" ("aucune" is the
        # lemma "aucun")
        *(f"pouvoir {m} aucun {w}" for m in _MAKE for w in VITAL_WORK),
        "impossible de faire … factures", "pouvoir plus faire … factures",
        "plus personne ne peut", "personne ne peut travailler", "peut plus rien faire",
        "peut rien faire", "n'a plus accès à rien", "plus accès à rien", "perte de données",
        "base de données inaccessible", "base inaccessible", "erreur fatale", "être chiffré",
        "virus", "rançon", "écran noir", "écran bleu", "écran … noir", "aucun ne pouvoir",
        "complètement figé", "tout figé", "tout être figé",
        *(f"{lost} … serveur" for lost in ("connexion perdu", "perte de connexion",
                                            "perdre la connexion")), "serveur introuvable",
        # "on ne peut ni voir les dossiers ni faire une consultation", "on peut faire ni les
        # départs ni les factures"
        *(f"{before} … {w}" for m in _MAKE for before in (f"ni {m}", f"pouvoir {m} ni")
          for w in VITAL_WORK),
    ),
    high=(
        # nothing can be saved: "la base est en lecture seule"
        "en lecture seule",
        # closes as soon as it is used: "se referme tout seul dès qu'on clique"
        "se fermer tout seul", "se refermer tout seul", "se fermer toute seule",
        "se refermer toute seule",
        # stuck on a grey screen ("reste" is read as the noun: both forms)
        *(f"{stay} {grey}" for stay in ("rester", "reste")
          for grey in ("sur un écran gris", "sur l'écran gris", "gris")),
        # a device not found is no data lost ("message périphérique twain introuvable"), nor a
        # scanner that reads nothing ("ne lit plus rien dans le logiciel")
        "périphérique … introuvable", "lecteur introuvable", "scanner introuvable",
        "imprimante introuvable", "modèle introuvable",
        # a screen left blank: "l'agenda reste tout blanc"
        "rester tout blanc", "reste tout blanc",
        # a function that no longer does anything there, not data lost: "le scanner n'envoie
        # plus rien dans les dossiers", "les cartes restent à zéro"
        *(f"{v} plus rien dans" for v in FAILING), "rester à zéro", "reste à zéro",
        *(f"{v} {n}" for v in FAILING if v != "arriver" for n in _NO_LONGER),
        # Refusing to work: "le programme ne veut plus démarrer" (not a wish)
        *(f"vouloir {n} {v}" for n in ("plus", "pas")
          for v in ("s'ouvrir", "se lancer", *FAILING)),
        *(f"{n} {p}{end}" for p in _PARTICIPLES for n in ("plus", "pas", "toujours pas", "non")
          for end in ("", "s")),
        "arriver plus", "arriver plus à", "impossible de", "impossible d'", "pouvoir plus",
        "plus aucun … arriver à", "plus aucune … arriver à", "plus aucun … pouvoir",
        "plus aucune … pouvoir", "plus moyen", "erreur", "message d'erreur", "échouer",
        "plantage", "planter", "planté",
        "figer", "figé", "gelé", "grisé", "bug", "bogue", "crash", "crasher", "en panne",
        "hors service",
        "se fermer", "se bloquer", "bloquant", "refuser", "rejeté", "rejet", "échec",
        "inaccessible", "mort", "tourne dans le vide", "plus accès", "plus d'accès", "pas d'accès",
        "aucun accès", "rien ne sort", "rien ne part", "mot de passe … bloqué",
        *(f"plus rien … {v}" for v in FAILING if v != "arriver"),
        # What comes out empty was not made: a function broken, not data lost.
        "sortir vide", "fichier vide", "document vide", "page blanche", "sortir … vide",
        "écran … blanc", "rester blanc", "en boucle", "charger indéfiniment", "voir plus aucun",
        "compte … bloqué", "ça plante", "bloqué", *_OUT, "licence expiré", "licence … expiré",
        "licence … invalide", "licence … suspendu", "licence … déjà utilisé", "base … endommagé",
        "connexion … impossible", "mot de passe … incorrect", "identifiant … incorrect", "inconnu",
        "synchronisation impossible", "réparation impossible", "reste à 99",
        "nombre maximal", "pouvoir pas entrer", "montrer rien",
        "erreur de licence", "pilote introuvable", "carte introuvable", "lecteur introuvable",
        "périphérique introuvable", "non trouvé",
        *(f"{v} sur aucun" for v in ("charger", "afficher", "ouvrir", "lancer", "démarrer",
                                     "marcher", "fonctionner")),
        # What was being typed, lost when it crashes: a crash, not lost records.
        "perdre la saisie", "perdre ma saisie", "perdre notre saisie", "perdre ce que … tapé",
        "perdre ce que … saisi", "perdre ce que … écrit",
        # "aucun poste ne marche": a failure said with "aucun" instead of "plus".
        *(f"aucun … ne {v}" for v in ("marcher", "fonctionner", "répondre", "démarrer",
                                      "arriver", "sortir", "partir")),
        "vouloir pas se", "vouloir plus se",
        # "les clients reçoivent plus le mail de confirmation", "leurs factures" ("le" stands
        # for la, les, l', "son" for every possessive); not "ils reçoivent rien", which tells
        # what a failure costs more often than it names one
        *(f"recevoir plus {det}" for det in _LACKING),
    ),
    medium=(
        "lent", "lenteur", "ralenti", "ramer", "mettre du temps", "mettre longtemps",
        "mettre … temps", "prendre du temps", "beaucoup de temps", "une minute",
        "erreur de saisie", "erreur de manipulation", "mauvaise manipulation", "fausse manip",
        "en double", "doublon", "deux fois", "2 fois", "anomalie", "incorrect", "faux", "fausse",
        "mauvais", "mauvaise", "ne correspond pas", "avec le même numéro", "correspondre pas",
        "mettre des heures", "négatif", "négative", "négatives", "négatifs",
        "décalage", "décalé", "décaler", "écart", "mal", "manquer", "inversé", "inverser",
        "arriver pas à", "trouver pas",
        # Cut off, not a haircut: "coupé" and "coupés" read as "coupe" ("salon coupe et
        # style"), "coupée" as "couper".
        "couper", "sortir coupé", "arriver coupé", "coupé en", "coupé depuis",
        "une éternité",
        "se déconnecter", "au lieu de", "à la place de", "remplacer par", "de travers",
        "déborder", "bizarre", "mise en page … bouger", "prendre plus de", "demi-heure",
        "alors qu'avant", "mettre … minutes", "mettre … secondes", "perdre du temps",
        "perdre un temps", "perdre … temps", "mettre … longtemps", "attendre … minutes",
        "très long", "trop long", "long à", "long pour",
        *(f"{v} … sans {a}" for v in _OUTPUT for a in _LACKING),
        "déconnecter", "retard", "pas automatiquement", "pas tout seul", "ancien barème",
    ),
    vague=(
        "bonjour", "bonsoir", "allô", "oui", "au revoir", "bonne journée", "merci",
        "merci beaucoup", "je vous remercie", "s'il vous plaît", "svp", "à bientôt",
        "rappelez-moi", "rappelez-nous", "rappeler", "pas de rappel", "merci de me rappeler",
        "recontacter", "contacter", "me contacte", "votre rappel", "je m'appelle",
        "mon numéro est", "numéro", "portable", "téléphone", "joignable", "laisser un message",
        # a case or ticket named, its content unsaid (not chasing: read as lemmas, "mon
        # dossier" is also "tous mes dossiers", which a stated need may hold)
        "mon dossier", "mon ticket",
        "je vous laisse un message", "mon message", "répondeur", "encore moi", "c'est urgent",
        "urgent", "urgence", "important", "vite", "rapidement", "au plus vite",
        "dès que possible", "asap", "quand vous pouvez", "quand vous aurez", "problème",
        "petit problème", "souci", "petit souci", "gros problème", "gros souci", "question",
        "ennui", "petit ennui", "programme", "me joindre", "ce serait gentil",
        "petite question", "question rapide", "renseignement", "information", "logiciel",
        "clinique", "cabinet",
        "société", "vétérinaire", "magasin", "garage", "pharmacie", "hôtel", "salon",
        "secrétariat", "technicien", "service technique", "support", "hotline", "quelqu'un",
        "parler à", "parler avec", "besoin d'aide", "besoin de vous", "aide",
        "rendez-vous téléphonique", "rendez-vous avec", "être rappelé", "concernant",
        "au sujet de", "voilà", "euh", "heu", "hum", "ben", "bah", "ok", "d'accord", "allo",
        "ça coupe", "ça a coupé", "recontacté", "rappellerai", "je vous appelais",
        "en parler au téléphone", "par rapport à", "notre échange", "dont on avait parlé",
        "kiné", "dentaire", "comptable", "médical", "vétérinaire", "fiduciaire", "expertise",
        "associés", "avocat", "avocats", "notarial", "office", "étude", "optique", "opticien",
        "carrosserie", "boulangerie", "centre", "maison de santé", "assistante", "secrétaire",
        "stagiaire", "gérant", "gérante",
    ),
    # Not "suite à mon appel", "votre appel", "je rappelle parce que": back after a call says
    # nothing of what the call is about (a new need as often as the same one); the same-need
    # weights weigh the rest.
    chasing=(
        "où en est", "où vous en êtes", "où ça en est", "où en sommes",
        # news asked for, not "les étiquettes des nouvelles montures"
        "avoir des nouvelles", "des nouvelles de", "des nouvelles du", "des nouvelles pour",
        "des nouvelles concernant", "quelles nouvelles",
        "avoir de vos nouvelles", "eu de vos nouvelles", "pas de nouvelles", "avez du nouveau",
        "personne ne m'a", "personne ne nous a",
        "pas été rappelé", "toujours pas été", "j'attends", "on attend", "nous attendons",
        "attendre toujours", "en attente", "pas de retour", "pas eu de retour", "un retour",
        "votre retour", "pas de réponse", "une réponse", "toujours rien", "rien de votre côté",
        "je relance", "relancer ma demande", "de relancer", "relancer le dossier",
        "je rappelle pour", "je rappelle comme", "je rappelle une",
        "troisième fois", "quatrième fois", "deuxième fois pour",
        "suite de mon dossier", "suivi de ma demande", "suivi de mon", "ma demande",
        # not "mon ticket", "mon dossier" (they are among the vague words): read as lemmas,
        # they are "leurs tickets de caisse", "tous mes dossiers", "dans son dossier" too,
        # which chase nothing when a need is told beside them
        "dossier en cours", "demande en cours", "ticket en cours",
        "vous deviez", "devait me rappeler", "on devait me", "vous m'aviez dit",
        "quand vous allez", "quand on va", "va nous rappeler", "va me rappeler",
        "s'occupe de mon", "bien été pris en compte", "bien pris en compte",
        "bien été enregistré", "eu mon message",
        "ce qu'il en est", "pu avancer", "avait avancé", "je patiente", "déjà appelé",
        "j'ai appelé", "j'avais appelé", "laissé un message", "je vous ai laissé",
        "toujours pour le même", "encore pour ma", "pour la même chose", "même problème",
        "comme convenu", "on m'a dit de rappeler", "que je vous ai dit", "je vous ai parlé",
        "au sujet de mon appel", "regardé mon problème", "mon problème",
        "le problème de ce matin", "que j'attends", "j'ai appelé", "pas réglé", "pas résolu",
        "où on en est", "notre demande", "on attend toujours", "attendre toujours",
        "même dossier", "notre problème", "ticket que", "ticket qu'",
        "au sujet du ticket", "concernant le ticket", "ticket numéro", "pour le ticket",
        # "j'ai appelé la semaine dernière", not "les ventes de la semaine dernière ont disparu"
        "ticket qu'on a ouvert", "appelé la semaine dernière", "bien été prise en compte",
        "bien prise en compte", "demande a été prise",
        "vous relancer", "pas de réponse non plus", "rien reçu", "personne m'a",
        "personne ne m'a rappelé", "laissé … messages", "je rappelle par rapport",
        "numéro de ticket", "vu personne", "sans nouvelles", "pas eu lieu",
        "m'aviez promis", "aucune nouvelle", "devait se connecter", "pas connecté",
        "technicien devait passer",
        "puis plus rien", "un délai", "vous avez trouvé", "je rappelle pour savoir",
        "suite au mail",
    ),
    # The first message corrected or narrowed, whatever link word comes first ("par contre je
    # précise", "autre chose que j'ai oublié de préciser", "c'est pas que l'impression")
    correcting=(
        "je précise", "je vous précise", "je me suis mal expliqué", "je me suis mal expliquée",
        "c'est pas que", "ce n'est pas que", "c'est seulement", "pas seulement",
        "oublié de préciser", "en plus de ce que", "petite correction", "je corrige ce que",
        "je me corrige", "je rectifie ce que",
    ),
    new_need=(
        "autre chose", "autre problème", "autre souci", "nouveau problème", "nouveau souci",
        "rien à voir", "par ailleurs", "autre question", "autre demande", "rien avoir avec",
        "par contre", "mais maintenant", "en plus de", "autre sujet", "sans rapport",
        "maintenant c'est l'", "maintenant c'est le", "maintenant c'est la", "cette fois c'est",
        "là c'est l'", "là c'est le", "là c'est la",  # "ça remarche là c'est la caisse"
        "mais cette fois", "mais là c'est",
        # "c'est pas pour les rdv cette fois l'écran ...": this time, another thing; not "cette
        # fois 210 euros", the open need's count again ("le" stands for la, les, l')
        "cette fois le",
        "cette fois-ci c'est", "j'en profite", "pendant que j'y pense", "au passage",
        "tant que je vous ai", "et sinon", "deuxième chose", "deuxième problème",
        "second problème", "d'autre part", "une question", "ce coup-ci", "ce coup ci",
        "aussi un problème", "aussi un vrai problème", "aussi un souci", "aussi un autre",
        "on a aussi", "un autre point", "pour un autre point",
        # The open need solved, then another: "l'agenda c'est bon on a trouvé le paramètre
        # mais", "la révision marche de nouveau mais", "le poste est reparti mais"
        *(f"{fixed} mais" for fixed in ("c'est bon", "est reparti", "est repartie",
                                        "sont repartis", "c'est reparti", "remarche",
                                        "refonctionne", "marche de nouveau",
                                        "fonctionne de nouveau", "marche à nouveau",
                                        "fonctionne à nouveau", "arrive de nouveau",
                                        "c'est réglé", "est réglé", "c'est revenu",
                                        "est revenu", "est sorti")),
        "on a trouvé … mais", "c'est bon on a trouvé",
        "merci beaucoup mais", "en revanche", "deuxième souci", "2e souci", "question à part",
        "pour une autre raison", "tant que je vous tiens", "encore un truc", "un autre truc",
        "ennui suivant", "nouvelle demande", "nouvelle question", "deuxième sujet",
        "second sujet", "2e sujet", "deuxième question", "2e question",
        # what fails now, told against the open need: "ce qui marche plus chez nous c'est"
        "ce qui marche plus", "ce qui marche pas", "ce qui coince", "ce qui m'embête",
        "ce qui déconne", "ce qui me préoccupe", "ce qui nous embête", "à côté de ça",
        # the open need told as minor now, then the call's real reason: "toujours un peu lent
        # mais je vous appelle surtout parce que", "mais c'est pas pour ça que j'appelle"
        "ce qui me gêne", "ce qui nous gêne", "je voulais surtout", "surtout je voulais",
        "j'appelle surtout", "je vous appelle surtout", "pas pour ça que j'appelle",
        "pas pour ça que je vous appelle", "pas pour ça que je vous appelais",
        "merci mais",
        # the same place, another thing: "toujours à la caisse mais pas la même chose"
        "pas la même chose", "pas pour la même chose", "pas le même problème",
        "pas le même souci",
    ),
    # The open need settled, whatever comes next: solved, done, or answered ("pour les
    # textos c'est rentré dans l'ordre", "le devis on l'a reçu on va réfléchir")
    settled=(
        "c'est réglé", "est réglé", "c'est résolu", "est résolu", "ça roule",
        "rentrer dans l'ordre", "plus besoin de", "ne vous embêtez plus", "laissez tomber",
        "fonctionne très bien", "tout tourne", "s'est bien passé", "on va réfléchir",
        "plus tard ce n'est pas pressé", "on l'a reçu", "on l'a fait avec",
        "on l'a fait nous-mêmes", "on l'a créé",
        "c'est bon", "l'a réglé", "l'a corrigé", "l'a activé", "l'a réactivé", "c'est corrigé",
        "est corrigé", "on a corrigé", "ça colle maintenant", "a réglé le", "ont réglé le",
        "c'est fait", "bonne nouvelle", "j'ai trouvé merci", "oubliez", "revenu tout seul",
        "est bien arrivé", "j'ai fini par trouver", "ça peut attendre", "c'est ok", "c'est parfait",
        "ça va beaucoup mieux", "ça va mieux", "on l'a bien reçu", "arrivé finalement",
        # put off: "la formation on verra à la rentrée", "pour la caisse on attend votre devis"
        "on verra plus tard", "on verra ça plus tard", "on verra à la rentrée", "on en reparlera",
        "on attend votre devis", "on attend vos dates",
        "on attend votre mail", "on attend votre commercial", "a fait le travail",
        "est bon maintenant",
        # working again, said in one word: "le tpe remarche c'était la box merci"
        "remarche", "remarchent", "refonctionne", "refonctionnent",
        # put up with: "la lenteur c'est toujours là mais on fait avec"
        "on fait avec", "on s'y fait", "c'est supportable",
        # working again: "les actes sortent en pdf de nouveau", "la salle 2 imprime à nouveau"
        *(f"{v} {again}" for v in FAILING for again in ("de nouveau", "à nouveau")),
        # its cause told: "les tickets blancs c'était le rouleau mis à l'envers"
        *(f"c'était {det}" for det in ("le", "la", "l'", "les", "un", "une", "des")),
    ),
    # What works, told against what fails ("le boîtier est bien allumé par contre quand je mets
    # la carte…", "rien ne sort par contre les factures elles sortent bien"): the failure
    # narrowed, so its "par contre" names no other need. Right before "par contre", so "ne
    # marche plus par contre" (a negation between) is none.
    contrast=(
        *(f"{v} par contre" for v in FAILING), *(f"{v} bien par contre" for v in FAILING),
        *(f"par contre … {v} bien" for v in FAILING),
        "bien par contre", "normalement par contre", "bien là par contre", "branché par contre",
        "allumé par contre", "actif par contre", "active par contre", "saisi par contre",
        "passe par contre", "ça passe par contre",
        # the advice thanked for, then what is still wrong with it: "merci pour les explications
        # d'hier par contre les fse sont encore rejetées"
        *(f"{advice} … par contre" for advice in ("explication", "explications", "conseil",
                                                 "conseils", "comme conseillé")),
    ),
    # The settled need back: "c'était réglé mais ça recommence", "c'est encore rejeté"
    relapse=(
        "recommencer", "ça reprend", "est revenu comme", "ça continue",
        "toujours pas", "c'est pire", "ça empire", "rebelote", "le refaire", "ça refait",
        "retomber", "retombé", "toujours pareil", "toujours aucun", "toujours aucune",
        *(f"encore {bad}" for bad in ("rejeté", "refusé", "bloqué", "planté", "en panne",
                                      "en erreur", "faux")),
        *(f"{again} … {bad}" for again in ("de nouveau", "à nouveau")
          for bad in ("rejeté", "refusé", "bloqué", "planté", "en panne", "en erreur")),
        "encore mal", "rechute",
        # "plus rien part à nouveau": nothing works again, not working again
        "plus rien … de nouveau", "plus rien … à nouveau",
        # the cause guessed wrong: "on pensait que c'était le câble, on l'a changé mais"
        "pensait que c'était", "croyait que c'était", "cru que c'était",
    ),
    # What a failure led to, told by those it falls on or with its cause: weighed as a sign
    # that a second message is about the open need ("les patients se plaignent", "forcément").
    consequence=(
        "se plaindre", "nous appeler", "nous rappeler", "nous dire que", "me appeler",
        "m'ont appelé", "m'a appelé", "nous ont appelés", "nous ont dit", "réclamation",
        "on a reçu un courrier", "on a reçu un mail", "forcément", "parce que", "donc",
        "qui disent", "qui nous disent", "ils disent", "elles disent", "ils nous disent",
        # a queue is what the failure costs, no way round it
        "une queue",
    ),
    # What a call is about, named and left unsaid: "c'est à propos de la caisse voilà"
    topic=(
        *(f"{about} {det}" for about in ("au sujet", "à propos", "par rapport")
          for det in ("de", "du", "des", "à", "au", "aux")),
        "concernant", "c'est pour le dossier", "c'est pour un dossier", "pour un truc sur",
        "un truc sur le",
    ),
    question=(
        "savoir si", "savoir comment", "savoir s'il", "je voudrais savoir", "je voulais savoir",
        "on voudrait savoir", "on voulait savoir", "est-ce que", "est-ce qu'on", "possible de",
        "possible d'", "comment", "trouver pas où", "chercher où",
        # Requests: a plain question too ("je voudrais un devis", "on aimerait ajouter...")
        "vouloir un devis", "demander un devis", "avoir un devis", "besoin d'un devis",
        "pour un devis", "devis pour un", "devis pour le", "devis pour la", "c'est possible",
        "est-il possible", "vouloir ajouter", "aimer ajouter", "on aimerait", "j'aimerais",
        "vouloir que", "c'est une option", "une question sur", "une question concernant",
        "falloir un devis", "envoyer un devis",  # "il me faut un devis"
        "quel menu", "activer quoi", "où se trouve", "où on trouve",
        "vouloir une formation", "besoin d'une formation", "demander une formation",
        "pour former",
        # a suggestion: "c'est pour une suggestion", "ce serait plus pratique", "petite
        # suggestion ce serait bien d'avoir..."
        "ce serait pratique", "ce serait plus pratique",
        "ce serait tellement plus pratique", "suggestion",
    ),
    # Calling again: about the open need, unless a plain question follows a failure or a
    # failure a plain question.
    calling_back=(
        "toujours", "du coup", "on vous rappelle", "je vous rappelle pour", "je reviens vers vous",
        "de nouveau", "à nouveau", "en fait",
        # back about the open need's thing: "c'est encore pour les ordonnances, comment on
        # ajoute la mention" asks something else of it
        "c'est encore pour",
    ),
    same_place=(
        *(f"{again} {at} {the}" for again in ("toujours", "encore")
          for at in ("sur", "dans", "en", "au niveau de", "concernant", "côté")
          for the in ("le", "la", "les", "l'", "ce", "cet", "cette", "ces", "mon", "ma", "mes",
                      "notre", "nos", "caisse", "compta", "comptabilité")),
    ),
    follow_up=(
        "toujours pas", "pareil", "même chose", "même souci", "même message", "même erreur",
        "ça recommence", "ça continue", "on vous relance", "pour compléter", "je complète",
        "message exact", "je vous donne le message", "ce que je vous disais",
        "comme je vous disais", "comme je vous ai dit", "j'ai regardé",
        "petite précision", "je confirme", "je vous lis", "le message dit",
        "l'erreur exacte", "ça concerne", "ça touche", "maintenant ça", "c'est pire",
        "je reformule", "j'ai contrôlé", "on a contrôlé",
        "j'ai vérifié", "on a vérifié", "on a comparé", "je viens de voir", "on vient de voir",
        # Asking for a way out of what was reported ("vous auriez une solution pour ces
        # rejets"), or saying it does it again ("ça le fait pour tous les patients").
        "avez une solution", "aviez une solution", "auriez une solution", "avez-vous une solution",
        "trouvé une solution", "ça le fait", "ça le refait", "ça fait pareil",
        # How to do without what fails: "comment faire sans les trames", "comment je peux
        # leur envoyer les chiffres autrement", "je pense que c'est le changement d'heure"
        "comment faire sans", "autrement", "un autre moyen", "je pense que c'est",
        "fait un essai", "fait l'essai", "fait des essais", "page de test", "on a testé",
        "j'ai testé", "fait un test",
        "je pense que l'",
        "ça fait la même chose",
        # What was asked, done as told and failing: "j'ai fait la répétition comme expliqué dans
        # l'aide mais", "j'ai installé la clé comme décrit mais"
        "comme expliqué", "comme indiqué", "comme décrit", "comme vous dites",
        "comme vous m'avez dit", "comme vous me l'avez dit", "comme dans le guide",
        "comme proposé", "comme demandé", "comme conseillé", "comme vous disiez",
        "comme dans l'aide",
        # support's advice followed, or its explanation thanked for, then what is still unclear
        # or failing: "on a fait ce que vous avez dit mais est-ce qu'il faut la refaire"
        "comme vous avez dit", "comme vous avez expliqué", "comme vous m'avez expliqué",
        "ce que vous avez dit", "ce que vous m'avez dit", "ce que vous m'avez envoyé",
        "ce que votre collègue a dit", "ce que votre collègue m'a dit", "m'a dit de",
        "m'avez dit de", "vous m'avez conseillé", "procédure que vous m'avez",
        "vous m'avez envoyé la procédure",
        *(f"merci pour {advice}" for advice in ("l'explication", "les explications",
                                                "vos explications", "votre explication",
                                                "les conseils", "vos conseils")),
        # what was advised, done: "on m'a dit de réinstaller le pilote c'est fait mais"
        "c'est fait mais", "c'est fait par contre",
        # ... or done as asked about, and failing there: "pour le tarif groupe j'ai créé le
        # tarif mais", "j'ai trouvé la grille mais le bouton est grisé", "ma collègue a essayé
        # le menu regrouper mais"
        "j'ai créé … mais", "j'ai fait … mais", "j'ai trouvé … mais", "a essayé … mais",
        # "on a coché envoi automatique mais", "on l'a activé mais", "c'est paramétré mais"
        *(f"{done} … mais" for done in ("a coché", "a activé", "a installé", "a paramétré",
                                        "a mis", "a branché", "a inséré", "a imprimé",
                                        "a lancé", "a saisi", "a configuré", "a suivi",
                                        "a cliqué", "a fait le paramétrage",
                                        "a fait le réglage")),
        "c'est paramétré mais", "c'est activé mais", "c'est installé mais",
        # What to do now the failure is there: "je fais comment moi", "qu'est-ce que je fais"
        "on fait comment", "je fais comment", "qu'est-ce que je fais", "qu'est-ce qu'on fait",
        "comment on rattrape",
        # What was tried, the screen's words, where else: details of the same failure ("on a
        # redémarré rien à faire", "le message c'est échec smtp", "ça arrive aussi sur le
        # poste de l'assistante", "en fait même avec le numéro ça me met aucun résultat"). Not
        # "ça dit", "il affiche", "il y a écrit": a new failure is read off the screen as often
        # as the open one; the same-need weights weigh those.
        "le message c'est", "ça me met", "ça nous met", "il me dit", "il nous dit",
        "il me met", "il nous met", "même avec", "aussi sur",
        "ça arrive aussi", "c'est aussi", "on a essayé", "j'ai essayé", "on a redémarré",
        "j'ai redémarré", "on a relancé", "j'ai relancé", "on a éteint", "j'ai éteint",
        "on a réinstallé", "rien à faire", "de plus en plus", "ça empire",
        "il y a marqué", "c'est marqué", "le compte rendu dit",
        # How to cope meanwhile, or where it does it: still the open failure ("une manip en
        # attendant", "ça le fait que sur le portable").
        "en attendant", *(f"que sur {the}" for the in ("le", "la", "mon", "son")),
        "c'est seulement sur",
    ),
    not_blocking=(
        "pas bloquant", "rien de bloquant", "plus bloqué", "pas bloqué", "pas pressé",
        "pas besoin de me rappeler", "pas gênant", "moins pratique mais", "pas besoin de rappeler",
        "tout marche mais", "mais bon ça marche", "ça marche hein", "juste esthétique",
        "c'est esthétique", "me bloque pas",
        "ça bloque pas", "ne bloque pas", "ne nous bloque pas", "rien qui presse",
        "pas urgent", "on peut travailler", "travailler quand même", "fonctionne quand même",
        "marche quand même", "pouvez fermer", "pas en panne", "empêcher pas de travailler",
        "ça gêne pas", "ça nous gêne pas", "gêner pas le travail", "gêne pas le travail",
        # Data said not to be lost: no data loss, and the need is a question.
        "rien perdu", "perdre aucun", "pas perdu", "aucune perte", "pas de perte",
    ),
    # Said of what came before: "rien de grave", and what is solved ("c'est réglé, par contre
    # les ordonnances sortent coupées": the failure told after it is another, read as told).
    reassuring=(
        "pas grave", "rien de grave", "rien de bien grave", "rien de méchant",
        "rien de bien méchant", "pas dramatique", "rien de dramatique",
        "plus aucun souci", "plus aucun problème", "c'est revenu", "tout marche maintenant",
        "tout fonctionne maintenant",
        # "c'est réglé", not "comment on règle" (one lemma) nor "une facture réglée" (paid)
        "être réglé", "sait réglé", "s'est réglé", "problème réglé", "réglé maintenant",
        "résolu", "remarcher", "fonctionne à nouveau", "marche à nouveau",
        "c'est bon maintenant", "plus en panne", "plus d'erreur", "plus de problème",
        "passer normalement", "rien d'autre à faire", "vous l'aviez réparé",
    ),
    workaround=(
        # a way round said not to be painful: "je tape le code au clavier c'est pas long"
        "c'est pas long", "ce n'est pas long", "pas bien long",
        "en attendant", "pour l'instant", "pour le moment", "passer par", "depuis … autre poste",
        "par le menu", "ça dépanne", "il faut corriger", "on refait les",
        "sur … autre poste", "l'autre poste", "un autre poste", "autre ordinateur",
        "depuis le poste de", "sur celle du", "sur celui du", "en le relançant", "en relançant",
        "il faut … relancer", "il faut … redémarrer", "il faut … réimprimer",
        "après un redémarrage", "en redémarrant", "ça repart", "finit par marcher",
        "deuxième fois ça marche", "contournement", "contourner", "manuellement", "alors je",
        "alors on", "alors il", "du coup je", "du coup on", "ajouter moi-même",
        # "on les corrige": a pronoun says the wrong thing is known and fixed each time;
        # "comment on corrige" is a question.
        *(f"{who} {it} {fix}" for who in ("on", "je", "il") for it in ("le", "la", "les", "leur")
          for fix in _FIXES),
        "corriger à chaque fois", "modifier à chaque fois", "corriger … à la main",
        "modifier … à la main",
        "rajouter … à la main", "saisir … à la main", "taper … à la main",
        "ajouter … à la main", "envoyer … à la main", "déplacer … à la main",
        "corriger en saisie", "sur celle de", "sur celui de", "on relance", "ça passe",
        "on corrige", "je corrige", "on change", "on modifie", "on le change", "on la change",
        "on le relance", "on la relance", "on les relance", "on repasse",
        "nous-mêmes", "nous-même", "nous même", "moi-même", "moi même", "ça reprend",
        "puis ça repart", "forcer … à la main", "on la renvoie", "on le renvoie",
        "là c'est bon", "on utilise celui", "on utilise celle", "celui de l'accueil",
        "on les change", "pouvoir … corriger", "on les renvoie", "on renvoie",
        "quand même prévenu", "passer quand même",
        "manuelle … marcher", "faut appuyer sur", "il faut actualiser", "en actualisant",
        "il faut rafraîchir",
    ),
    painful_workaround=(
        "prend des heures", "prend une heure", "des heures de travail",
        # Paper as the way of working ("sur papier", "fiches papier"); not the word alone
        # ("on leur donne le papier", a shop named "papier plume").
        "à la main", "sur papier", "sur du papier", "en papier", "au papier", "fiche papier",
        "feuille … papier", "version papier", "papier et stylo", "sur carnet",
        "tableau papier", "planning papier", "agenda papier", "catalogue papier", "boîte par boîte",
        *(f"{at} {book}" for at in ("sur un", "sur le", "dans un", "dans le", "au")
          for book in ("carnet", "cahier")),
        "calculatrice", "calculette", "un par un", "une par une", "tableau blanc",
        "tout au téléphone", "refaire chaque",
        "ressaisir", "on recopie", "je recopie", "on doit recopier", "tout recopier",
        "les recopier",
        "on note", "je note", "noter tout", "on écrit", "au stylo", "tout sur une feuille",
        "on relève", "relever tout",
        "à la mano", "manuscrit", "à l'ancienne", "tout refaire", "refaire tout",
        "on refait tout", "carnet à souches", "formulaire papier", "bon papier", "classeur",
        "photocopier", "reporter tout", "on reporte", "chaque … à la main",
        "taper chaque … à la main", "saisir chaque … à la main", "des centaines à",
        "en avoir des centaines", "des centaines de … à", "sur un papier", "on leur note",
        "ajouter plus tard", "ressaisir plus tard",
        "taper tous", "tous les … à la main", "taper tout à la main", "chaque prix",
        "taper tous les … à la main", "saisir tous les … à la main",
        "accompagner chaque",
        "pour chaque client", "à chaque client", "interminable", "retirer de l'argent",
        "au distributeur",
        *(f"{w} par {w}" for w in ("patient", "client", "cliente", "ligne", "dossier", "facture",
                                   "animal", "vente", "commande", "fiche", "pièce", "article",
                                   "référence", "produit")),
    ),
    intermittent=(
        "parfois", "de temps en temps", "par moments", "une fois sur deux", "de temps à autre",
        "des fois", "du premier coup", "pas à chaque fois", "d'autres non",
        # "se fige quelques secondes" comes back; "au bout de quelques secondes" it fails
        "figer quelques secondes", "bloquer quelques secondes", "pendant quelques secondes",
        "quelques secondes puis", "certains jours", "pas toujours", "aléatoirement",
        "une … sur 2", "une … sur deux", "une … sur trois", "une … sur 3",
        "fois par jour", "fois par semaine",
    ),
    one_station=(
        "sur le poste", "sur un poste", "sur mon poste", "sur son poste", "sur ce poste",
        "sur un seul poste", "sur l'ordinateur de", "sur mon ordinateur", "sur un ordinateur",
        "sur le pc", "sur mon pc", "uniquement sur", "seulement sur", "les autres marchent",
        "les autres fonctionnent", "les autres postes", "les autres arrivent", "sur le comptoir",
        "mon poste uniquement", "les autres praticiens arrivent", "sur les autres postes",
        *(f"c'est {only} {the}" for only in ("seulement", "juste", "uniquement")
          for the in ("le", "la", "sur", "mon", "ma")),
        "autre poste … marcher", "autres postes … marcher", "autre poste … fonctionner",
        "autres postes … fonctionner", "autres postes … aucun problème",
        "autres postes … ça va", "autres postes … tout va bien", "un poste sur",
        *(f"autres salles … {ok}" for ok in ("ça va", "marcher", "fonctionner")),
        "autres ordinateurs … aucun problème",
        "autres ordinateurs … pas de souci", "n'ont pas de souci", "autres … marcher",
        "autres … fonctionner",
        "lui marche", "lui fonctionne", "eux marchent", "eux fonctionnent",
        # "le poste de la vendeuse peut plus faire de facture, le mien marche"
        *(f"{mine} {ok}" for mine in ("le mien", "la mienne") for ok in ("marche", "fonctionne")),
        *(f"caisse {n} {work}" for n in ("1", "2", "3", "un", "deux", "trois", "principale")
          for work in ("marcher", "fonctionner")),
        "collègues … sans problème", "n'ont aucun souci", "n'ont aucun problème",
        "n'a aucun souci", "n'a aucun problème", "travaillent sans problème", "marchent eux",
        "fonctionnent eux", "partout ailleurs", "il y a que l'ordinateur", "il y a que le poste",
        "sur l'ordi de", "sur l'ordi du", "sur mon ordi",
        "sur son ordi",
        # where it still works: "ses collègues travaillent normalement", "l'ordinateur du
        # bureau fonctionne normalement"
        "fonctionner normalement", "marcher normalement", "travailler normalement",
        *(f"{others} {work}" for others in ("ordis", "ordinateurs")
          for work in ("marcher", "fonctionner")),
        # Where it still works, not a way round: "sur celui de mon associé ça marche"
        "sur celui de … ça marche", "autres postes c'est bon", "sur celui de … tout fonctionne",
        "sur celui de … tout marche",
        # "celui de l'accueil marche" (where it still works), not "on utilise celui de
        # l'accueil et ça marche" (a way round)
        *(f"{one} {of} {work}" for one in ("celui", "celle")
          for of in ("de l'accueil", "de la caisse", "de l'atelier", "de la réception",
                     "du bureau", "de mon collègue", "de ma collègue", "de mon associé",
                     "de la secrétaire", "de l'entrée", "du fond")
          for work in ("marcher", "fonctionner")),
        "chez les autres … ça passe", "chez les autres … marcher", "chez les autres … fonctionner",
        *(f"{one} de nos {n} {place}" for one, place in (("une seule", "caisses"),
                                                         ("un seul", "postes"),
                                                         ("un seul", "comptoirs"))
          for n in ("deux", "2", "trois", "3")),
    ),
    all_stations=(
        "sur tous les postes", "tous les postes", "aucun poste", "sur aucun", "aucun ordinateur",
        "l'ensemble de nos postes", "l'ensemble de nos ordinateurs",
        "tous les ordinateurs", "l'ensemble des postes", "pour tout le monde", "tout le monde",
        "plus personne", "personne ne peut", "tout le cabinet", "toute la clinique",
        "tout le garage", "tout le magasin", "toute la pharmacie", "tout l'office",
        "toute l'étude", "tout le salon", "tout l'hôtel", "tous les comptoirs", "aucun comptoir",
        "partout", "tous les praticiens", "tous nos postes", "tous les fauteuils",
        "aucun accès au logiciel", "toute l'équipe", "personne n'arrive", "personne ne rentre",
        "personne n'entre", "personne à l'office n'arrive", "toute la salle",
        *(f"{at} {n} {place}" for at in ("les", "aux", "nos", "chez les", "chez mes")
          for n in ("2", "3", "4", "5", "6", "deux", "trois", "quatre", "cinq", "six")
          for place in ("caisses", "comptoirs", "médecins", "praticiens", "fauteuils",
                        "cardiologues", "dentistes", "vétérinaires", "vétos", "kinés",
                        "clercs", "collaborateurs", "coiffeuses", "pharmaciens")),
        # "aux 4 postes", not "les 2 postes du fond marchent" (where it still works)
        *(f"{at} {n} {place}" for at in ("aux", "chez les")
          for n in ("2", "3", "4", "5", "6", "deux", "trois", "quatre", "cinq", "six")
          for place in ("postes", "ordinateurs")),
        # "sur chacun des postes des clercs", "chacune des caisses"
        "chacun des postes", "chacune des caisses", "sur chacun des", "sur chacune des",
        *(f"sur les {n} {place}" for n in (*(str(n) for n in range(2, 21)), "deux", "trois",
                                            "quatre", "cinq", "six")
          for place in ("postes", "fauteuils", "ordinateurs", "ordis", "caisses")),
        # The only one there is: "le seul qu'on a", "on n'a qu'une seule caisse"
        "le seul qu'on a", "la seule qu'on a", "qu'une seule caisse", "qu'un seul poste",
        "qu'un seul ordinateur", "notre seul poste", "notre seule caisse", "notre seul ordinateur",
        "le seul ordinateur", "l'unique ordinateur", "le seul poste", "l'unique poste",
        "qu'un ordinateur", "que mon ordinateur", "je suis seul", "je suis tout seul",
        "je travaille seul", "n'importe quel poste", "tous les trois", "aucun de nos",
        "pour personne", "toutes les consoles", "ni à l'accueil ni", "tout le centre",
        "chez personne", "pareil chez", "même chose chez", "pareil pour mes",
        "pareil pour les autres",
        "quel que soit l'ordinateur", "quel que soit le poste",
        *(f"aucun {staff}" for staff in ("avocat", "médecin", "vétérinaire", "kiné", "clerc",
                                          "collaborateur", "employé", "praticien")),
        *(f"tous les {staff}" for staff in ("clercs", "vétérinaires", "kinés", "dentistes",
                                           "collaborateurs", "secrétaires", "employés",
                                           "vendeurs", "coiffeuses", "serveurs")),
        "tous les médecins", "tous les utilisateurs", "collègue pareil",
        "collègue … poste pareil",
        # Two places named, both failing: "ni sur le poste de l'accueil ni sur celui du
        # bureau", "la caisse principale et celle de la terrasse … toutes les deux"
        "ni sur celui", "ni sur celle", "et sur celui", "et sur celle", "toutes les deux",
        *(f"ni sur {what}" for what in ("l'ordi", "le poste", "la tablette", "le pc",
                                        "l'ordinateur", "la caisse")),
        "tous les deux",
        # "les 5 médecins ont la même chose", "mes deux collègues ont le même message"
        *(f"{who} … même {what}" for who in ("médecins", "collègues", "praticiens", "postes",
                                              "secrétaires", "ordinateurs", "comptoirs",
                                              "assistantes")
          for what in ("chose", "message", "problème", "souci", "erreur", "écran")),
        "que ce soit à l'accueil ou", "à l'accueil et dans les",
        *(f"{none} des … {place}" for none in ("aucun", "aucune")
          for place in ("comptoirs", "postes", "ordinateurs", "praticiens", "médecins",
                        "caisses", "fauteuils")),
    ),
    data=(
        "fiche", "dossier", "données", "honoraires", "temps passé", "facture", "rendez-vous",
        "rdv", "historique", "répertoire",
        "consultation", "animal", "ordonnance", "écriture", "document", "fichier", "photo",
        "radio", "vente", "séance", "acte", "base", "agenda", "stock", "pièce jointe",
        "compta", "comptabilité", "patient", "client", "planning", "tout", "devis",
        "réservation", "commande", "résultat", "bulletin", "contrat", "courrier", "schéma",
        "compte", "solde", "mouvement", "contenu", "liste", "compte rendu", "acte", "journal",
        "balance", "prix", "code", "article", "catalogue", "tarif", "plan", "image", "bilan",
        "ordonnance", "mesure", "ordre de réparation", "règlement", "feuille de soins",
        "encaissement",
    ),
    data_loss=(
        "disparu", "disparaître", "effacé", "effacer", "perdre", "perte", "été supprimé",
        "se vider", "vider", "vide", "écrasé", "écraser", "envoler", "introuvable", "plus là",
        "plus de trace", "corrompu", "retrouver plus", "retrouver pas", "volatiliser",
        "remettre à zéro", "à zéro", "vierge", "plus rien dans", "écrasé par", "abîmé", "abîmer",
        "manquer tous", "supprimer tout", "supprimer toutes", "aucune trace", "manquer toutes",
        "manquer les … derniers", "manquer les … dernières", "contenir plus rien",
        # "il manque 2 mois de soins"
        *(f"manquer {n} {span}" for n in ("1", "2", "3", "4", "6", "un", "une", "deux", "trois",
                                          "quatre", "six", "plusieurs")
          for span in ("mois", "semaine", "jour", "année")),
        # no longer there, or unreadable: "les fiches d'avant 2024 n'existent plus", "ne
        # figurent plus dans l'historique", "fichier endommagé", "tout est illisible"
        "exister plus", "figurer plus", "retrouver nulle part", "endommagé", "illisible",
        "purger", "avoir sauté", "il reste plus", "plus une seule", "il y a plus rien",
        "avoir plus rien", "il y a plus les", "il y a plus le", "il y a plus la",
        "y a plus les", "y a plus le", "y a plus la", "tout est parti", "mélangé", "mélangées",
        "être plus dans", "annulé tous", "annulé toutes", "remplacés par des pages blanches",
        # Gone or overwritten, told by what is left: "il n'y a plus que 200 clients au lieu de
        # 3000", "remplacés par ceux de 2022", "tout est revenu un an en arrière", "fusionnées"
        "plus que … au lieu de", "plus que … sur", "remplacés par ceux", "revenu … en arrière",
        "été fusionné",
        "alors que … était plein", "y sont plus", "passées en annulé", "remplacées par d'autres",
        "interverti", "marquées annulées", "plus de fiches", "plus d'historique",
        # every record overwritten by one: "tous les bilans remplacés par le même texte"
        "remplacés par le même", "remplacés par la même", "remplacés par un seul",
        "remplacés par une seule",
        "repart de zéro",
        "a supprimé aussi", "aussi supprimé", "a supprimé tous", "supprimé par erreur",
        "supprimer … par erreur",
        "effacé par erreur",
        # what was on a disk no longer seen: "dedans il y avait tous mes patients"
        "il y avait tous", "il y avait toutes", "dedans il y avait", "partis avec",
        # "les devis sont partis", "je les vois plus nulle part"
        "est parti", "plus nulle part",
    ),
    no_workaround=(
        "pas d'autre moyen", "aucun autre moyen", "aucun moyen de", "pas moyen de",
        "pas d'autre solution", "aucune autre solution", "aucune solution", "sans solution",
        "impossible de contourner", "pas de solution de secours", "rien d'autre pour",
        "pas d'autre caisse", "pas d'autre ordinateur", "pas d'autre poste",
    ),
    deadline=(
        "doit partir aujourd'hui", "doit partir ce soir", "doivent partir aujourd'hui",
        "doivent partir ce soir", "doivent être virés", "doit être viré", "doivent être payés",
        "doivent être versés", "doivent être faites aujourd'hui", "doivent être faits aujourd'hui",
        "date limite", "dernier délai", "dernier jour pour", "avant ce soir", "avant midi",
        "pour ce soir", "à rendre aujourd'hui", "à envoyer aujourd'hui", "le dernier jour",
        "aujourd'hui sinon", "on ouvre dans", "service commence", "service de midi",
        "service de ce soir", "avant minuit", "doivent sortir … aujourd'hui",
        "doivent envoyer … aujourd'hui",
        # Waiting right now for what fails: the site cannot serve them
        *(f"{who} attendre{where}" for who in ("clients", "patients")
          for where in ("", " au comptoir", " à la caisse", " pour payer", " à l'accueil")),
        "font la queue", "toute la queue", "arrivées ce soir", "arrivées aujourd'hui",
        "transporteur est là", "transporteur attend", "livreur attend", "colis restent",
        "la queue devant", "debout pour payer",
        "salle d'attente pleine", "couverts ce midi",
        "couverts ce soir", "pas fait une seule vente", "rien pu vendre", "on sait plus qui",
        # the day's work unknown or due today: "personne ne sait qui il doit prendre", "c'est
        # le jour de la paie", "c'est aujourd'hui qu'on doit les transmettre"
        "ne savent pas qui", "ne savent pas quelles", "jour de la paie",
        "jour de la paye", "aujourd'hui qu'on doit", "seront pas payés",
        "on ne sait pas qui", "on sait pas qui", "on sait même pas qui",
        "on ne sait même pas qui",
        *(f"{who}{that} arriver" for who in ("clients", "patients", "élèves")
          for that in ("", " qui")),
        "dans la salle d'attente", "en salle d'attente", "échéance … aujourd'hui",
        "on a du monde", "devant moi", "devant le comptoir", "parents arrivent",
        "doivent partir", *(f"{who} {they} attendre" for who in ("clients", "patients", "gens")
                            for they in ("ils", "qui")),
        "magasin est plein", "gens repartent", "clients repartent", "patients dans la salle",
        "patients repartent", "doit payer … aujourd'hui",
    ),
    synonyms=(
        ("tpe", "terminal de carte", "terminal de paiement", "terminal carte bancaire",
         "lecteur de carte bancaire", "paiement par carte", "carte bancaire", "cb",
         "paiements par carte", "verifone", "ingenico", "sans contact", "carte bleue"),
        ("agenda", "planning", "calendrier", "agenda des consultations", "rendez-vous", "rdv"),
        ("ordonnance", "prescription"),
        ("sms", "texto", "message texte"),
        ("mail", "email", "e-mail", "courriel", "messagerie"),
        ("facture", "facturation", "facturer", "factu"),
        ("compta", "comptabilité", "comptable"),
        ("dossier", "fiche"),
        ("carte vitale", "lecteur de carte vitale", "lecteur de cartes", "cartes vitales",
         "sesam vitale", "sésam vitale", "lecteur sesam"),
        ("télétransmission", "télétransmettre", "feuille de soins électronique", "fse",
         "feuille de soins", "télé transmission"),
        ("impression", "imprimer", "imprimante"),
        ("paie", "bulletin de paie", "fiche de paie", "bulletin de salaire", "salaire"),
        ("relance", "relancer", "lettre de relance"),
        ("numérisation", "numériser", "scanner", "scan"),
        ("douchette", "lecteur de code barre", "scanner de code barre", "code barre",
         "lecteur de codes barres", "scanner de codes barres", "datamatrix", "data matrix"),
        ("radio", "radiographie", "imagerie", "cliché", "capteur", "panoramique"),
        ("se connecter", "connexion", "mot de passe", "identifiant", "login"),
        ("mutuelle", "tiers payant", "complémentaire", "prise en charge", "organisme"),
        ("sauvegarde", "copie de sécurité", "backup"),
        ("robot", "automate"),
        ("vaccin", "vaccination", "rappel de vaccin"),
        ("lettre", "courrier"),
        ("banque", "bancaire", "relevé", "rapprochement"),
        ("siv", "système d'immatriculation", "carte grise", "immatriculation", "immat",
         "plaque"),
        ("réservation", "booking", "résa"),
        ("caisse", "logiciel de caisse", "encaissement", "encaisser"),
        ("synchronisation", "synchro", "synchroniser"),
        ("en ligne", "internet", "sur internet", "site internet", "boutique en ligne", "web"),
        ("balance", "poids"),
        ("labo", "laboratoire", "résultat", "analyse"),
        ("ordre de réparation", "or"),
        ("stock", "stocks"),
        ("schéma dentaire", "schéma des dents"),
        ("enregistrer", "sauvegarder"),
        # the same things said otherwise by callers of one trade or another
        ("licence", "abonnement", "clé d'activation", "période d'essai"),
        ("clôture", "clôture de nuit", "clôture de journée", "fin de journée", "audit de nuit",
         "z de caisse"),
        ("acompte", "avance", "arrhes"),
        ("avoir", "remboursement"),
        ("ct", "contrôle technique", "contrôles techniques"),
        ("dmp", "dossier médical partagé"),
        ("dsn", "déclaration sociale nominative", "déclarations sociales nominatives"),
        ("base médicament", "base des médicaments", "base de médicaments", "bcb"),
        ("channel manager", "plateforme de réservation", "sites de réservation"),
        ("ordonnancier", "registre"),
        ("étiquette", "étiqueteuse"),
        ("fidélité", "carte de fidélité", "points de fidélité", "bons d'achat"),
        ("coffre-fort numérique", "coffres-forts", "espace en ligne", "espace client",
         "portail"),
        ("télé@ctes", "télé actes", "télé-actes", "publicité foncière"),
        ("tva", "taxe"),
        ("mesures", "prise de mesures", "écarts pupillaires", "écart pupillaire", "hauteurs"),
    ),
    # "des" stays itself: read "un" (simplemma's lemma), "des nouvelles" was "un nouveau menu"
    # and "un devis" was "des devis".
    lemmas=(("marche", "marcher"), ("sommes", "être"), ("donne", "donner"), ("des", "des"),
            ("plante", "planter"), ("plantes", "planter"),
            ("lance", "lancer"), ("rame", "ramer"), ("affiche", "afficher"),
            ("charge", "charger"), ("passe", "passer"), ("part", "partir"), ("lit", "lire"),
            ("note", "noter"), ("recopie", "recopier"), ("tape", "taper"),
            ("ouvrent", "ouvrir"), ("ferme", "fermer"), ("délivre", "délivrer"),
            ("sort", "sortir"), ("manque", "manquer"), ("lente", "lent"), ("lentes", "lent"),
            ("encaisse", "encaisser"), ("encaissé", "encaisser"), ("encaissée", "encaisser"),
            ("encaissés", "encaisser"), ("blanche", "blanc"), ("blanches", "blanc"),
            ("bouge", "bouger"), ("était", "était"), ("oubliez", "oubliez"), ("soit", "soit")),
    stopwords=tuple(_STOPWORDS.split()),
    titles=("monsieur", "madame", "mademoiselle", "mme", "mlle", "mr", "dr", "docteur",
            "maitre"),
    name_cues=("c'est", "ici", "m'appelle", "de la part de",
               *(f"{article} {place}" for article in ("la", "le", "du", "de la")
                 for place in ("clinique", "cabinet", "garage", "pharmacie", "magasin", "salon",
                               "société", "boulangerie", "centre", "maison médicale",
                               "laboratoire", "camping", "librairie")),
               "l'hôtel", "l'étude", "l'optique"),
    places=("clinique", "cabinet", "garage", "pharmacie", "magasin", "salon", "société",
            "boulangerie", "centre", "laboratoire", "camping", "librairie", "hôtel", "étude",
            "optique", "restaurant", "institut", "épicerie", "crèche", "carrosserie",
            "fiduciaire", "agence", "atelier", "boutique", "cave", "brasserie", "bar",
            "boucherie", "charcuterie", "fromagerie", "fleuriste", "opticien", "auto-école",
            "entreprise", "imprimerie", "hôpital", "ehpad", "mairie", "école", "association"),
    openers=("bonjour", "bonsoir", "rebonjour", "allô", "allo", "oui", "euh", "alors", "voilà",
             "salut", "hello", "ici", "c'est", "c", "est", "encore", "moi", "nous", "le", "la",
             "l'", "l", "du", "de"),
    name_ends=("le", "la", "les", "l'", "l", "un", "une", "je", "j'", "j", "on", "nous",
               "vous", "il", "elle", "ils", "elles", "ça", "c'est", "c", "ce", "est",
               "bonjour", "bonsoir", "rebonjour", "allô", "allo", "oui", "euh", "voilà",
               "alors", "ne", "n'", "n", "pas", "plus", "rien", "aucun", "aucune", "depuis",
               "quand", "pour", "sur", "dans", "avec", "mais", "encore", "désolé", "excusez",
               "merci", "tout", "toute", "toutes", "tous"),
    negations=("pas", "jamais", "sans"),
    # "pas juste lent" denies nothing; nor does "pas impossible de": a clause ends unsaid
    # before it ("un code qu'on a pas impossible de faire une vente")
    not_only=("juste", "seulement", "uniquement", "simplement", "impossible"),
    intensifiers=("carrément", "vraiment", "absolument", "complètement", "totalement",
                  "franchement", "strictement", "entièrement", "littéralement", "réellement",
                  "tout simplement", "tout bonnement", "purement et simplement"),
    nothing=("aucun", "aucune", "rien", "personne", "ni", "plus"),
    none=("aucun", "aucune", "rien", "personne"),
    not_happening=("pas", "plus", "jamais", "aucun", "aucune", "rien", "personne"),
    affected=("patient", "patiente", "client", "cliente", "gens", "personne", "salarié",
              "élève", "résident"),
    again=("rebonjour", "encore", "rappelle", "toujours", "maintenant", "pareil"),
    until=("quand", "lorsque", "attendant", "voudrait", "voudrais", "faut"),
    # "question": a caller who says they have one asks, whatever else they name ("question sur
    # la sauvegarde des données")
    wishes=("vouloir", "souhaiter", "aimer", "besoin", "chercher", "commander", "demander",
            "question"),
    subjects=tuple(_SUBJECTS.split()),
    question_words=("comment", "combien", "compatible"),
    not_subject=(*FAILING, "impossible", "erreur", "bloqué", "bloquer", "panne", "planter",
                    "planté", "plantage", "lent", "lenteur", "ralenti", "ramer", "bug", "bogue",
                    "crash", "crasher", "figer", "figé", "gelé", "contournement", "manuellement",
                    "parfois", "pouvoir", "toujours", "encore", "plus", "rien", "aucun",
                    "fermer", "moyen", "accès", "refuser", "inaccessible", "message", "accueil",
                 "secrétaire", "bureau", "comptoir", "fauteuil", "réception", "salle"),
)
