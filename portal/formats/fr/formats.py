# La même écriture pour chaque sorte de valeur, en français, sur chaque page, e-mail,
# PDF et CSV : le mois en lettres, l'heure sur 24 heures.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
