"""The words the grouping by meaning knows, per language: small words, negations and the domain's synonyms.

Plain data, read by motives/meaning.py. The lists are short on purpose: they hold
the words teams use to *frame* a motive ("we hebben", "il faut", "we need"), the
words that turn a motive around ("geen", "pas", "no"), and the words a
social-work organisation uses for the same thing (medewerkers / collega's /
personeel; usagers / bénéficiaires; clients / service users). A word that is not
listed is still compared, by its stem (Snowball) and as part of a compound.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say nothing of the motive itself: articles, pronouns, prepositions, auxiliaries
# and the verbs teams frame a motive with. A motive's meaning is in the other words.
SMALL_WORDS: dict[str, frozenset[str]] = {
    "nl": _words(
        """
        de het een en of te van voor met op in aan bij door over om tot uit naar als dan dat die dit deze zo
        zoals er hier daar wat wie waar hoe welk welke want maar ook nog al reeds wel toch dus we wij ons
        onze jullie je jij u ze zij hun hen hij het men iemand iets elkaar zich zelf is zijn ben bent was
        waren wordt worden werd werden heeft hebben heb had hadden kan kunnen kon mag mogen moet moeten zal
        zullen zou zouden wil willen wilt vinden vind vindt denken denk lijkt nodig eigenlijk volgens team
        teams graag echt vooral zeker gewoon best eerst eens ermee erover ervan erbij daarom omdat zodat dan
        nu altijd vaak soms meer veel alle allemaal alles elk elke ieder iedere andere ander anders via rond
        rondom tegen zo'n zon toe af mee enkel alleen per gaan gaat doen doet krijgen laten laat maken maakt
        staat staan
        """
    ),
    "fr": _words(
        """
        le la les l un une des du de d et ou a au aux en dans sur sous par pour avec sans ce cet cette ces c
        ca cela qui que qu quoi dont ou y il ils elle elles on nous vous je j me m te t se s leur leurs
        notre nos votre vos son sa ses mon ma mes lui eux est sont etre ete etait avoir avons avez ont ai as
        a eu faut falloir doit doivent devons devez devoir peut peuvent pouvons pouvez pouvoir veut veulent
        voulons voulez vouloir va vont allons aller faire fait font faisons equipe equipes tres plus aussi
        encore deja bien tout tous toute toutes autre autres chaque comme si car mais donc alors quand
        toujours souvent parfois genre ceux celles celui celle entre vers chez contre selon
        """
    ),
    "en": _words(
        """
        the a an and or of to for with on in at by from about into over as than that this these those it its
        we us our ours you your they them their he she his her i me my one ones is are be been being was
        were am has have had having do does did doing done can could may might must shall should will would
        need needs want wants think feel team teams really also just very more most all every each any some
        other others such there here what who whom which where when how why so then too still already anyway
        get gets got make makes made let lets via around against
        """
    ),
}

# Words that turn a motive around: "geen tijd" is not "tijd", "pas le temps" is not "le temps".
# A lack is a negation too ("manque de temps" says "pas le temps"), and so is a refusal.
NEGATIONS: dict[str, frozenset[str]] = {
    "nl": _words(
        "geen niet nooit niets niemand nergens zonder gebrek tekort weinig onvoldoende minder weigeren weigert weigerden"
    ),
    "fr": _words("ne n pas aucun aucune jamais rien personne sans manque guere moins refuser refusent refuse"),
    "en": _words(
        "no not never none nothing nobody nowhere without cannot lack lacking little less fewer refuse refuses refused reject rejects"
    ),
}

# Negations that mean no in whatever language the session speaks: a motive written in another
# language than the session's is still read as turned around ("No photos of clients" in a Dutch
# session). Words that are something else in another language ("pas", "personne") are left out.
NEGATIONS_ANYWHERE = _words("geen niet nooit niets niemand no not never nothing nobody aucun aucune jamais rien")

# The same thing in a social-work organisation's words, per language: a concept and its forms
# separated by commas (a form of several words is matched as a phrase). A concept in GENERIC is
# what almost every motive on this worksheet speaks of (the policy, social media, the
# organisation): it counts for less when two motives are compared.
CONCEPTS: dict[str, dict[str, str]] = {
    "staff": {
        "nl": "medewerker, medewerkers, teamleden, hulpverleners, begeleiders, vakmensen, collega, collega's, collegas, personeel, personeelsleden, werknemer, werknemers",
        "fr": "collegue, collegues, intervenants, intervenant, travailleurs sociaux, educateurs, le personnel, du personnel, au personnel, notre personnel, membres du personnel, personnel, travailleur, travailleurs, employe, employes, salaries",
        "en": "staff, staff members, practitioners, social workers, colleague, colleagues, employee, employees, worker, workers, personnel",
    },
    "clients": {
        "nl": "client, clienten, clienten, cliënt, cliënten, gebruiker, gebruikers, bewoner, bewoners, deelnemers, doelgroep",
        "fr": "usager, usagers, beneficiaire, beneficiaires, client, clients, residents, public",
        "en": "client, clients, service user, service users, users, residents, participants",
    },
    "young": {
        "nl": "jongere, jongeren, jeugd, tieners, kinderen",
        "fr": "jeune, jeunes, jeunesse, ados, adolescents, enfants",
        "en": "young people, youngsters, youth, teenagers, children, kids",
    },
    "photo": {
        "nl": "foto, foto's, fotos, beeld, beelden, afbeeldingen",
        "fr": "photo, photos",
        "en": "photo, photos, picture, pictures",
    },
    "money": {
        "nl": "geld, budget, middelen, financiering, centen",
        "fr": "argent, budget, moyens, financement",
        "en": "money, budget, funding, funds, resources",
    },
    "time": {"nl": "tijd", "fr": "temps", "en": "time"},
    "write": {
        "nl": "schrijven, uitschrijven, opstellen, uitwerken, uit te werken, werken aan",
        "fr": "rediger, ecrire, elaborer",
        "en": "write, writing, draft, drafting",
    },
    "quick": {
        "nl": "snel, snelle, sneller, vlug",
        "fr": "vite, rapide, rapidement",
        "en": "quick, quickly, fast, rapid, rapidly",
    },
    "react": {
        "nl": "reageren, reactie, reacties, antwoorden",
        "fr": "reagir, reaction, reactions, repondre, reponse",
        "en": "react, reaction, respond, response",
    },
    "protect": {
        "nl": "beschermen, bescherming, beveiligen",
        "fr": "proteger, protection",
        "en": "protect, protection, protecting, safeguard",
    },
    "damage": {
        "nl": "schade, beschadigen",
        "fr": "degats, dommage, nuire, tort",
        "en": "damage, harm",
    },
    "image": {
        "nl": "imago, reputatie",
        "fr": "image, reputation",
        "en": "reputation, reputational, image",
    },
    "avoid": {"nl": "voorkomen, vermijden", "fr": "eviter, prevenir", "en": "avoid, prevent"},
    "enough": {
        "nl": "volstaat, volstaan, voldoende, genoeg",
        "fr": "suffit, suffire, suffisant, suffisante",
        "en": "enough, sufficient, suffices",
    },
    "outdated": {
        "nl": "verouderd, veroudert, verouderen, achterhaald",
        "fr": "depasse, depassee, depassees, depasses, obsolete, obsoletes",
        "en": "outdated, out of date, obsolete",
    },
    "read": {"nl": "lezen, leest, gelezen", "fr": "lire, lit, lu", "en": "read, reads, reading"},
    "allowed": {
        "nl": "mag, toegestaan, toegelaten",
        "fr": "permis, autorise",
        "en": "allowed, permitted",
    },
    "know": {"nl": "weten, weet", "fr": "savoir, sait, savent", "en": "know, knows, sure"},
    "new": {"nl": "nieuw, nieuwe", "fr": "nouveau, nouveaux, nouvelle, nouvelles", "en": "new"},
    "speak": {
        "nl": "spreken, spreekt, woordvoerder",
        "fr": "parler, parle, exprimer, porte parole",
        "en": "speak, speaks, spokesperson",
    },
    "on_behalf": {"nl": "namens", "fr": "au nom", "en": "on behalf"},
    "separate": {
        "nl": "scheiden, scheiding, gescheiden, apart",
        "fr": "separer, separation, separe, separes",
        "en": "separate, separation, separated, apart",
    },
    "account": {
        "nl": "account, accounts, profiel",
        "fr": "compte, comptes, profil",
        "en": "account, accounts, profile",
    },
    "complaint": {"nl": "klacht, klachten", "fr": "plainte, plaintes", "en": "complaint, complaints"},
    "trust": {"nl": "vertrouwen, vertrouwt", "fr": "confiance", "en": "trust, trusting"},
    "ethics": {
        "nl": "beroepsgeheim, deontologie, deontologische, ethische, ethiek, beroepscode",
        "fr": "deontologie, deontologique, ethique",
        "en": "ethics, ethical",
    },
    "paperwork": {
        "nl": "administratie, administratieve, papierwerk, planlast",
        "fr": "administrative, administratif, administration, paperasse",
        "en": "paperwork, administration, administrative",
    },
    "small": {"nl": "klein, kleine", "fr": "petit, petite", "en": "small, little"},
    "friend": {"nl": "vriend, vrienden, vriendschap", "fr": "ami, amis, amitie", "en": "friend, friends, friendship"},
    "request": {"nl": "verzoek, verzoeken, aanvraag", "fr": "demande, demandes", "en": "request, requests"},
    "gdpr": {"nl": "gdpr, avg", "fr": "rgpd", "en": "gdpr"},
    "comply": {
        "nl": "in orde, conform, naleven, voldoen",
        "fr": "en regle, conforme, respecter, se conformer",
        "en": "comply, compliant, compliance",
    },
    "reach": {"nl": "bereiken, bereik", "fr": "atteindre, toucher", "en": "reach, reaching"},
    "visible": {
        "nl": "zichtbaar, zichtbaarheid, zichtbaarder",
        "fr": "visible, visibilite",
        "en": "visible, visibility",
    },
    "parents": {"nl": "ouders, ouder", "fr": "parents", "en": "parents"},
    "harass": {
        "nl": "haat, haters, haatberichten, haatreacties, intimidatie, pesten, pesterijen, bedreigd, bedreigingen, scheldwoorden, trollen",
        "fr": "harcelement, harceler, harceles, haine, haters, insultes, menaces, trolls",
        "en": "harassment, harassed, hate, haters, abuse, bullying, threats, trolls, insults",
    },
    "decide": {"nl": "beslissen, beslissing, beslist", "fr": "decider, decision", "en": "decide, decision"},
    "management": {"nl": "directie, bestuur, management", "fr": "direction", "en": "management, board"},
    "neighbourhood": {"nl": "buurt, wijk", "fr": "quartier", "en": "neighbourhood, neighborhood, community"},
    "privacy": {"nl": "privacy, privacygevoelig", "fr": "vie privee, privacy, intimite", "en": "privacy"},
    "crisis": {
        "nl": "crisis, crisissituatie, crisissituaties, incident",
        "fr": "crise, crises, incident",
        "en": "crisis, crises, incident",
    },
    "communicate": {
        "nl": "communicatie, communiceren, communiceert",
        "fr": "communication, communiquer",
        "en": "communication, communicate, communications",
    },
    "plan": {
        "nl": "plan, draaiboek, procedure, stappenplan, protocol",
        "fr": "plan, procedure, protocole",
        "en": "plan, procedure, protocol, playbook",
    },
    "post": {
        "nl": "posten, post, posts, publiceren, delen, zetten, plaatsen",
        "fr": "publier, publient, publication, poster, partager, mettre",
        "en": "post, posting, posted, publish, share, sharing, put",
    },
    "ban": {
        "nl": "verbod, verbieden, verboden",
        "fr": "interdire, interdiction, interdit",
        "en": "ban, forbid, forbidden, prohibit",
    },
    "consent": {
        "nl": "toestemming, akkoord, instemming",
        "fr": "consentement, accord",
        "en": "consent, permission, approval",
    },
    "working_hours": {
        "nl": "werkuren, werktijd, werktijden, kantooruren, diensturen",
        "fr": "heures de travail, heures de bureau, horaires",
        "en": "working hours, office hours, work hours, hours",
    },
    "evening": {
        "nl": "avond, avonds, weekend, nacht",
        "fr": "soir, soiree, week end, weekend, nuit",
        "en": "evening, evenings, weekend, night",
    },
    "reachable": {
        "nl": "bereikbaar, bereikbaarheid, beschikbaar, beschikbaarheid",
        "fr": "joignable, joignables, disponible, disponibilite",
        "en": "reachable, available, availability",
    },
    "opinion": {
        "nl": "mening, meningsuiting, meningen, censuur",
        "fr": "opinion, expression, censure, avis",
        "en": "opinion, opinions, speech, expression, censorship",
    },
    "freedom": {"nl": "vrijheid, vrij, vrijuit", "fr": "liberte, librement, libre", "en": "freedom, free, freely"},
    "platform": {
        "nl": "facebook, instagram, tiktok, twitter, snapchat, linkedin, pagina, facebookpagina",
        "fr": "facebook, instagram, tiktok, twitter, snapchat, linkedin, page",
        "en": "facebook, instagram, tiktok, twitter, snapchat, linkedin, page",
    },
    "messaging": {
        "nl": "whatsapp, messenger, chat, sms",
        "fr": "whatsapp, messenger, chat, sms",
        "en": "whatsapp, messenger, chat, text messages",
    },
    "group": {"nl": "groep, groepen, groepschat", "fr": "groupe, groupes", "en": "group, groups"},
    "message": {
        "nl": "bericht, berichten",
        "fr": "message, messages, commentaire, commentaires",
        "en": "message, messages, comment, comments",
    },
    "costly": {
        "nl": "duur, kostelijk, kost",
        "fr": "cher, chere, couteux, coute",
        "en": "expensive, costly, costs, cost",
    },
    "lose": {
        "nl": "verlies, verliezen, verliest, verspillen, tijdverlies",
        "fr": "perte, perdre, perdent, gaspiller",
        "en": "lose, loss, waste, wasted, wasting",
    },
    "use": {"nl": "gebruiken, gebruik, gebruikt", "fr": "utiliser, utilisons, utilisation", "en": "use, using, used"},
    "important": {
        "nl": "belangrijk, prioriteit",
        "fr": "important, importants, importante, prioritaire, priorite",
        "en": "important, priority",
    },
    "own": {
        "nl": "eigen, persoonlijk, persoonlijke, prive, privaat, private",
        "fr": "perso, compte personnel, comptes personnels, profil personnel, usage personnel, telephone personnel, propre, prive, prives, privee",
        "en": "own, personal, private",
    },
    "professional": {
        "nl": "professioneel, professionele, werkaccount, werkprofiel",
        "fr": "professionnel, professionnels, professionnelle, pro",
        "en": "professional, work account",
    },
    "professionalism": {
        "nl": "professionaliteit, professionalisme, deskundigheid",
        "fr": "professionnalisme",
        "en": "professionalism",
    },
    "volunteers": {"nl": "vrijwilliger, vrijwilligers", "fr": "benevole, benevoles", "en": "volunteer, volunteers"},
    "existing": {
        "nl": "bestaand, bestaande, al, reeds",
        "fr": "existant, existante, existe, deja",
        "en": "existing, already",
    },
    "law": {
        "nl": "wet, wetgeving, wettelijk, verplicht, verplichting",
        "fr": "loi, legislation, legal, obligation, obligatoire, oblige",
        "en": "law, legislation, legal, obligation, required, obliged",
    },
    "phone": {
        "nl": "gsm, smartphone, smartphones, telefoon, telefoons, mobieltje, werktelefoon, werk gsm",
        "fr": "gsm, smartphone, smartphones, telephone, telephones, portable",
        "en": "phone, phones, smartphone, smartphones, mobile, mobiles, cell phone",
    },
    "video": {
        "nl": "video, videos, video's, filmpje, filmpjes, filmen, gefilmd, film, opname, opnames",
        "fr": "video, videos, filmer, filme, filment, film, enregistrement",
        "en": "video, videos, film, filming, filmed, recording, recordings",
    },
    "screenshot": {
        "nl": "screenshot, screenshots, schermafbeelding, schermafbeeldingen, printscreen",
        "fr": "capture d ecran, captures d ecran, screenshot, screenshots",
        "en": "screenshot, screenshots, screen grab, screengrab",
    },
    "liable": {
        "nl": "aansprakelijk, aansprakelijkheid, juridisch, juridische",
        "fr": "responsabilite, juridique, juridiquement, penalement",
        "en": "liable, liability, legally, lawsuit",
    },
    "fake": {
        "nl": "nepnieuws, fake, fake news, desinformatie, misinformatie, valse informatie, vals nieuws",
        "fr": "fake news, infox, desinformation, fausses informations, fausse information, fausses nouvelles",
        "en": "fake news, misinformation, disinformation, false information, fake",
    },
    "location": {
        "nl": "locatie, locaties, locatiedeling, geotag, geotags, verblijfplaats, adres",
        "fr": "localisation, geolocalisation, adresse, geotag",
        "en": "location, locations, geotag, geotags, geotagging, whereabouts, address",
    },
    "recruit": {
        "nl": "werven, rekruteren, aanwerven, werving, rekrutering, aanwerving, vacature, vacatures",
        "fr": "recruter, recrutement, embaucher, embauche, offres d emploi",
        "en": "recruit, recruiting, recruitment, hiring, vacancies, job ads",
    },
    "fundraising": {
        "nl": "fondsenwerving, crowdfunding, giften, donaties, schenkingen, sponsoring",
        "fr": "collecte de fonds, dons, crowdfunding, financement participatif, mecenat",
        "en": "fundraising, donations, donors, crowdfunding, appeal",
    },
    "live": {
        "nl": "livestream, livestreams, live, rechtstreeks",
        "fr": "en direct, live, livestream",
        "en": "livestream, live stream, live, streaming",
    },
    "accessible": {
        "nl": "toegankelijk, toegankelijke, toegankelijkheid",
        "fr": "accessible, accessibles, accessibilite",
        "en": "accessible, accessibility",
    },
    "training": {
        "nl": "vorming, vormingen, opleiding, opleidingen, training, trainingen, bijscholing",
        "fr": "formation, formations, former",
        "en": "training, trainings, course, courses",
    },
    "control": {
        "nl": "controle, controleren, gecontroleerd, toezicht, bewaken, gecontroleerd",
        "fr": "controle, controler, controles, surveiller, surveillance, surveille, flicage",
        "en": "control, controlled, controlling, monitor, monitoring, surveillance, policing",
    },
    "activity": {
        "nl": "activiteit, activiteiten, uitstap, uitstappen, evenement, evenementen",
        "fr": "activite, activites, sortie, sorties, atelier, ateliers, evenement, evenements",
        "en": "activity, activities, outing, outings, trip, trips, event, events",
    },
    "digital": {
        "nl": "digitaal, digitale, digitale vaardigheden",
        "fr": "numerique, numeriques, competences numeriques",
        "en": "digital, digital skills",
    },
    "visitors": {"nl": "bezoeker, bezoekers", "fr": "visiteur, visiteurs", "en": "visitor, visitors"},
    "confidential": {
        "nl": "vertrouwelijk, vertrouwelijke, vertrouwelijkheid, discretieplicht, dossier, dossiers",
        "fr": "secret professionnel, confidentiel, confidentielle, confidentielles, confidentialite, dossier, dossiers",
        "en": "confidential, confidentiality, professional secrecy, case notes, case files",
    },
    "policy": {
        "nl": "beleid, beleidsplan, regels, regel, afspraken, afspraak, richtlijnen, reglement",
        "fr": "politique, regles, regle, consignes, charte",
        "en": "policy, rules, rule, guidelines",
    },
    "organisation": {
        "nl": "organisatie, vzw, vereniging",
        "fr": "association, organisation, asbl, structure",
        "en": "organisation, organization, charity",
    },
    "online": {
        "nl": "online, internet, sociale media, socials",
        "fr": "en ligne, internet, reseaux sociaux, reseaux",
        "en": "online, internet, social media",
    },
}

# Who a motive is about: someone put in place of someone else makes another motive ("privacy van
# cliënten" is not "privacy van medewerkers"), and so does another actor named first.
ACTORS = frozenset({"staff", "clients", "young", "parents", "volunteers", "organisation", "management", "visitors"})

# What a motive is about, as against what is done or thought about it: one subject put in place of
# another makes another motive ("geen tijd" is not "geen geld", "privacy" not "imago"), where
# "imagoschade voorkomen" and "ons imago beschermen" only frame one subject two ways.
SUBJECTS = ACTORS | frozenset(
    {
        "photo",
        "money",
        "time",
        "image",
        "account",
        "complaint",
        "ethics",
        "paperwork",
        "friend",
        "gdpr",
        "privacy",
        "crisis",
        "messaging",
        "group",
        "working_hours",
        "evening",
        "law",
        "neighbourhood",
        "phone",
        "video",
        "screenshot",
        "fake",
        "location",
        "fundraising",
        "live",
        "training",
        "digital",
        "confidential",
        "recruit",
        "harass",
        "opinion",
    }
)

# What is done or thought about a subject, in words many motives use: sharing one of these and
# someone ("medewerkers beschermen") says little of what two motives are about.
FRAMING = frozenset(
    {
        "protect",
        "avoid",
        "damage",
        "use",
        "important",
        "enough",
        "existing",
        "know",
        "allowed",
        "react",
        "communicate",
        "post",
        "new",
        "quick",
        "small",
        "decide",
        "read",
        "write",
        "own",
    }
)

# The concepts nearly every motive on this worksheet speaks of.
GENERIC = frozenset({"policy", "organisation", "online", "platform", "write"})
