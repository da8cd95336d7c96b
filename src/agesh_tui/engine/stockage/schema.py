"""The SQLite schema and its forward migrations.

Each migration is applied once, in order, inside one transaction, and
``PRAGMA user_version`` records how many ran: an older database is brought
forward without losing data. Never edit a released migration; append one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1 — the whole domain of SPEC §1
    """
    CREATE TABLE meta (cle TEXT PRIMARY KEY, valeur TEXT NOT NULL);
    INSERT INTO meta VALUES ('changements', '0');

    CREATE TABLE etablissement (
        uai TEXT PRIMARY KEY, nom TEXT NOT NULL, type TEXT NOT NULL, statut TEXT NOT NULL,
        code_commune TEXT NOT NULL, commune TEXT NOT NULL, code_postal TEXT NOT NULL,
        latitude REAL, longitude REAL, circonscription TEXT NOT NULL,
        ulis INTEGER NOT NULL, pial_uai TEXT
    );
    CREATE INDEX etablissement_pial ON etablissement(pial_uai);

    CREATE TABLE secteur (
        code TEXT PRIMARY KEY, nom TEXT NOT NULL, erseh_nom TEXT NOT NULL, erseh_mail TEXT NOT NULL
    );
    CREATE TABLE secteur_etablissement (
        secteur_code TEXT NOT NULL REFERENCES secteur(code) ON DELETE CASCADE,
        uai TEXT NOT NULL REFERENCES etablissement(uai),
        PRIMARY KEY (secteur_code, uai)
    );

    CREATE TABLE eleve (
        id TEXT PRIMARY KEY, nom TEXT NOT NULL, prenom TEXT NOT NULL, date_naissance TEXT,
        etat_dossier TEXT NOT NULL, structure_soin TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE proche (
        eleve_id TEXT NOT NULL REFERENCES eleve(id) ON DELETE CASCADE,
        nom TEXT NOT NULL, prenom TEXT NOT NULL, lien TEXT NOT NULL,
        telephone TEXT NOT NULL, mail TEXT NOT NULL,
        PRIMARY KEY (eleve_id, nom, prenom)
    );
    CREATE TABLE scolarite (
        id TEXT PRIMARY KEY, eleve_id TEXT NOT NULL REFERENCES eleve(id),
        uai TEXT NOT NULL REFERENCES etablissement(uai), classe TEXT NOT NULL,
        debut TEXT NOT NULL, fin TEXT
    );
    CREATE INDEX scolarite_eleve ON scolarite(eleve_id);
    CREATE TABLE decision (
        id TEXT PRIMARY KEY, eleve_id TEXT NOT NULL REFERENCES eleve(id),
        type TEXT NOT NULL, heures REAL, origine TEXT NOT NULL, nature TEXT NOT NULL,
        debut TEXT NOT NULL, fin TEXT NOT NULL
    );
    CREATE INDEX decision_eleve ON decision(eleve_id);

    CREATE TABLE aesh (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, civilite TEXT NOT NULL,
        nom TEXT NOT NULL, prenom TEXT NOT NULL, date_naissance TEXT,
        adresse TEXT NOT NULL, code_postal TEXT NOT NULL, commune TEXT NOT NULL,
        latitude REAL, longitude REAL, transport TEXT NOT NULL,
        rqth INTEGER NOT NULL, actif INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE mission (
        id TEXT PRIMARY KEY, aesh_id TEXT NOT NULL REFERENCES aesh(id),
        contrat TEXT NOT NULL, nature TEXT NOT NULL, quotite REAL, volume REAL NOT NULL,
        debut TEXT NOT NULL, fin TEXT, uai_employeur TEXT, uai_payeur TEXT,
        source TEXT NOT NULL, actif INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX mission_aesh ON mission(aesh_id);
    CREATE TABLE affectation_pial (
        id TEXT PRIMARY KEY, mission_id TEXT NOT NULL REFERENCES mission(id),
        pial_uai TEXT NOT NULL, annee INTEGER NOT NULL, volume REAL NOT NULL,
        debut TEXT NOT NULL, fin TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX affectation_mission ON affectation_pial(mission_id);
    CREATE TABLE accompagnement (
        id TEXT PRIMARY KEY, mission_id TEXT NOT NULL REFERENCES mission(id),
        uai TEXT NOT NULL REFERENCES etablissement(uai),
        debut TEXT NOT NULL, fin TEXT NOT NULL, heures REAL NOT NULL,
        repas INTEGER NOT NULL, pause_meridienne INTEGER NOT NULL,
        previsionnel INTEGER NOT NULL, maintien INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX accompagnement_mission ON accompagnement(mission_id);
    CREATE TABLE accompagnement_decision (
        accompagnement_id TEXT NOT NULL REFERENCES accompagnement(id) ON DELETE CASCADE,
        decision_id TEXT NOT NULL REFERENCES decision(id),
        rang INTEGER NOT NULL,
        PRIMARY KEY (accompagnement_id, decision_id)
    );
    CREATE INDEX accompagnement_decision_decision ON accompagnement_decision(decision_id);

    CREATE TABLE utilisateur (
        login TEXT PRIMARY KEY, nom TEXT NOT NULL, profils TEXT NOT NULL,
        otp_secret BLOB NOT NULL, otp_dernier_pas INTEGER NOT NULL DEFAULT 0,
        echecs INTEGER NOT NULL DEFAULT 0, bloque_jusqua TEXT,
        mail TEXT NOT NULL DEFAULT '', telephone TEXT NOT NULL DEFAULT '',
        adresse TEXT NOT NULL DEFAULT '', secteurs TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE preference (
        login TEXT NOT NULL REFERENCES utilisateur(login) ON DELETE CASCADE,
        cle TEXT NOT NULL, valeur TEXT NOT NULL,
        PRIMARY KEY (login, cle)
    );
    CREATE TABLE message (
        id INTEGER PRIMARY KEY AUTOINCREMENT, quand TEXT NOT NULL, auteur TEXT NOT NULL,
        texte TEXT NOT NULL, destinataire TEXT NOT NULL, secteur_code TEXT,
        lu INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT, quand TEXT NOT NULL, login TEXT NOT NULL,
        action TEXT NOT NULL, detail TEXT NOT NULL
    );

    CREATE TABLE reference_temps (
        contrat TEXT NOT NULL, base TEXT NOT NULL, heures REAL NOT NULL,
        PRIMARY KEY (contrat, base)
    );
    CREATE TABLE cartouche (champ TEXT PRIMARY KEY, valeur TEXT NOT NULL);
    CREATE TABLE formule (
        annee INTEGER PRIMARY KEY, texte TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE agregat_pial (
        annee INTEGER NOT NULL, pial_uai TEXT NOT NULL,
        decisions_individuelles INTEGER NOT NULL, decisions_mutualisees INTEGER NOT NULL,
        heures_individuelles REAL NOT NULL, besoin REAL NOT NULL, moyens REAL NOT NULL,
        couverture REAL, calcule_le TEXT NOT NULL, changements INTEGER NOT NULL,
        PRIMARY KEY (annee, pial_uai)
    );
    """,
    # 2 — RH synchronisation (SPEC §2.6): the weekly volume the RH extract gave,
    # NULL when the volume is computed from the références de temps de travail,
    # so that "forcer la mise à jour" recomputes only those.
    """
    ALTER TABLE mission ADD COLUMN volume_rh REAL;
    """,
    # 3 — undo memory of an insertion (SPEC §2.3.8): on an inserted
    # accompagnement, JSON of what it replaced, so that deleting it gives the
    # original back (see model.Accompagnement.remplace). NULL elsewhere.
    """
    ALTER TABLE accompagnement ADD COLUMN remplace TEXT;
    """,
    # 4 — failed logins on identifiants that name no user, counted like a
    # user's so that the wait after 5 failures does not reveal which
    # identifiants exist (api/auth.py). Keyed by an HMAC of the identifiant
    # with a key derived from the OTP key file: the table does not list what
    # was typed, and a copy of the base alone cannot test guesses against it.
    """
    CREATE TABLE echec_connexion (
        cle TEXT PRIMARY KEY, echecs INTEGER NOT NULL, bloque_jusqua TEXT
    );
    """,
    # 5 — paramètres of the département by name (SPEC §2.8: the limits of the
    # propositions d'affectation), the value as text; a missing name has the
    # default of the SPEC, so an older base needs no row.
    """
    CREATE TABLE parametre (cle TEXT PRIMARY KEY, valeur TEXT NOT NULL);
    """,
    # 6 — Mon compte › Mes messages (SPEC F2): the kind of each message (the
    # journal's action that wrote it: « creation_accompagnement »…), so that
    # the list filters by kind; '' on older rows, whose kind is read from
    # their text (regles.compte.nature_message). Read marks are per user
    # (several gestionnaires see the same message): a row of message_lu
    # overrides message.lu, which stays what every user starts from.
    """
    ALTER TABLE message ADD COLUMN nature TEXT NOT NULL DEFAULT '';
    CREATE TABLE message_lu (
        login TEXT NOT NULL REFERENCES utilisateur(login) ON DELETE CASCADE,
        message_id BIGINT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
        lu INTEGER NOT NULL,
        PRIMARY KEY (login, message_id)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
