"""Name lists of the demo département: common French (and Breton) first and
family names, street names, e-mail providers. Invented people only: any
resemblance of a combination to a real person is chance."""

from __future__ import annotations

# First names of children born 2006-2024 (most given in France in those years).
PRENOMS_FILLES = (
    "Emma Louise Jade Alice Chloé Lina Léa Rose Anna Mila Inès Ambre Julia Mia Léna Manon "
    "Juliette Lou Zoé Camille Agathe Jeanne Lucie Éva Nina Sarah Romane Léonie Iris Zélie "
    "Louna Margaux Victoria Adèle Clémence Charlotte Capucine Mathilde Lola Elsa Clara "
    "Valentine Anaïs Océane Maëlys Lilou Noémie Pauline Salomé Héloïse Apolline Marie "
    "Maëlle Gabrielle Albane Elena Giulia Sofia Lya Margot Alix Olivia Nour Lisa Justine "
    "Eléna Emy Élise Constance Victoire Ninon Maya Léana Lana Aya Hanna Luna Thaïs "
    "Madeleine Gaëlle Solène Enora Nolwenn Anaé Lise Faustine Célia Éloïse Léane Axelle"
).split()

PRENOMS_GARCONS = (
    "Gabriel Léo Raphaël Louis Arthur Jules Maël Adam Lucas Hugo Noah Paul Sacha Gabin "
    "Nathan Mohamed Aaron Tom Théo Liam Éthan Nolan Timéo Victor Martin Mathis Axel Malo "
    "Léon Antoine Ethan Naël Tiago Eden Isaac Baptiste Marius Robin Valentin Clément "
    "Thomas Enzo Maxime Alexandre Mathéo Samuel Noé Simon Augustin Côme Lenny Elio "
    "Evan Milo Ayden Rayan Yanis Kylian Lorenzo Oscar Émile Charles Gaspard Tristan "
    "Joseph Benjamin Romain Quentin Antonin Titouan Erwan Gwendal Yann Loïc Killian "
    "Corentin Ewen Alan Brieuc Mael Nathanaël Esteban Anatole Félix Ilyes Sohan"
).split()

# First names of adults born 1960-2000 (parents, AESH, ERSEH).
PRENOMS_FEMMES = (
    "Nathalie Isabelle Sylvie Catherine Sandrine Valérie Christine Véronique Stéphanie "
    "Céline Sophie Virginie Aurélie Émilie Julie Caroline Laetitia Karine Delphine Anne "
    "Marie Laurence Hélène Patricia Corinne Florence Séverine Élodie Audrey Mélanie "
    "Amandine Camille Claire Cécile Anne-Sophie Marine Laure Vanessa Jessica Charlotte "
    "Pauline Gwenaëlle Morgane Solenn Armelle Nolwenn Maryvonne Annaïg Katell Soizic "
    "Magali Nadia Fatima Samira Béatrice Martine Brigitte Agnès Fabienne Muriel Sabrina "
    "Élise Justine Marion Anaïs Coralie Laëtitia Estelle Gaëlle Lucie Mathilde Sarah"
).split()

PRENOMS_HOMMES = (
    "Christophe Stéphane Sébastien Nicolas Frédéric Laurent Olivier David Philippe "
    "Thierry Éric Pascal Patrick Jérôme Julien Vincent Guillaume Cédric Fabrice Franck "
    "Yannick Anthony Mickaël Arnaud Damien Benoît Jean-Luc Jean-Pierre Alain Bruno "
    "Emmanuel Ludovic Grégory Maxime Romain Thomas Alexandre Pierre Hervé Gilles Didier "
    "Erwan Gwenaël Loïc Ronan Yann Tanguy Goulven Mathieu Florian Kévin Jonathan Samir "
    "Karim Rachid François Xavier Denis Serge Régis Joël Dominique Gaël Josselin"
).split()

_NOMS = (
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON "
    "MICHEL LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT "
    "LAMBERT FONTAINE ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN "
    "BOYER GARNIER CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT "
    "MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT "
    "MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE LUCAS "
    "BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE RENARD SCHMITT ROY LEROUX "
    "COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER "
    "PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME "
    "LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN "
    "LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS "
    "POIRIER MARTY AUBRY GUYOT CARRE CHARLES RENAULT CHARPENTIER MENARD MAILLARD BARON "
    "BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ LE_GALL COLLET LEGER BOUVIER JULIEN PREVOST "
    "MILLET PERROT DANIEL LE_ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS REMY LE_GOFF "
    "PELLETIER LEVEQUE PERRIER LEBLANC BARRE LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER "
    "JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET ETIENNE GRONDIN POULAIN TESSIER "
    "CHEVALLIER COLLIN CHAUVIN DA_SILVA BOUCHET GAY LEMAITRE BENARD MARECHAL HUMBERT "
    "REYNAUD ANTOINE HOARAU PERRET BARTHELEMY CORDIER PICHON LEJEUNE GILBERT LAMY "
    "DELAUNAY PASQUIER CARLIER LAPORTE LE_BIHAN GUILLOU TANGUY LE_BRIS LE_GUEN MORVAN "
    "LE_CORRE JEGOU HERVOUET LE_MOAL KERMARREC LE_BORGNE PRIGENT QUERE CADIOU RIOU "
    "LE_FLOCH LE_BRETON GUEGAN LE_MEUR HELLEQUIN LORANT GEFFROY JAOUEN KERVELLA LE_COZ "
    "LE_PAPE LE_BERRE CORNEC GOURIOU LE_DANTEC ROPARS LE_HIR BIHAN LEMEE LOUVEL "
    "JOUAN LE_FUR PAUGAM THOMAS-RIOU GUILLEMOT BOSCHER HUBY DANIELOU "
    "MAHE LE_MENN COLLOBERT GICQUEL BLANCHET LEBRETON FOUCHER BOUDIER PLANCHAIS "
    "TREHOREL AMIOT BAUDOUIN BLIN BOUGEARD CHEVREL "
    "DESPRES FEUVRIER GAUTRAIS HOUITTE JOUBIN LEBOUC MENAGER ORAIN PIEL RUAUX SALMON "
    "TIREL VALLEE BEN_ALI BENSAID DIALLO NGUYEN TRAN SILVA PEREIRA FERREIRA YILMAZ "
    "HADDAD MEZIANE TRAORE SY KONE CAMARA ALVES"
).split()
NOMS = tuple(n.replace("_", " ") for n in _NOMS)  # "_" stands for a space

RUES = (
    "rue de la Mairie", "rue de l'Église", "rue des Écoles", "rue du Stade",
    "rue de Bretagne", "rue de Rennes", "rue Jean Jaurès", "rue Victor Hugo",
    "rue Pasteur", "rue des Lilas", "rue des Tilleuls", "rue du Moulin",
    "rue de la Gare", "rue des Rosiers", "rue du Général de Gaulle", "rue de la Poste",
    "rue Anne de Bretagne", "rue du Verger", "rue des Peupliers", "rue de la Fontaine",
    "allée des Chênes", "allée des Camélias", "allée des Hortensias", "impasse des Mésanges",
    "impasse du Clos", "chemin de la Lande", "chemin du Bois", "boulevard de la Liberté",
    "avenue Aristide Briand", "avenue de la République", "place du Marché",
    "place de l'Église", "rue Saint-Michel", "rue Nationale", "rue de la Vilaine",
    "rue du Champ de Foire", "lieu-dit la Ville Blanche", "lieu-dit le Haut Bois",
    "résidence les Glycines", "rue des Ajoncs",
)

MESSAGERIES = (
    "orange.fr", "gmail.com", "free.fr", "laposte.net", "sfr.fr", "wanadoo.fr",
    "hotmail.fr", "yahoo.fr", "outlook.fr", "bbox.fr",
)

LIENS_PROCHES = ("Mère", "Père", "Responsable légal", "Grand-mère", "Tuteur")

STRUCTURES_SOIN = ("SESSAD", "CMP", "CMPP", "CAMSP", "Hôpital de jour")
