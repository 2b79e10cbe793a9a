"""The built-in German lexicon (Swiss usage: no ß), same shape as the French one.

German-speaking callers (entries in "de") are read with it; phrases are matched on German
lemmas ("abgestürzt" reads "absturzen", "Rechnungen" reads "rechnung").
"""

from __future__ import annotations

from callq.waiting.lexicon import Lexicon

_FAILING = ("funktioniert", "geht", "startet", "druckt", "öffnet", "lädt", "reagiert",
            "verbindet", "sendet", "läuft")
_NO_LONGER = ("nicht", "nicht mehr", "gar nicht", "immer noch nicht")
# What the software should have done ("die Etiketten werden nicht gedruckt").
_DONE = ("angezeigt", "gedruckt", "gesendet", "verschickt", "gespeichert", "übertragen",
         "erkannt", "berechnet", "synchronisiert", "importiert", "exportiert", "geladen")
_SYSTEM = ("Server", "Programm", "Software", "Datenbank", "System", "Netzwerk", "Kasse")
_DOWN = ("ausgefallen", "abgestürzt", "startet nicht", "startet nicht mehr", "blockiert",
         "down", "tot", "geht nicht mehr", "funktioniert nicht mehr", "nicht erreichbar")
_VITAL = ("abrechnen", "fakturieren", "kassieren", "arbeiten", "verkaufen", "Rechnungen")

# Function words, time words and spoken digits: they never say what the need is.
_STOPWORDS = """
der die das den dem des ein eine einer einem einen und oder aber ist sind war waren bin bist
sein haben habe hat hatte ich du er sie es wir ihr mich mir uns sich nicht mehr noch schon
immer auch nur so sehr bei beim vom ins ans mit von zu zum zur im in am an auf aus für über
unter nach vor seit heute gestern morgen jetzt wieder ganz gar kein keine keinen was wie wo
wer warum wann ob dass wenn weil denn können kann könnte möchte möchten würde würden wollen
will soll müssen muss bitte mal da hier dort
"""

GERMAN = Lexicon(
    critical=(
        *(f"{s} … {d}" for s in _SYSTEM for d in _DOWN),
        *(f"können … nicht … {v}" for v in _VITAL),
        *(f"keine … {v}" for v in _VITAL),
        "nichts geht mehr", "nichts funktioniert", "geht gar nichts", "alles blockiert",
        "Stillstand", "Datenverlust", "Daten … verloren", "Daten … gelöscht",
        "Daten … verschwunden", "Datenbank … beschädigt", "niemand kann arbeiten",
    ),
    high=(
        *(f"{v} {n}" for v in _FAILING for n in _NO_LONGER),
        "Fehler", "Fehlermeldung", "stürzt ab", "abgestürzt", "hängt", "blockiert",
        "eingefroren", "kann nicht", "können nicht", "nicht möglich", "unmöglich", "Absturz",
        "kaputt", "defekt", "ausgefallen", "nicht erreichbar", "lässt sich nicht",
        "schlägt fehl", "fehlgeschlagen", "werden nicht mehr", "kommen nicht … an",
        *(f"werden nicht … {p}" for p in _DONE),
    ),
    medium=(
        "langsam", "dauert lange", "doppelt", "falsch", "stimmt nicht", "verschoben", "fehlt",
        "Verzögerung", "Umweg", "Workaround",
    ),
    vague=(
        "guten Tag", "grüezi", "grüessech", "hallo", "bitte", "danke", "merci", "vielen Dank",
        "auf Wiederhören", "Rückruf", "zurückrufen", "rufen Sie mich zurück",
        "melden Sie sich", "Nummer", "Telefonnummer", "mein Name ist", "hier ist", "dringend",
        "sofort", "so schnell wie möglich", "Problem", "kleines Problem", "Frage",
        "kurze Frage", "Praxis", "Tierarztpraxis", "Klinik", "Kanzlei", "Firma", "Programm",
        "Software", "Techniker", "Support", "jemand", "ähm", "äh", "ja", "okay",
    ),
    chasing=(
        "wie ist der Stand", "Stand meiner Anfrage", "noch keine Antwort", "keine Rückmeldung",
        "niemand hat zurückgerufen", "warte immer noch", "warte seit", "meine Anfrage",
        "mein Ticket", "schon angerufen", "nochmals", "nachfragen",
    ),
    not_blocking=("nicht dringend", "nicht blockierend", "nicht schlimm", "funktioniert wieder",
                  "erledigt", "gelöst",
                  # Data said not to be lost: no data loss, and the need is a question.
                  "nicht gelöscht", "nichts gelöscht", "nicht verloren", "nichts verloren",
                  "nicht verschwunden", "kein Datenverlust", "keine Daten verloren"),
    workaround=("in der Zwischenzeit", "vorläufig", "vorübergehend", "über den anderen",
                "am anderen Computer", "Neustart"),
    painful_workaround=("von Hand", "auf Papier", "Papier", "manuell", "handschriftlich"),
    intermittent=("manchmal", "ab und zu", "gelegentlich", "zeitweise"),
    one_station=("an einem Arbeitsplatz", "an einem Computer", "an meinem Computer",
                 "die anderen funktionieren"),
    all_stations=("an allen Arbeitsplätzen", "alle Computer", "bei allen", "überall",
                  "niemand kann"),
    data=("Daten", "Termine", "Rechnungen", "Dossiers", "Patienten", "Kunden", "Buchungen"),
    data_loss=("verloren", "gelöscht", "verschwunden", "weg", "leer"),
    synonyms=(("Kartenterminal", "EC-Terminal", "Terminal"), ("Agenda", "Kalender", "Termine"),
              ("Rechnung", "Faktura", "abrechnen"), ("Drucker", "drucken", "Ausdruck")),
    stopwords=tuple(_STOPWORDS.split()),
    titles=("herr", "frau", "doktor", "dr"),
    name_cues=("mein Name ist", "hier ist", "hier spricht"),
    negations=("nicht", "kein", "keine"),
    intensifiers=("wirklich", "absolut", "komplett", "völlig", "total", "überhaupt", "gar"),
    nothing=("nichts", "niemand", "niemanden", "mehr"),
    none=("kein", "keine", "keinen", "keiner", "nichts", "niemand"),
    wishes=("möchten", "mögen", "wollen", "wünschen", "brauchen", "suchen", "bestellen"),
    # A second message of one caller: another need said so, the same one followed up, what it
    # led to, and who bears it (the same-need signs, callq.waiting.needs).
    new_need=("noch etwas", "etwas anderes", "anderes Problem", "andere Frage", "eine Frage",
              "außerdem", "übrigens", "nichts damit zu tun"),
    follow_up=("immer noch", "weiterhin", "dasselbe", "das gleiche", "die gleiche",
               "die Meldung lautet", "die Meldung ist", "es steht", "wir haben neu gestartet",
               "haben es versucht", "auch am", "auch bei"),
    consequence=("beschweren", "weil", "deshalb", "deswegen", "darum", "rufen uns an"),
    affected=("Patient", "Patientin", "Kunde", "Kundin", "Klient", "Mandant", "Gast",
              "Besitzer"),
    not_subject=("funktionieren", "gehen", "starten", "Fehler", "blockiert", "abstürzen",
                 "langsam", "können", "Computer", "Arbeitsplatz"),
    language="de",
)
