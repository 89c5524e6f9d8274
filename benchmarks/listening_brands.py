"""The brands the listening evaluation uses, as profiles and as the forms people write.

Declensions here are written out from Polish grammar by hand, not produced by the library's
own generator, so the evaluation does not grade the generator against itself.
"""

from __future__ import annotations

from mentiondesk.domain.profiles import BrandProfile

AIRLINE_CONTEXT = (
    "flight", "flights", "fly", "flying", "airline", "plane", "gate", "baggage", "bag", "seat",
    "crew", "pilot", "delayed", "delay", "cancelled", "booking", "ticket", "airport", "miles",
)  # fmt: skip

PROFILES: dict[str, BrandProfile] = {
    "united": BrandProfile(
        "united", ("United", "United Airlines"), handles={"x": ("united",)},
        common_words=("United",), context_terms=AIRLINE_CONTEXT, languages=("en",),
    ),
    "southwest": BrandProfile(
        "southwest", ("Southwest", "Southwest Airlines"), handles={"x": ("SouthwestAir",)},
        languages=("en",),
    ),
    "jetblue": BrandProfile("jetblue", ("JetBlue",), handles={"x": ("JetBlue",)},
                            languages=("en",)),
    "delta": BrandProfile(
        "delta", ("Delta", "Delta Air Lines"), handles={"x": ("Delta",)}, common_words=("Delta",),
        context_terms=AIRLINE_CONTEXT, languages=("en",),
    ),
    "american": BrandProfile(
        "american", ("American Airlines", "American"), handles={"x": ("AmericanAir",)},
        common_words=("American",), context_terms=AIRLINE_CONTEXT, languages=("en",),
    ),
    "virgin": BrandProfile(
        "virgin", ("Virgin America",), handles={"x": ("VirginAmerica",)}, languages=("en",)
    ),
    "usairways": BrandProfile("usairways", ("US Airways",), handles={"x": ("USAirways",)},
                              languages=("en",)),
    "ocado": BrandProfile("ocado", ("Ocado",), handles={"x": ("Ocado",)}, languages=("en",)),
    "biedronka": BrandProfile("biedronka", ("Biedronka",), competitors=("Lidl",),
                              languages=("pl",)),
    "zabka": BrandProfile("zabka", ("Żabka",), products=("Żappka",), languages=("pl",)),
    "orlen": BrandProfile("orlen", ("Orlen",), languages=("pl",)),
    "allegro": BrandProfile("allegro", ("Allegro",), languages=("pl",)),
    "rossmann": BrandProfile("rossmann", ("Rossmann",), languages=("pl",)),
    "empik": BrandProfile("empik", ("Empik",), languages=("pl",)),
    "play": BrandProfile(
        "play", ("Play",), common_words=("Play",), languages=("pl",),
        context_terms=("abonament", "operator", "zasięg", "sieć", "internet", "telefon", "sim"),
    ),
    "esselunga": BrandProfile("esselunga", ("Esselunga",), languages=("it",)),
    "trenitalia": BrandProfile("trenitalia", ("Trenitalia",), languages=("it",)),
    "vodafone": BrandProfile("vodafone", ("Vodafone",), languages=("it",)),
    "fastweb": BrandProfile("fastweb", ("Fastweb",), languages=("it",)),
    "iliad": BrandProfile("iliad", ("Iliad",), languages=("it",)),
}  # fmt: skip

# The airline corpus's brand label -> (profile key, handle written in the tweets).
AIRLINES = {
    "United": ("united", "@united"),
    "Southwest": ("southwest", "@SouthwestAir"),
    "JetBlue": ("jetblue", "@JetBlue"),
    "Delta": ("delta", "@Delta"),
    "American": ("american", "@AmericanAir"),
    "Virgin America": ("virgin", "@VirginAmerica"),
    "US Airways": ("usairways", "@USAirways"),
}
AIRLINE_NAMES = {
    "united": ["United", "United Airlines", "united"],
    "southwest": ["Southwest", "Southwest Airlines", "southwest"],
    "jetblue": ["JetBlue", "Jetblue", "jetblue", "Jet Blue"],
    "delta": ["Delta", "Delta Air Lines"],
    "american": ["American Airlines", "American"],
    "virgin": ["Virgin America", "virgin america", "VirginAmerica"],
    "usairways": ["US Airways", "USAirways", "us airways"],
}

# Polish: case -> form, for the brands people decline.
POLISH_FORMS = {
    "biedronka": {"nom": "Biedronka", "gen": "Biedronki", "dat": "Biedronce",
                  "acc": "Biedronkę", "ins": "Biedronką", "loc": "Biedronce"},
    "zabka": {"nom": "Żabka", "gen": "Żabki", "dat": "Żabce", "acc": "Żabkę", "ins": "Żabką",
              "loc": "Żabce"},
    "orlen": {"nom": "Orlen", "gen": "Orlenu", "dat": "Orlenowi", "acc": "Orlen",
              "ins": "Orlenem", "loc": "Orlenie"},
    "allegro": {"nom": "Allegro", "gen": "Allegra", "dat": "Allegru", "acc": "Allegro",
                "ins": "Allegrem", "loc": "Allegrze"},
    "rossmann": {"nom": "Rossmann", "gen": "Rossmanna", "dat": "Rossmannowi",
                 "acc": "Rossmanna", "ins": "Rossmannem", "loc": "Rossmannie"},
    "empik": {"nom": "Empik", "gen": "Empiku", "dat": "Empikowi", "acc": "Empik",
              "ins": "Empikiem", "loc": "Empiku"},
    "play": {"nom": "Play", "gen": "Playa", "dat": "Playowi", "acc": "Playa", "ins": "Playem",
             "loc": "Playu"},
}  # fmt: skip
POLISH_TEMPLATES = {
    "nom": ["{} znowu nie działa", "{} to porażka", "czy {} ma dziś promocję?"],
    "gen": ["nie lubię {}", "kolejka do {}", "zamówienie z {} nie doszło", "aplikacja {} leży"],
    "dat": ["dziękuję {}", "przyglądam się {}"],
    "acc": ["polecam {}", "mam dość, zgłaszam {}", "wybieram {}"],
    "ins": ["problem z {}", "jestem z {} od lat", "jadę na stację z {}"],
    "loc": ["byłam dziś w {}", "kupiłem w {}", "promocja w {}", "kolejka w {} jak zwykle"],
}
PLAY_CONTEXT = ["abonament", "zasięg", "internet", "telefon"]

ITALIAN_NAMES = ("esselunga", "trenitalia", "vodafone", "fastweb", "iliad")
ITALIAN_TEMPLATES = [
    "spesa all'{}",
    "spesa all’{}",
    "il volantino dell'{}",
    "nell'{} non c'era niente",
    "con {} è sempre così",
    "il treno di {} è in ritardo",
    "da {} nessuna risposta",
    "{} non funziona",
    "grazie {}",
    "l'{} ha chiuso",
    "#{}",
]
ITALIAN_DISPLAY = {
    "esselunga": "Esselunga", "trenitalia": "Trenitalia", "vodafone": "Vodafone",
    "fastweb": "Fastweb", "iliad": "Iliad",
}  # fmt: skip

# Words that look like a brand but are something else, in sentences people write.
NEAR_NAMES = {
    "zabka": ["widziałem żabę w stawie", "żaby kumkają całą noc", "ta żaba skacze"],
    "iliad": ["rileggo l'Iliade di Omero", "l'Iliade è un poema"],
    "ocado": ["avocado toast for breakfast", "ripe avocados are rare"],
    "orlen": ["Orleans was lovely", "the Orlean family"],
    "fastweb": ["a fast web page", "fastwebs of spiders"],
    "empik": ["an empiric approach", "empirical data"],
    "rossmann": ["Rossini opera tonight"],
    "trenitalia": ["treni in Italia sono lenti"],
}
