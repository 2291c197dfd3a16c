-- A store written by the first schema (version 1), with the demo session; tests/test_store.py upgrades it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_info (
	version INTEGER NOT NULL
);
INSERT INTO schema_info VALUES(1);
CREATE TABLE sessions (
	id INTEGER NOT NULL, 
	code VARCHAR(6) NOT NULL, 
	name TEXT NOT NULL, 
	language VARCHAR(2) NOT NULL, 
	trainer_key VARCHAR(64) NOT NULL, 
	catalogue TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (code)
);
INSERT INTO sessions VALUES(1,'M3YZM9','DEMO – voorbeeldsessie','nl','3HAFPXm0fU2Hk2RY7KQuKWoQ','{"heading": {"against": {"en": "Motives not to formulate a social media policy in the organisation", "nl": "Motieven om geen sociale mediabeleid in de organisatie te formuleren"}, "for": {"en": "Motives to formulate a social media policy for the organisation", "nl": "Motieven om wel een sociale mediabeleid voor de organisatie te formuleren"}}, "id": "sociale-mediabeleid", "instruction": {"en": "Extend the lists below with motives from your own organisation.", "nl": "Vul onderstaande lijstjes verder aan met motieven uit jouw organisatie."}, "motive": [{"en": "Staff are professional enough to judge for themselves what can and cannot be communicated on social networking sites", "id": "against-professional-enough", "nl": "Medewerkers zijn professioneel genoeg om zelf in te schatten wat kan en niet kan gecommuniceerd worden op sociale netwerksites", "side": "against"}, {"en": "We have no ''ground rules'' for communicating through other channels – so none for social networking sites either", "id": "against-no-rules-for-other-channels", "nl": "We hebben geen ''spelregels'' over het communiceren via andere kanalen – dus ook niet over sociale netwerksites", "side": "against"}, {"en": "Staff are ambassadors of the organisation on social networking sites. If the organisation''s general HR policy is sound, no specific guidelines on social media are needed.", "id": "against-staff-are-ambassadors", "nl": "Medewerkers zijn ambassadeurs van de organisatie op sociale netwerksites. Als het algemene personeelsbeleid van de organisatie goed zit, zijn geen specifieke richtlijnen over sociale media nodig.", "side": "against"}, {"en": "The image of and communication about the organisation do not need priority policy attention.", "id": "against-no-priority", "nl": "Beeldvorming van en communicatie over de organisatie vergt geen prioritaire beleidsaandacht.", "side": "against"}, {"en": "Communicating professionally on social networking sites is not (yet) self-evident. It makes sense to support staff in it. Ground rules for communicating on social networking sites are needed.", "id": "for-support-staff", "nl": "Professioneel communiceren via sociale netwerksites is (nog) niet evident. Het is zinvol medewerkers daarbij te ondersteunen. Er is nood aan spelregels over het communiceren via sociale netwerksites.", "side": "for"}, {"en": "The organisation is responsible for the communication its staff bring to the outside world", "id": "for-organisation-responsible", "nl": "De organisatie is verantwoordelijk voor de communicatie die door haar medewerkers naar buiten wordt gebracht", "side": "for"}, {"en": "The boundaries between work and private life blur on social networking sites. So it is in the organisation''s interest to make agreements about it.", "id": "for-work-private-blur", "nl": "De grenzen tussen werk en privé vervagen op sociale netwerksites. Dus is het in het belang van de organisatie om daarover afspraken te maken.", "side": "for"}, {"en": "This is public communication, and it has to be streamlined.", "id": "for-public-communication", "nl": "Het gaat om publieke communicatie en die moet gestroomlijnd worden.", "side": "for"}, {"en": "Prevention is better than cure.", "id": "for-prevention", "nl": "Beter voorkomen dan genezen.", "side": "for"}, {"en": "Prevent uncontrolled growth of communication about your organisation on social networking sites", "id": "for-prevent-proliferation", "nl": "Voorkom wildgroei van communicatie over je organisatie op sociale netwerksites", "side": "for"}], "source": {"author": "Philippe Bocklandt", "credits": {"en": "This material was developed in 4 learning networks with 50 professionals from social-work organisations. The project was set up by Cera and Arteveldehogeschool.", "nl": "Dit materiaal kwam tot stand via 4 lerende netwerken met 50 beroepskrachten uit sociaal werkorganisaties. Dit project werd opgezet door Cera en de Arteveldehogeschool."}, "date": "Oktober 2015", "publication": "Sociaal werk netwerkt online – een gps en tools om professioneel te communiceren op sociale netwerksites", "reference": "Mee geïnspireerd door: Gulden, M. en Van der Wurff, J. (2015). Social media in zorg en welzijn: dat zorgt beter. Schiedam: Scriptum.", "website": "www.sociaal-werk-netwerkt-online.be"}, "title": {"en": "Motives for and against formulating a social media policy", "nl": "Motieven om wel of geen sociale mediabeleid uit te werken"}}','2026-11-25 13:48:43.000000');
CREATE TABLE teams (
	id INTEGER NOT NULL, 
	session_id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	name_key TEXT NOT NULL, 
	joined_at DATETIME NOT NULL, 
	conclusion VARCHAR(8), 
	explanation TEXT DEFAULT '' NOT NULL, 
	conclusion_updated_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (session_id, name_key), 
	FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE CASCADE
);
INSERT INTO teams VALUES(1,1,'Jeugdwerk (demo)','jeugdwerk (demo)','2026-11-25 13:48:43.000000','yes','Vooral de grens tussen werk en privé maakt afspraken nodig.','2026-11-25 13:48:43.000000');
INSERT INTO teams VALUES(2,1,'Thuiszorg (demo)','thuiszorg (demo)','2026-11-25 13:48:43.000000','not_yet','Eerst bekijken wat ons algemene communicatiebeleid al zegt.','2026-11-25 13:48:43.000000');
INSERT INTO teams VALUES(3,1,'Buurtwerk (demo)','buurtwerk (demo)','2026-11-25 13:48:43.000000','yes','','2026-11-25 13:48:43.000000');
CREATE TABLE answers (
	team_id INTEGER NOT NULL, 
	motive_id VARCHAR(64) NOT NULL, 
	applies BOOLEAN NOT NULL, 
	importance INTEGER, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (team_id, motive_id), 
	FOREIGN KEY(team_id) REFERENCES teams (id) ON DELETE CASCADE
);
INSERT INTO answers VALUES(1,'for-work-private-blur',1,5,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(1,'for-support-staff',1,4,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(1,'for-prevention',1,3,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(1,'against-professional-enough',1,2,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(2,'for-organisation-responsible',1,4,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(2,'for-public-communication',1,3,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(2,'against-staff-are-ambassadors',1,4,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(2,'against-no-rules-for-other-channels',1,3,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(3,'for-work-private-blur',1,4,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(3,'for-prevent-proliferation',1,5,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(3,'for-prevention',1,4,'2026-11-25 13:48:43.000000');
INSERT INTO answers VALUES(3,'against-no-priority',1,2,'2026-11-25 13:48:43.000000');
CREATE TABLE own_motives (
	id INTEGER NOT NULL, 
	team_id INTEGER NOT NULL, 
	side VARCHAR(8) NOT NULL, 
	text TEXT NOT NULL, 
	importance INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(team_id) REFERENCES teams (id) ON DELETE CASCADE
);
INSERT INTO own_motives VALUES(1,1,'for','Jongeren sturen ons ''s avonds berichten via Instagram.',5,'2026-11-25 13:48:43.000000','2026-11-25 13:48:43.000000');
INSERT INTO own_motives VALUES(2,2,'against','We zijn een kleine organisatie; iedereen kent elkaar.',3,'2026-11-25 13:48:43.000000','2026-11-25 13:48:43.000000');
INSERT INTO own_motives VALUES(3,3,'for','Een buurtbewoner deelde foto''s van een activiteit zonder toestemming.',5,'2026-11-25 13:48:43.000000','2026-11-25 13:48:43.000000');
INSERT INTO own_motives VALUES(4,3,'against','Beleid op papier verandert weinig aan wat mensen doen.',2,'2026-11-25 13:48:43.000000','2026-11-25 13:48:43.000000');
CREATE INDEX ix_own_motives_team_id ON own_motives (team_id);
COMMIT;
