"""The complaint topics a feedback report knows, and the words that name each, in PL, IT, EN.

Cues are written folded (lower case, no diacritics: "bagaż" is "bagaz"), as the listening
matcher folds post text. A cue ending in ``*`` matches any word that starts with it
("rimbors*": rimborso, rimborsi, rimborsato); a cue without one matches the word in any Polish
case ending, through the listening stemmer ("walizka" also finds "walizce", "walizkę"). A cue
of several words matches them in order with at most two other words between ("lost bag*"
finds "lost my bag"). A prefix standing alone is at least four letters long, so that it
stays specific; inside a phrase, three.

Posts are matched against the cues of their own language and English (which PL and IT posts
borrow: "app", "login"); a post of unknown language against all. The order of :data:`TOPICS`
breaks ties, the more specific first: a post naming two topics as often belongs to the earlier
("waiting for a refund for the cancelled flight" is about the refund).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TOPICS", "TopicCues"]


@dataclass(frozen=True, slots=True)
class TopicCues:
    key: str
    label: str
    cues: dict[str, tuple[str, ...]]  # language -> cues


TOPICS: tuple[TopicCues, ...] = (
    TopicCues(
        "support_wait",
        "Waiting for support",
        {
            "pl": (
                "infolini*", "konsultant*", "brak odpowiedzi", "nikt nie odpowiada",
                "nikt nie odbiera", "dodzwoni*", "biuro obslugi", "obsluga klienta",
                "czat*", "czekam na odpowiedz", "zero odpowiedzi", "bez odpowiedzi",
            ),
            "it": (
                "servizio clienti", "assistenza", "call center", "numero verde",
                "nessuna risposta", "senza risposta", "nessuno risponde", "operator*", "chat",
                "ticket",
            ),
            "en": (
                "customer service", "support", "on hold", "no reply", "no response",
                "hotline", "call center", "chat", "live chat", "chatbot", "nobody answers",
                "no answer", "waiting for a reply", "waiting for an answer", "live agent",
                "support ticket", "ticket open*",
            ),
        },
    ),
    TopicCues(
        "refunds",
        "Refunds",
        {
            "pl": (
                "zwrot*", "zwroc*", "zwracac*", "refundac*", "oddajcie pieniadz*",
                "oddac pieniadz*", "odzyskac pieniadz*", "reklamac*", "odszkodowan*",
            ),
            "it": (
                "rimbors*", "restituzion*", "restituit*", "soldi indietro", "risarciment*",
                "rimborsat*",
            ),
            "en": ("refund*", "money back", "reimburs*", "chargeback*", "compensation"),
        },
    ),
    TopicCues(
        "lost_baggage",
        "Lost or damaged baggage",
        {
            "pl": ("bagaz*", "walizk*", "walizka", "plecak*", "zgubil* torb*", "torba"),
            "it": ("bagagl*", "valigi*", "valige", "trolley", "zaino", "zaini", "borsa"),
            "en": (
                "baggage*", "luggage*", "suitcase*", "backpack*", "lost bag*", "my bag*",
                "bag* lost", "missing bag*",
                "bag* missing", "damaged bag*", "bag* damaged", "bag* arrived", "checked bag*",
            ),
        },
    ),
    TopicCues(
        "pricing",
        "Prices",
        {
            "pl": (
                "cena", "drogo", "drozej", "zdzierstw*", "podwyzk*", "cennik*", "za drogo",
                "drogi bilet*", "tansz*", "taniej",
            ),
            "it": (
                "prezz*", "caro", "troppo cari", "costos*", "aument*", "rincar*", "tariff*",
                "costa", "un furto",
            ),
            "en": (
                "price*", "pricing", "expensive", "overpriced", "rip off", "ripoff", "fares",
                "cost", "costs", "daylight robbery",
            ),
        },
    ),
    TopicCues(
        "billing",
        "Billing and charges",
        {
            "pl": (
                "faktur*", "rachun*", "oplat*", "pobral*", "pobrano", "obciaz*", "nalicz*",
                "abonament*", "subskrypc*", "platnos*", "dwukrotn*", "przelew*",
            ),
            "it": (
                "fattur*", "addebit*", "bollett*", "pagato due volte", "abbonament*",
                "costi nascosti", "pagament*", "canone", "addebitat*",
            ),
            "en": (
                "bill", "billed", "billing", "bills", "charge", "charged", "charges", "hidden fee*",
                "invoice*", "subscription*",
                "overcharg*", "payment*", "direct debit", "statement",
            ),
        },
    ),
    TopicCues(
        "app_login",
        "App and login",
        {
            "pl": (
                "aplikac*", "apka", "apki", "apce", "apke", "zaloguj*", "zalogow*",
                "logowani*", "loguj*", "haslo", "hasla", "hasel", "konto zablokowan*",
                "kod sms", "weryfikac*",
            ),
            "it": (
                "app", "applicazion*", "accedere", "accesso", "login", "password",
                "credenzial*", "account bloccat*", "codice di verifica", "autenticazion*",
            ),
            "en": (
                "app", "apps", "login*", "log in", "sign in", "signin", "password*",
                "account locked", "locked out", "two factor", "verification code",
            ),
        },
    ),
    TopicCues(
        "delivery",
        "Delivery and parcels",
        {
            "pl": (
                "kurier*", "przesylk*", "paczk*", "paczce", "dostaw*", "zamowieni*",
                "paczkomat*", "nie doszla", "nie dotarl*",
            ),
            "it": (
                "consegn*", "corrier*", "pacco", "pacchi", "spedizion*", "tracking",
                "non e arrivato", "mai arrivato",
            ),
            "en": (
                "deliver*", "parcel*", "package*", "courier*", "shipping", "shipment*",
                "tracking", "never arrived", "order never",
            ),
        },
    ),
    TopicCues(
        "cancellations",
        "Cancellations",
        {
            "pl": ("odwol*", "anulow*", "skasowa* lot*", "kurs odwolany"),
            "it": ("cancellat*", "annullat*", "soppress*", "cancellazion*", "annullament*"),
            "en": ("cancel*", "called off"),
        },
    ),
    TopicCues(
        "delays",
        "Delays",
        {
            "pl": ("opozni*", "opozn*", "spozni*", "spozn*", "obsuw*", "godzin* czekani*"),
            "it": ("ritard*", "in ritardo", "slittat*", "fermi sulla pista", "partenza"),
            "en": (
                "delay*", "hours late", "minutes late", "running late", "late again",
                "late", "pushed back", "tarmac", "stuck at the gate",
            ),
        },
    ),
    TopicCues(
        "staff",
        "Staff behaviour",
        {
            "pl": (
                "niemil*", "chamsk*", "chamstw*", "nieuprzejm*", "pracownik*", "pracownic*",
                "kasjer*", "stewardes*", "kierowc*", "konduktor*", "personel*", "obsluga byla",
                "arogan*", "opryskliw*", "krzycz*",
            ),
            "it": (
                "personale", "scortes*", "maleducat*", "dipendent*", "hostess", "commess*",
                "capotreno", "autista", "controllor*", "impiegat*", "sgarbat*", "arrogant*",
                "urlat*",
            ),
            "en": (
                "staff", "rude*", "employee*", "flight attendant*", "crew", "cashier*",
                "driver", "attitude", "unprofessional", "gate agent*", "conductor", "shouted",
                "yelled", "manners", "inspector",
            ),
        },
    ),
    TopicCues(
        "outage",
        "Outage, service down",
        {
            "pl": (
                "awari*", "brak zasieg*", "zasieg*", "brak internet*", "internet*",
                "przerw* w dostaw*", "siec lezy", "nie ma sieci", "brak sieci",
                "strona nie dziala",
            ),
            "it": (
                "guast*", "disservizi*", "fuori servizio", "rete", "internet", "blackout",
                "sito non funziona", "linea", "connession*", "giu",
            ),
            "en": (
                "outage*", "is down", "down again", "service down", "site down",
                "network down", "no signal", "no internet", "offline", "blackout*",
                "no service", "internet", "connection*",
            ),
        },
    ),
    TopicCues(
        "product_quality",
        "Product quality",
        {
            "pl": (
                "zepsu*", "uszkodz*", "wadliw*", "rozpadl*", "jakosc*", "popsul*",
                "przestal dzialac", "przestala dzialac", "bubel",
            ),
            "it": (
                "difett*", "rotto", "rotta", "qualita", "si e rotto", "scadent*",
                "smesso di funzionare",
            ),
            "en": (
                "broken", "broke", "defective", "faulty", "quality", "stopped working",
                "fell apart", "cheaply made", "bricked",
            ),
        },
    ),
)  # fmt: skip
