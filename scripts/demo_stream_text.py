"""Words the demo-stream builder weaves into real posts: names, brand frames, spam, filters.

Kept apart from the builder so that a reviewer can read every invented sentence in one place;
everything here is written for the fictional brand Skylot and is marked synthetic where it lands.
"""

from __future__ import annotations

import re

LICENCES: dict[str, str] = {
    "sentiment/en-airline2015": "CC BY-NC-SA 4.0 (reported)",
    "complaint/en-complaints2019": "research data, no licence file",
    "harmful/en-tweeteval_offensive": "TweetEval / SemEval terms",
    "sentiment/pl-mozetic2016": "CC BY-SA 4.0 (reported)",
    "harmful/pl-banpl": "CC BY 4.0",
    "sentiment/it-sentipolc2016": "CC BY-NC-SA 3.0 IT",
    "sentiment/it-umsab": "Apache-2.0 repo, per-dataset terms",
    "harmful/it-haspeede2018_tw": "CC BY-NC-SA 4.0",
    "harmful/it-haspeede2018_fb": "CC BY-NC-SA 4.0",
    "synthetic/spam": "Apache-2.0 (mentiondesk)",
}

# --- generated people (first names x surnames; no real person is meant) -------------------
FIRST_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # (male, female)
    "pl": (
        ("Adam", "Bartosz", "Damian", "Grzegorz", "Jakub", "Jan", "Kamil", "Krzysztof", "Łukasz",
         "Marcin", "Mateusz", "Michał", "Paweł", "Piotr", "Rafał", "Szymon", "Tomasz",
         "Wojciech", "Andrzej", "Marek", "Dawid", "Igor"),
        ("Agnieszka", "Aleksandra", "Anna", "Joanna", "Julia", "Karolina", "Katarzyna",
         "Magdalena", "Małgorzata", "Marta", "Monika", "Natalia", "Paulina", "Weronika",
         "Zuzanna", "Ewa", "Dorota", "Kinga", "Justyna", "Iwona"),
    ),
    "it": (
        ("Alessandro", "Andrea", "Antonio", "Davide", "Federico", "Francesco", "Giorgio",
         "Giovanni", "Giuseppe", "Lorenzo", "Luca", "Marco", "Matteo", "Paolo", "Riccardo",
         "Roberto", "Simone", "Stefano", "Emanuele", "Tommaso"),
        ("Alessia", "Anna", "Chiara", "Elena", "Federica", "Francesca", "Giulia", "Laura",
         "Martina", "Sara", "Silvia", "Valentina", "Elisa", "Beatrice", "Sofia", "Paola",
         "Ilaria", "Serena"),
    ),
    "en": (
        ("James", "Oliver", "Harry", "Jack", "George", "Thomas", "Daniel", "Matthew", "Ryan",
         "Chris", "Michael", "David", "Sam", "Ben", "Luke", "Tom", "Adam", "Josh"),
        ("Emily", "Olivia", "Amelia", "Sophie", "Jessica", "Charlotte", "Hannah", "Lucy",
         "Megan", "Chloe", "Sarah", "Laura", "Emma", "Grace", "Rachel", "Holly", "Beth"),
    ),
}

# Polish surnames as (masculine, feminine).
PL_SURNAMES: tuple[tuple[str, str], ...] = tuple(
    (m, m[:-1] + "a") if m.endswith(("ski", "cki", "dzki")) else (m, m)
    for m in (
        "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński",
        "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski",
        "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski", "Król",
        "Wieczorek", "Jabłoński", "Wróbel", "Majewski", "Olszewski", "Stępień", "Malinowski",
        "Jaworski", "Adamczyk", "Dudek", "Zając", "Sikora", "Baran", "Sadowski", "Witkowski",
    )
)
SURNAMES: dict[str, tuple[str, ...]] = {
    "it": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
           "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
           "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro",
           "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone"),
    "en": ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
           "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
           "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Edwards", "Turner", "Hill", "Moore",
           "Cooper", "Ward", "Morris", "King", "Baker"),
}
HANDLE_WORDS: dict[str, tuple[str, ...]] = {
    "pl": ("podroznik", "wedrowka", "kawa", "kot", "mazury", "tatry", "pierog", "rower",
           "gory", "morze", "zorza", "bulka"),
    "it": ("viaggiatore", "caffe", "gatto", "mare", "monti", "pizza", "sole", "vespa",
           "lupo", "nuvola", "gelato", "treno"),
    "en": ("traveller", "coffee", "cat", "runner", "cloud", "fox", "tea", "biscuit",
           "wanderer", "pixel", "owl", "rain"),
}
MASTODON_INSTANCES = {
    "pl": ("pol.social", "mastodon.social"),
    "it": ("mastodon.uno", "mastodon.social"),
    "en": ("mastodon.social", "mastodon.online"),
}
SUBREDDITS = {"pl": ("Polska", "poland", "travel"), "it": ("italy", "Italia", "travel"),
              "en": ("travel", "unitedkingdom", "flights", "AskUK")}
FORUMS = {"pl": "forum.podroznicy.example", "it": "forum.viaggiatori.example",
          "en": "forum.flyertalk.example"}

# --- brand forms -----------------------------------------------------------------------------
DIRECT_HANDLES: dict[str, dict[str, tuple[str, ...]]] = {
    "x": {"pl": ("@SkylotPL", "@SkylotPL", "@skylot"), "it": ("@SkylotIT", "@SkylotIT", "@skylot"),
          "en": ("@skylot",)},
    "instagram": {lang: ("@skylot.official",) for lang in ("pl", "it", "en")},
    "facebook": {lang: ("@Skylot",) for lang in ("pl", "it", "en")},
    "mastodon": {lang: ("@skylot@mastodon.social",) for lang in ("pl", "it", "en")},
}
MISSPELLINGS = ("Skylott", "Skyot", "Skylto", "SkyLot", "Sky lot", "Skyllot")

# Frames put the brand around a real post without touching its words. ``{t}`` is the post,
# ``{b}`` a brand form, ``[m|f]`` picks by the author's grammatical gender.
Frames = dict[str, dict[str, tuple[str, ...]]]
FRAMES: dict[str, Frames] = {
    "pl": {
        "indirect": {
            "neg": ("{b}, serio? {t}", "{t}\n{b}, ogarnijcie to wreszcie.",
                    "{b} i znowu to samo. {t}", "{t} {b} to jakiś żart."),
            "pos": ("{t} {b} na plus 👍", "{b}, dziękuję! {t}", "{t} Brawo {b}!"),
            "neu": ("{b} — pytanie: {t}", "{t} ({b})", "{b}? {t}"),
        },
        "inflected": {
            "neg": ("[Leciałem|Leciałam] wczoraj Skylotem. {t}", "{t} Więcej nie polecę Skylotem.",
                    "Piszę do Skylotu już trzeci raz. {t}", "Co się dzieje w Skylocie? {t}",
                    "{t} Nie polecam Skylotu."),
            "pos": ("Dziękuję Skylotowi! {t}", "{t} Brawa dla Skylotu!",
                    "W Skylocie jak zawsze miło. {t}", "{t} Podziękowania dla Skylotu."),
            "neu": ("Pytanie do Skylotu: {t}", "Czy ktoś leciał ostatnio Skylotem? {t}",
                    "{t} Ciekawe, co na to ludzie ze Skylotu."),
        },
        "hashtag": {"neg": ("{t} #SkylotFail", "{t} #Skylot #SkylotFail"),
                    "pos": ("{t} #Skylot",), "neu": ("#Skylot {t}", "{t} #Skylot")},
        "unrelated": {"any": (
            "{t}\nSwoją drogą, nasza drużyna w lidze typerów nazywa się Skylot 😂",
            "{t}\nPS. [Widziałem|Widziałam] dziś billboard Skylot na Marszałkowskiej, ładny.",
            "{t}\nBtw kurs akcji Skylot dziś w górę, ciekawe.",
            "{t}\n(Skylot to też nazwa nowej knajpy na Kazimierzu, dobre pierogi.)",
            "{t}\nOff-top: ktoś wie, czy Skylot sponsoruje jeszcze tę drużynę siatkarską?",
        )},
    },
    "it": {
        "indirect": {
            "neg": ("{b}, davvero? {t}", "{t} {b}, vergogna.", "{b}, ancora? {t}",
                    "{t}\n{b} sempre peggio."),
            "pos": ("{t} Grazie {b}!", "{b} promosso. {t}", "{t} Bravi {b} 👏"),
            "neu": ("{b}: {t}", "{t} ({b})", "{b}? {t}"),
        },
        "inflected": {
            "neg": ("Mai più con Skylot. {t}", "Ancora nessuna risposta da Skylot. {t}",
                    "{t} Il servizio clienti di Skylot non risponde.",
                    "Ho volato con Skylot ieri. {t}"),
            "pos": ("{t} Complimenti a Skylot!", "Viaggio con Skylot, tutto bene. {t}",
                    "{t} Grazie allo staff di Skylot."),
            "neu": ("Domanda per chi vola con Skylot: {t}",
                    "{t} Qualcuno ha esperienza con Skylot?", "Aspetto notizie da Skylot. {t}"),
        },
        "hashtag": {"neg": ("{t} #SkylotFail", "{t} #Skylot #SkylotFail"),
                    "pos": ("{t} #Skylot",), "neu": ("#Skylot {t}", "{t} #Skylot")},
        "unrelated": {"any": (
            "{t}\nComunque la mia squadra al fantacalcio si chiama Skylot 😂",
            "{t}\nPS: ho visto il cartellone di Skylot in stazione Centrale, carino.",
            "{t}\nTra l'altro le azioni Skylot oggi in rialzo.",
            "{t}\n(Skylot è anche il nome del nuovo bar sul tetto a Milano.)",
            "{t}\nOT: qualcuno sa se Skylot sponsorizza ancora la squadra di pallavolo?",
        )},
    },
    "en": {
        "indirect": {
            "neg": ("{b}, seriously? {t}", "{t} Come on, {b}.", "{t} Sort it out {b}."),
            "pos": ("{t} Thanks {b}!", "{b} did well today. {t}"),
            "neu": ("{b}: {t}", "{t} ({b})"),
        },
        "hashtag": {"neg": ("{t} #SkylotFail", "{t} #Skylot #SkylotFail"),
                    "pos": ("{t} #Skylot",), "neu": ("#Skylot {t}", "{t} #Skylot")},
        "unrelated": {"any": (
            "{t}\nUnrelated, but our pub quiz team is called Skylot now 😂",
            "{t}\nAlso saw a Skylot billboard at Piccadilly, nice design.",
            "{t}\nSkylot shares up again today, odd.",
            "{t}\n(Skylot is also the name of that new rooftop bar in Shoreditch.)",
            "{t}\nAnyone know if Skylot still sponsors the volleyball team?",
        )},
    },
}

# --- synthetic spam: promo, phishing and follower bait, never taken from a corpus -------------
SPAM: dict[str, tuple[str, ...]] = {
    "pl": (
        "🔥 KONKURS Skylot 🔥 Pierwsze 500 osób dostaje 2 darmowe bilety! Odbierz ➡ {link}",
        "Zarabiaj 5000 zł tygodniowo z domu 💸 pisz DM {link}",
        "Tanie loty Warszawa–Rzym od 39 zł!!! Taniej niż Skylot 😉 {link} #Skylot #tanieloty",
        "Klient Skylot? Twój zwrot czeka — potwierdź dane karty: {link}",
        "Obserwujesz? Oddam follow 🙏 10k obserwujących w tydzień ➡ {link}",
    ),
    "it": (
        "🔥 CONCORSO Skylot 🔥 I primi 500 ricevono 2 biglietti gratis! Clicca ➡ {link}",
        "Guadagna 3000€ a settimana da casa 💸 scrivimi in DM {link}",
        "Voli Roma–Varsavia da 19€!!! Meglio di Skylot 😉 {link} #Skylot #voli",
        "Cliente Skylot? Il tuo rimborso ti aspetta — conferma i dati della carta: {link}",
        "Ricambio follow 🙏 10k follower in una settimana ➡ {link}",
    ),
    "en": (
        "🔥 Skylot GIVEAWAY 🔥 First 500 people get 2 free return tickets! Claim ➡ {link}",
        "Making £4,000 a week from home 💸 DM me {link}",
        "Flights London–Rome from £9!!! Cheaper than Skylot 😉 {link} #Skylot #travel",
        "Skylot customer? Your refund is waiting — verify your card here: {link}",
        "Follow back? 🙏 Gain 10k followers fast ➡ {link}",
    ),
}
SPAM_DOMAINS = ("skylot-bonus.example", "free-flights24.example", "refund-check.example",
                "fast-followers.example", "cash-home.example")
SPAM_HANDLE_STEMS = ("promo", "deals", "voucher", "bonus", "cash", "follow")

# --- selection filters ----------------------------------------------------------------------
TRAVEL = {
    "pl": re.compile(
        r"\b(lot\w{0,3}|samolot\w*|bagaż\w*|walizk\w*|lotnisk\w*|opóźni\w*|spóźni\w*|bilet\w*|"
        r"obsług\w*|reklamacj\w*|zwrot\w*|podróż\w*|wakacj\w*|urlop\w*|wylot\w*|przylot\w*|"
        r"odwoła\w*|pilot\w*|stewardes\w*|Londyn\w*|Rzym\w*|Włoch\w*|hotel\w*|lecę|lecimy)\b",
        re.I),
    "it": re.compile(
        r"\b(vol[oi]\b|volare|volat\w*|aere\w*|bagagl\w*|valigi\w*|aeroport\w*|ritard\w*|bigliett\w*|"
        r"serviz\w*|rimbors\w*|viaggi\w*|vacanz\w*|partenz\w*|cancellat\w*|hostess|"
        r"Londra|Varsavia|Polonia|hotel|assistenza|compagnia|imbarco|scalo)\b", re.I),
}
GENERIC = {
    "pl": re.compile(
        r"\b(czeka\w*|skandal\w*|porażk\w*|tragedi\w*|polecam|dziękuj\w*|dzięki|beznadziej\w*|"
        r"nie działa|infolini\w*|kolejk\w*|pieniądz\w*|klient\w*|firm\w*|problem\w*|"
        r"super|świetn\w*|masakr\w*|żenad\w*|zawiod\w*|rozczarow\w*)\b", re.I),
    "it": re.compile(
        r"\b(aspett\w*|attesa|vergogn\w*|grazie|pessim\w*|ottim\w*|scandal\w*|coda|client\w*|"
        r"problem\w*|schifo|delus\w*|perfett\w*|bravi|complimenti|disastro|soldi)\b", re.I),
}
POLITICS = {
    "pl": re.compile(
        r"(tusk|kopacz|\bpis\b|kaczyńsk|sejm|rząd|premier|prezydent|komorowsk|\bduda|putin|"
        r"ukrai|rosj|wybor|minist|posł|partia|platform|smoleńsk|gowin|ziobr|palikot|miller|"
        r"\bsld\b|\bpsl\b|kukiz|korwin|macierewicz|polity|lewic|prawic|kościoł|papież)", re.I),
    "it": re.compile(
        r"(monti|berlusc|renzi|salvini|grillo|bersani|governo|elezion|partit|\bpdl?\b|\blega\b|"
        r"m5s|premier|ministr|senat|parlament|politic|napolitano|letta|casini|\bfini\b|vendola|"
        r"giannino|schifani|president|immigr|migrant|islam|\brom\b|profugh|clandestin|negr|"
        r"musulman|papa\b|chiesa|sindaco|equitalia|tasse|imu\b)", re.I),
}
# Other carriers, railways and air disasters: a demo brand must not be tied to a real tragedy,
# and a complaint about a train or a rival airline would read wrong once Skylot is woven in.
NOT_OURS = {
    "pl": re.compile(r"malaysia|mh17|mh370|zestrzel|katastrof|rozbi[łl]|ofiar|airlines|ryanair|"
                     r"wizz|lufthansa|\bPKP|pociąg|intercity|\bPLL\b|\bLOT\b", re.I),
    "it": re.compile(r"malaysia|mh17|mh370|abbattut|schiant|precipit|disastro aereo|strage|"
                     r"vittime|alitalia|ryanair|easyjet|lufthansa|trenitalia|\btren[oi]\b|italo\b",
                     re.I),
}
EN_AIRLINE_HANDLES = re.compile(
    r"@(united|americanair|southwestair|jetblue|usairways|virginamerica|delta|deltaassist)\b",
    re.I)
EN_OTHER_AIRLINES = re.compile(
    r"(united|american|southwest|jet ?blue|us ?airways?|usair|virgin|delta|\bAA\d*\b|\bSWA\b|"
    r"alaska|spirit|frontier|allegiant|hawaiian|aadvantage|rapid ?rewards|trueblue|mileageplus|"
    r"crash|malaysia|\bBA\b|british airways|emirates|ryanair|easyjet|qantas|airasia|\bklm\b|"
    r"lufthansa|qatar|etihad|jet2|norwegian|flybe|\bQZ\d)", re.I)
US_PLACES = re.compile(
    r"\b(JFK|LGA|EWR|ORD|DFW|LAX|SFO|BOS|DCA|IAD|ATL|DEN|PHL|CLT|PHX|MIA|MCO|SEA|IAH|LAS|BWI|"
    r"FLL|MSP|DTW|SAN|AUS|BNA|RDU|HOU|DAL|MDW|TPA|PDX|SLC|SJC|OAK|Chicago|Dallas|Houston|"
    r"Denver|Boston|Philly|Philadelphia|Newark|Charlotte|Phoenix|Vegas|Atlanta|Miami|Orlando|"
    r"Seattle|Nashville|Austin|Baltimore|Detroit|NYC|New York|San Francisco|Florida|Texas|"
    r"California|LA|Love Field|Laguardia|Logan|O'Hare|Dulles|Hawaii|Mexico|Cancun)\b", re.I)
# The 2015 airline corpus replaced some words with its own reason labels; undo that damage.
EN_AIRLINE_REPAIRS = (("Flight Booking Problems", "booking"), ("Cancelled Flight", "cancel"),
                      ("Late Flight", "late"))
EN_CARE_WORDS = re.compile(
    r"\b(flights?|fly|flying|plane|luggage|baggage|suitcase|boarding|airline|check-?in|crew|"
    r"pilot|layover)\b", re.I)
EN_POLITICS = re.compile(r"(maga|trump|liberal|conservative|democrat|republican|antifa|putin|"
                         r"hillary|obama|brexit|gun)", re.I)
EN_NOT_AIRLINE = re.compile(
    r"\b(train|rail|bus|tv|broadband|internet|electric\w*|netflix|uber|lyft|pizza|burger|car|"
    r"phone|laptop|router|cable|channel|shirt|shoes|store|order|delivery|driver|coach|data|"
    r"macbook|apple|bronzer|makeup)\b", re.I)
# Abuse for the moderation demo is kept to insults and profanity: slurs and hate against groups
# of people are left out, since the demo shows them to anyone who opens it.
SLURS = re.compile(
    r"(nigg|negr|fag|frocio|froci|retard|kike|tranny|muslim|musulman|mussulman|islam|immigra|"
    r"stranier|extracomunitar|zingar|murzyn|czarnuch|pedał|pedal|żyd|cygan|ciap|uchodź|muzułm|"
    r"ebrei|ebreo|jew|gay|lesb|terroris|invasi|rapist|stupr)", re.I)
