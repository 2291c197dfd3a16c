"""A demo session with three example teams, so that a new user sees a filled dashboard."""

from __future__ import annotations

from motives.catalogue import default_catalogue
from motives.i18n import DEFAULT_LANGUAGE
from motives.models import Session
from motives.store import Store

DEMO_NAME = {"nl": "DEMO – voorbeeldsessie", "en": "DEMO – example session", "fr": "DÉMO – session d'exemple"}

# (team, {motive id: importance}, [(side, own motive, importance)], conclusion, explanation)
DEMO_TEAMS = [
    (
        "Jeugdwerk (demo)",
        {"for-work-private-blur": 5, "for-support-staff": 4, "for-prevention": 3, "against-professional-enough": 2},
        [("for", "Jongeren sturen ons 's avonds berichten via Instagram.", 5)],
        "yes",
        "Vooral de grens tussen werk en privé maakt afspraken nodig.",
    ),
    (
        "Thuiszorg (demo)",
        {
            "for-organisation-responsible": 4,
            "for-public-communication": 3,
            "against-staff-are-ambassadors": 4,
            "against-no-rules-for-other-channels": 3,
        },
        [("against", "We zijn een kleine organisatie; iedereen kent elkaar.", 3)],
        "not_yet",
        "Eerst bekijken wat ons algemene communicatiebeleid al zegt.",
    ),
    (
        "Buurtwerk (demo)",
        {"for-work-private-blur": 4, "for-prevent-proliferation": 5, "for-prevention": 4, "against-no-priority": 2},
        [
            ("for", "Een buurtbewoner deelde foto's van een activiteit zonder toestemming.", 5),
            ("against", "Beleid op papier verandert weinig aan wat mensen doen.", 2),
        ],
        "yes",
        "",
    ),
]


# A French demo is French throughout: the teams' names and their own words too (Walloon services).
DEMO_TEAMS_FR = [
    (
        "Maison de jeunes (démo)",
        DEMO_TEAMS[0][1],
        [("for", "Des jeunes nous envoient des messages le soir sur Instagram.", 5)],
        "yes",
        "C'est surtout la frontière entre travail et vie privée qui rend des accords nécessaires.",
    ),
    (
        "Aide à domicile (démo)",
        DEMO_TEAMS[1][1],
        [("against", "Nous sommes une petite organisation ; tout le monde se connaît.", 3)],
        "not_yet",
        "Voir d'abord ce que dit déjà notre politique générale de communication.",
    ),
    (
        "Travail de quartier (démo)",
        DEMO_TEAMS[2][1],
        [
            ("for", "Un habitant du quartier a partagé des photos d'une activité sans autorisation.", 5),
            ("against", "Une politique sur papier change peu ce que font les gens.", 2),
        ],
        "yes",
        "",
    ),
]


def create_demo(store: Store, language: str = DEFAULT_LANGUAGE) -> Session:
    session = store.create_session(DEMO_NAME[language], default_catalogue(), language)
    for name, ticks, own, conclusion, explanation in DEMO_TEAMS_FR if language == "fr" else DEMO_TEAMS:
        team = store.join(session, name)
        for motive_id, importance in ticks.items():
            store.set_answer(team, motive_id, True, importance)
        for side, text, importance in own:
            store.add_own_motive(team, side, text, importance)
        store.set_conclusion(team, conclusion, explanation)
    return session
