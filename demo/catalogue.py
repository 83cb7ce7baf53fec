"""Hand-written material for the demo data, beside the facts of the 2019 JSON file.

Everything here is invented for the demonstration: names of generated companies,
people and organisations abroad are fictional, and every email address uses the
reserved ``.example`` domain so that nothing can ever reach a real mailbox.
Written out rather than drawn from Faker so that the data does not change when a
Faker release changes its word lists (and so that the command needs no dev tool).
"""

# --- The demo logins ---------------------------------------------------------------------

ADMIN_EMAIL = "admin@marseille.example"
STAFF_EMAIL = "staff@marseille.example"
OFFICIAL_EMAIL = "elu@marseille.example"
COMPANY_EMAIL = "entreprise@transpare.example"

# The officials named in the JSON, by name; the first one is the demo login.
OFFICIAL_EMAILS = {
    "Didier Parakian": OFFICIAL_EMAIL,
    "Dominique Vlasto": "dominique.vlasto@marseille.example",
    "Roland Blum": "roland.blum@marseille.example",
}

# --- The companies named in the JSON: what the articles do not say --------------------------

# name -> login email of the contact person, website, city and size when not in the JSON.
NAMED_COMPANIES = {
    "Transpare": {
        "email": COMPANY_EMAIL,
        "website": "https://www.transpare.example",
        "city": "Marseille",
        "size": "micro",
    },
    "Protecto": {
        "email": "mourad.amara@protecto.example",
        "website": "https://www.protecto.example",
        "city": "Marseille",
        "size": "micro",
    },
    "Provence TLC": {
        "email": "thomas.fraineux@provence-tlc.example",
        "website": "https://www.provence-tlc.example",
        "city": "Vitrolles",
        "size": "small",
    },
    "Vworld": {
        "email": "florent.leveque@vworld.example",
        "website": "https://www.vworld.example",
        "city": "Fréjus",
        "size": "small",
    },
    "Ciacam": {
        "email": "illan.cherki@ciacam.example",
        "website": "https://www.ciacam.example",
        "city": "Vitrolles",
        "size": "small",
    },
}

# --- Generated companies ------------------------------------------------------------------

# Marseille first and most often: most applicants are from the city itself.
CITIES = [
    ("Marseille", 10),
    ("Aix-en-Provence", 4),
    ("Aubagne", 2),
    ("La Ciotat", 2),
    ("Vitrolles", 2),
    ("Marignane", 1),
    ("Martigues", 1),
    ("Gémenos", 1),
    ("Rousset", 1),
    ("Cassis", 1),
    ("Allauch", 1),
    ("Fos-sur-Mer", 1),
]

SIZES = [("micro", 5), ("small", 4), ("medium", 2), ("large", 1)]

NAME_PREFIXES = [
    "Calanques",
    "Phocée",
    "Massilia",
    "Vieux-Port",
    "Mistral",
    "Estaque",
    "Frioul",
    "Joliette",
    "Canebière",
    "Sainte-Victoire",
    "Garlaban",
    "Pharo",
    "Borély",
    "Goudes",
    "Corniche",
    "Huveaune",
    "Canaille",
    "Endoume",
    "Panier",
    "Lacydon",
]

# sector code -> words that end a company name, and what such a company does.
SECTOR_PROFILES = {
    "maritime": {
        "suffixes": ["Logistique", "Marine", "Shipping", "Port Services"],
        "activity": "services logistiques et maritimes pour les chargeurs méditerranéens",
        "products": "organisation de flux portuaires, suivi de conteneurs, transit",
    },
    "health": {
        "suffixes": ["Santé", "Medical", "Care"],
        "activity": "dispositifs médicaux et services numériques pour les établissements de santé",
        "products": "dispositifs de suivi des patients, logiciels pour hôpitaux",
    },
    "tourism": {
        "suffixes": ["Voyages", "Hospitality", "Escapades"],
        "activity": "séjours et expériences touristiques en Provence",
        "products": "séjours sur mesure, croisières, tourisme d'affaires",
    },
    "digital": {
        "suffixes": ["Numérique", "Data", "Labs", "Software"],
        "activity": "logiciels et services numériques pour les entreprises",
        "products": "plateformes SaaS, intelligence artificielle, cybersécurité",
    },
    "aero": {
        "suffixes": ["Aéro", "Mécanique", "Composites"],
        "activity": "pièces et sous-ensembles pour l'aéronautique et l'hélicoptère",
        "products": "usinage de précision, matériaux composites, maintenance",
    },
    "energy": {
        "suffixes": ["Énergie", "Solaire", "Environnement"],
        "activity": "solutions pour la transition énergétique et l'environnement",
        "products": "solaire, efficacité énergétique, traitement de l'eau",
    },
    "icc": {
        "suffixes": ["Création", "Studio", "Collectif"],
        "activity": "création, design et contenus culturels",
        "products": "design, jeux vidéo, édition, arts numériques",
    },
    "blue": {
        "suffixes": ["Océan", "Blue Tech", "Nautique"],
        "activity": "technologies de la mer et industries nautiques",
        "products": "drones marins, capteurs océaniques, équipements nautiques",
    },
    "audiovisual": {
        "suffixes": ["Productions", "Films", "Images"],
        "activity": "production audiovisuelle et post-production",
        "products": "séries, documentaires, effets visuels",
    },
    "biotech": {
        "suffixes": ["Biotech", "Bio Sciences", "Pharma"],
        "activity": "biotechnologies et recherche en santé",
        "products": "diagnostic, immunothérapie, analyses de laboratoire",
    },
    "artdevivre": {
        "suffixes": ["Art de Vivre", "Maison", "Savonnerie"],
        "activity": "art de vivre provençal, cosmétique et décoration",
        "products": "savons, cosmétiques naturels, linge de maison",
    },
    "agrifood": {
        "suffixes": ["Saveurs", "Gourmet", "Terroir"],
        "activity": "produits alimentaires de Provence",
        "products": "huile d'olive, épicerie fine, boissons",
    },
}

FIRST_NAMES = [
    "Camille",
    "Julien",
    "Sarah",
    "Nicolas",
    "Léa",
    "Karim",
    "Élodie",
    "Thomas",
    "Nadia",
    "Mathieu",
    "Inès",
    "Romain",
    "Claire",
    "Yassine",
    "Manon",
    "Antoine",
    "Sophie",
    "Mehdi",
    "Laura",
    "Guillaume",
]

LAST_NAMES = [
    "Giraud",
    "Benali",
    "Rossi",
    "Martin",
    "Ferrand",
    "Chabert",
    "Bonnet",
    "Haddad",
    "Roux",
    "Castellan",
    "Olivier",
    "Mercier",
    "Vidal",
    "Santini",
    "Lambert",
    "Faure",
    "Mansouri",
    "Blanc",
    "Arnaud",
    "Pellegrin",
]

JOB_TITLES = [
    "Président",
    "Directrice générale",
    "Directeur commercial",
    "Responsable export",
    "Directrice du développement",
    "Fondateur",
]

# --- Counterparts met in Toronto and Montréal (Canada 2019) -------------------------------

# organisation, kind, city, language, sectors, contact, email, what they are.
# fmt: off
CANADA_COUNTERPARTS = [
    ("Lakeshore Capital Partners", "investor", "Toronto", "en", ["digital"],
     "Emily Chen", "emily.chen@lakeshore-capital.example",
     "Fonds d'amorçage qui investit dans les logiciels B2B."),
    ("Harbourfront Logistics", "distributor", "Toronto", "en", ["maritime"],
     "Daniel Murphy", "d.murphy@harbourfront-logistics.example",
     "Commissionnaire de transport sur les Grands Lacs."),
    ("Great Lakes Shipping Alliance", "partner", "Toronto", "en", ["maritime", "blue"],
     "Priya Raman", "priya.raman@glsa.example",
     "Groupement d'armateurs et d'opérateurs portuaires."),
    ("Maple Leaf Media Group", "buyer", "Toronto", "en", ["audiovisual", "icc"],
     "Jason Whitfield", "jwhitfield@mapleleaf-media.example",
     "Diffuseur qui achète des programmes et des formats."),
    ("Bay Street Angels", "investor", "Toronto", "en", ["digital", "health"],
     "Olivia Grant", "olivia@baystreet-angels.example",
     "Réseau de business angels de Toronto."),
    ("Ontario Clean Tech Hub", "institution", "Toronto", "en", ["energy"],
     "Marcus Lee", "marcus.lee@cleantech-hub.example",
     "Accélérateur public des technologies propres."),
    ("Queen West Creative Studio", "partner", "Toronto", "en", ["icc", "digital"],
     "Hannah Kowalski", "hannah@queenwest-studio.example",
     "Studio de design et d'expériences interactives."),
    ("Northern Health Innovations", "buyer", "Toronto", "en", ["health", "biotech"],
     "Dr. Samuel Okafor", "s.okafor@northern-health.example",
     "Groupement d'achats de plusieurs hôpitaux de l'Ontario."),
    ("Kensington Food Importers", "distributor", "Toronto", "en", ["agrifood"],
     "Laura Bianchi", "laura@kensington-foods.example",
     "Importateur d'épicerie fine européenne."),
    ("Toronto Smart Port Lab", "startup", "Toronto", "en", ["maritime", "digital"],
     "Aiden Brooks", "aiden@smartport-lab.example",
     "Jeune pousse qui numérise les opérations portuaires."),
    ("Spadina AI Studio", "startup", "Toronto", "en", ["digital"],
     "Mei Tanaka", "mei@spadina-ai.example",
     "Jeune pousse en vision par ordinateur."),
    ("Fonds Saint-Laurent Innovation", "investor", "Montréal", "fr", ["digital", "energy"],
     "Geneviève Tremblay", "g.tremblay@fsl-innovation.example",
     "Fonds de capital de risque québécois."),
    ("Distribution Mont-Royal", "distributor", "Montréal", "fr", ["agrifood", "artdevivre"],
     "Marc-André Gagnon", "ma.gagnon@distribution-montroyal.example",
     "Distributeur auprès des épiceries fines du Québec."),
    ("Logistique Fleuve Saint-Laurent", "partner", "Montréal", "fr", ["maritime", "blue"],
     "Isabelle Côté", "isabelle.cote@lfsl.example",
     "Opérateur de terminaux et de transport fluvial."),
    ("Studio Plateau Numérique", "startup", "Montréal", "fr", ["digital", "icc"],
     "Félix Bouchard", "felix@plateau-numerique.example",
     "Studio de réalité virtuelle et de jeux vidéo."),
    ("Grappe créative du Mile End", "institution", "Montréal", "fr", ["icc", "audiovisual"],
     "Catherine Roy", "catherine.roy@grappe-mile-end.example",
     "Association des entreprises créatives du quartier."),
    ("Biotech Rive-Sud", "buyer", "Montréal", "fr", ["biotech", "health"],
     "Jean-Philippe Lavoie", "jp.lavoie@biotech-rivesud.example",
     "Laboratoire qui sous-traite des analyses et achète des réactifs."),
    ("Québec Export Conseil", "institution", "Montréal", "fr", ["tourism", "agrifood"],
     "Sylvie Bergeron", "s.bergeron@qc-export.example",
     "Organisme d'accompagnement des entreprises à l'international."),
    ("Old Port Ventures", "investor", "Montréal", "en", ["digital", "blue"],
     "Ryan O'Neill", "ryan@oldport-ventures.example",
     "Fonds anglophone de Montréal tourné vers les technologies de la mer."),
    ("Mile-Ex Games Collective", "startup", "Montréal", "en", ["icc", "audiovisual"],
     "Sofia Alvarez", "sofia@milex-games.example",
     "Collectif de studios indépendants de jeux vidéo."),
]

# The Tokyo leg's B2B meetings (Tokyo Innovation Forum, French Tech Japan, Kobe's port).
TOKYO_COUNTERPARTS = [
    ("Shibuya Digital Ventures", "investor", "Tokyo", "en", ["digital"],
     "Kenji Watanabe", "k.watanabe@shibuya-dv.example",
     "Fonds d'amorçage des logiciels et de la donnée."),
    ("Kobe Port Logistics", "partner", "Kobe", "en", ["maritime", "blue"],
     "Yuki Nakamura", "y.nakamura@kobe-port-logistics.example",
     "Opérateur de terminaux du port de Kobe."),
    ("Nihon Vintage Trading", "buyer", "Tokyo", "en", ["artdevivre", "energy"],
     "Aiko Suzuki", "aiko@nihon-vintage.example",
     "Acheteur de vêtements vintage européens pour ses boutiques."),
    ("Kyoto Health Alliance", "institution", "Kyoto", "en", ["health", "biotech"],
     "Dr. Hiroshi Tanaka", "h.tanaka@kyoto-health.example",
     "Grappe des entreprises de santé de Kyoto."),
    ("Tokyo Gourmet Import", "distributor", "Tokyo", "en", ["agrifood"],
     "Sakura Ito", "sakura.ito@tokyo-gourmet.example",
     "Importateur d'épicerie fine pour les grands magasins."),
    ("French Tech Tokyo", "partner", "Tokyo", "fr", ["digital", "icc"],
     "Claire Moreau", "claire.moreau@frenchtech-tokyo.example",
     "Communauté des entrepreneurs français du numérique au Japon."),
    ("Osaka Bay Studios", "buyer", "Kobe", "en", ["audiovisual", "icc"],
     "Takeshi Kobayashi", "t.kobayashi@osakabay-studios.example",
     "Producteur et diffuseur de programmes."),
    ("Kansai Travel Bureau", "partner", "Kyoto", "en", ["tourism", "artdevivre"],
     "Mai Yamamoto", "mai@kansai-travel.example",
     "Voyagiste qui programme les croisières en Méditerranée."),
    ("Marunouchi Risk Lab", "startup", "Tokyo", "en", ["digital", "aero"],
     "Ren Sato", "ren.sato@marunouchi-risk.example",
     "Jeune pousse de gestion des risques naturels."),
]
# fmt: on

# What each counterpart looks for (Counterpart.interests), in the words the companies'
# applications use, so that the suggestions of counterparts read well in the demo.
COUNTERPART_INTERESTS = {
    # Canada
    "Lakeshore Capital Partners": "logiciels SaaS, données, intelligence artificielle",
    "Harbourfront Logistics": "transit, conteneurs, flux portuaires vers l'Europe",
    "Great Lakes Shipping Alliance": "suivi de conteneurs, drones marins, capteurs océaniques",
    "Maple Leaf Media Group": "séries, documentaires, formats, effets visuels",
    "Bay Street Angels": "plateformes SaaS, santé numérique, dispositifs médicaux",
    "Ontario Clean Tech Hub": "solaire, efficacité énergétique, traitement de l'eau",
    "Queen West Creative Studio": "design, arts numériques, jeux vidéo",
    "Northern Health Innovations": "dispositifs de suivi des patients, logiciels pour hôpitaux",
    "Kensington Food Importers": "huile d'olive, épicerie fine, boissons, produits de Provence",
    "Toronto Smart Port Lab": "organisation de flux portuaires, suivi de conteneurs, capteurs",
    "Spadina AI Studio": "intelligence artificielle, vision, cybersécurité",
    "Fonds Saint-Laurent Innovation": "plateformes SaaS, solaire, transition énergétique",
    "Distribution Mont-Royal": "épicerie fine, huile d'olive, savons, cosmétiques naturels",
    "Logistique Fleuve Saint-Laurent": "transit, flux portuaires, équipements nautiques",
    "Studio Plateau Numérique": "jeux vidéo, réalité virtuelle, arts numériques",
    "Grappe créative du Mile End": "design, édition, séries, coproductions",
    "Biotech Rive-Sud": "diagnostic, analyses de laboratoire, immunothérapie",
    "Québec Export Conseil": "séjours, tourisme d'affaires, épicerie fine",
    "Old Port Ventures": "drones marins, capteurs océaniques, intelligence artificielle",
    "Mile-Ex Games Collective": "jeux vidéo, arts numériques, effets visuels",
    # Japan
    "Shibuya Digital Ventures": "plateformes SaaS, intelligence artificielle, cybersécurité",
    "Kobe Port Logistics": "flux portuaires, suivi de conteneurs, transit",
    "Nihon Vintage Trading": "vêtements, linge de maison, savons, cosmétiques naturels",
    "Kyoto Health Alliance": "dispositifs médicaux, diagnostic, logiciels pour hôpitaux",
    "Tokyo Gourmet Import": "huile d'olive, épicerie fine, boissons",
    "French Tech Tokyo": "plateformes SaaS, design, jeux vidéo",
    "Osaka Bay Studios": "séries, documentaires, effets visuels",
    "Kansai Travel Bureau": "croisières, séjours sur mesure, tourisme d'affaires",
    "Marunouchi Risk Lab": "gestion des risques, capteurs, intelligence artificielle",
}

DECLINE_REASONS = [
    "Le profil de l'entreprise ne correspond pas à la stratégie d'investissement actuelle.",
    "L'interlocuteur n'est pas disponible pendant les journées de rendez-vous.",
    "Le marché visé n'est pas couvert par cet organisme.",
]

# --- Upcoming missions, dated relative to the day the command runs --------------------------

# Dates are offsets in days from today; the title gets the year of the start date.
UPCOMING_MISSIONS = [
    {
        "slug": "canada-toronto-montreal-prochaine-mission",
        "title": "Canada — Toronto et Montréal",
        "country": "CA",
        "cities": "Toronto, Montréal",
        "timezone": "America/Toronto",
        "status": "open",
        "capacity": 30,
        "sectors": ["icc", "digital", "blue", "maritime"],
        "start_in_days": 150,
        "length_days": 5,
        "opened_days_ago": 14,
        "deadline_in_days": 30,
        "summary": (
            "Nouvelle édition de la mission au Canada : deux jours de rendez-vous qualifiés "
            "à Toronto, puis Montréal et son Startup Fest. Candidatures ouvertes aux "
            "entreprises du numérique, des industries créatives et de l'économie bleue."
        ),
        "description": (
            "Après la mission de 2019 (30 entreprises, la première délégation provençale au "
            "Startup Fest), la Ville de Marseille repart au Canada. Programme : deux "
            "journées de rendez-vous qualifiés à Toronto avec des investisseurs, "
            "distributeurs et partenaires sélectionnés pour chaque entreprise, puis trois "
            "jours à Montréal autour du Startup Fest et d'une soirée de promotion du "
            "territoire Marseille Provence."
        ),
        "officials": ["Didier Parakian"],
    },
    {
        "slug": "israel-dld-tel-aviv-prochaine-mission",
        "title": "Israël — Tel-Aviv (DLD Innovation Festival)",
        "country": "IL",
        "cities": "Tel-Aviv, Jérusalem",
        "timezone": "Asia/Jerusalem",
        "status": "selection",
        "capacity": 10,
        "sectors": ["digital", "health"],
        "start_in_days": 60,
        "length_days": 5,
        "opened_days_ago": 75,
        "deadline_in_days": -5,
        "summary": (
            "Promotion des filières d'excellence du territoire au festival DLD Tel-Aviv : "
            "rendez-vous avec des investisseurs et des start-up du numérique et de la santé."
        ),
        "description": (
            "Les candidatures sont closes ; l'équipe sélectionne les dix entreprises de la "
            "délégation."
        ),
        "officials": [],
    },
    {
        "slug": "coree-du-sud-seoul-busan",
        "title": "Corée du Sud — Séoul et Busan",
        "country": "KR",
        "cities": "Séoul, Busan",
        "timezone": "Asia/Seoul",
        "status": "draft",
        "capacity": 12,
        "sectors": ["tourism", "maritime", "artdevivre"],
        "start_in_days": 240,
        "length_days": 6,
        "opened_days_ago": None,
        "deadline_in_days": None,
        "summary": (
            "Tourisme, croisières au départ de Marseille et art de vivre : une mission en "
            "préparation, dans le prolongement de l'étape coréenne de 2019."
        ),
        "description": "",
        "officials": [],
    },
]
