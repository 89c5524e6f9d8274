"""Polish first names in the vocative, and their everyday diminutives.

Polish addresses people in the vocative ("Cześć Tomku", "Pani Anno"); a reply that greets
"Cześć Tomasz" reads as careless, and the reply guard must recognise "Tomku" as Tomasz. The
rules below cover the regular endings of Polish first names; the small exceptions table holds
the names whose stem changes (a mobile "e", an irregular softening).
"""

from __future__ import annotations

from functools import cache

__all__ = ["diminutives", "full_names_for", "polish_name_forms", "vocative"]

# Names whose vocative the rules would get wrong.
_EXCEPTIONS: dict[str, str] = {
    "paweł": "pawle",
    "kacper": "kacprze",
    "aleksander": "aleksandrze",
    "ola": "olu",
    "ala": "alu",
    "ela": "elu",
    "ula": "ulu",
    "jola": "jolu",
    "tola": "tolu",
    "mario": "mario",
    "bóg": "boże",
    "ojciec": "ojcze",
    "chłopiec": "chłopcze",
}

# Everyday diminutives, the most usual first: used for familiar greetings ("Cześć Kasiu").
_DIMINUTIVES: dict[str, tuple[str, ...]] = {
    "tomasz": ("tomek", "tomuś"),
    "anna": ("ania", "anka", "anusia"),
    "katarzyna": ("kasia", "kaśka"),
    "małgorzata": ("gosia", "małgosia", "gośka"),
    "magdalena": ("magda", "madzia"),
    "aleksandra": ("ola", "olka"),
    "aleksander": ("olek", "alek"),
    "alicja": ("ala",),
    "elżbieta": ("ela", "elka"),
    "agnieszka": ("aga", "agusia"),
    "barbara": ("basia", "baśka"),
    "zofia": ("zosia",),
    "maria": ("marysia", "maryśka"),
    "joanna": ("asia", "joasia"),
    "jakub": ("kuba", "kubuś"),
    "krzysztof": ("krzysiek", "krzyś"),
    "wojciech": ("wojtek",),
    "bartłomiej": ("bartek",),
    "bartosz": ("bartek",),
    "piotr": ("piotrek",),
    "jan": ("janek", "jaś"),
    "stanisław": ("staś", "stasiek"),
    "andrzej": ("jędrek", "andrzejek"),
    "maciej": ("maciek",),
    "grzegorz": ("grzesiek", "grześ"),
    "józef": ("józek",),
    "franciszek": ("franek",),
    "antoni": ("antek", "tosiek"),
    "monika": ("monia",),
    "ewa": ("ewka", "ewunia"),
    "karolina": ("karola", "karolcia"),
    "natalia": ("natalka",),
    "weronika": ("wera", "werka"),
    "wiktoria": ("wiki", "wika"),
    "julia": ("julka", "jula"),
    "zuzanna": ("zuzia", "zuza"),
    "izabela": ("iza",),
    "jadwiga": ("jadzia",),
    "danuta": ("danusia", "danka"),
    "teresa": ("tereska",),
    "ryszard": ("rysiek", "rysio"),
    "zbigniew": ("zbyszek",),
    "kazimierz": ("kazik", "kazio"),
    "tadeusz": ("tadek",),
    "jerzy": ("jurek",),
    "henryk": ("heniek",),
    "władysław": ("władek",),
    "dariusz": ("darek",),
    "ireneusz": ("irek",),
    "mirosław": ("mirek",),
    "jarosław": ("jarek",),
    "radosław": ("radek",),
    "sławomir": ("sławek",),
    "przemysław": ("przemek",),
    "arkadiusz": ("arek",),
    "szymon": ("szymek",),
    "adam": ("adaś",),
    "emilia": ("emilka",),
    "gabriela": ("gabrysia", "gabi"),
    "hanna": ("hania",),
    "oliwia": ("oliwka",),
    "amelia": ("amelka",),
    "paulina": ("paula", "paulinka"),
    "krystyna": ("krysia",),
    "urszula": ("ula",),
    "jolanta": ("jola",),
    "wioletta": ("wiola",),
    "dominika": ("domi",),
    "mateusz": ("mati",),
    "michał": ("michałek", "misiek"),
    "marcin": ("marcinek",),
    "łukasz": ("łukaszek",),
}

# Hard final consonants: the vocative ending replaces them (Robert -> Robercie).
_HARD_ENDINGS: tuple[tuple[str, str], ...] = (
    ("st", "ście"),
    ("zd", "ździe"),
    ("sł", "śle"),
    ("t", "cie"),
    ("d", "dzie"),
    ("r", "rze"),
    ("ł", "le"),
    ("x", "ksie"),
)
_SOFT_TO_U: tuple[str, ...] = (
    "sz",
    "cz",
    "rz",
    "ż",
    "dż",
    "c",
    "dz",
    "j",
    "l",
    "k",
    "g",
    "ch",
    "h",
)
_SOFT_ACCENTED = {"ś": "siu", "ć": "ciu", "ź": "ziu", "ń": "niu"}
_PALATAL_BEFORE_EK = {"ci": "ć", "si": "ś", "zi": "ź", "ni": "ń"}


def _vocative_word(word: str) -> str:
    """The vocative of one lower-case name, by the regular endings."""
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    if len(word) < 2 or word[-1] in "eiyu" or word.endswith(("ska", "cka", "dzka")):
        return word  # adjectival surnames and names in -e/-i/-y/-u keep their form
    if word.endswith("a"):
        if word.endswith(("sia", "zia", "cia", "nia", "dzia")):
            return word[:-1] + "u"
        return word[:-1] + "o"
    if word.endswith("o"):
        return word[:-1] + "u" if word.endswith("io") else word
    if word.endswith("ek") and len(word) > 3:
        stem = word[:-2]
        for soft, accented in _PALATAL_BEFORE_EK.items():
            if stem.endswith(soft):
                return stem[: -len(soft)] + accented + "ku"
        return stem + "ku"
    if word[-1] in _SOFT_ACCENTED:
        return word[:-1] + _SOFT_ACCENTED[word[-1]]
    if word.endswith(_SOFT_TO_U):
        return word + "u"
    for ending, replacement in _HARD_ENDINGS:
        if word.endswith(ending):
            return word[: -len(ending)] + replacement
    if word[-1].isalpha():
        return word + "ie"
    return word


def _recase(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def vocative(name: str, *, familiar: bool = False) -> str:
    """``name`` in the Polish vocative, word by word, keeping its capitalisation.

    ``familiar`` first swaps a full first name for its usual diminutive, so "Tomasz" gives
    "Tomku" and "Katarzyna" gives "Kasiu"; without it "Tomaszu", "Katarzyno".
    """
    if not isinstance(name, str):
        return name
    out: list[str] = []
    for index, word in enumerate(name.split()):
        lower = word.lower()
        if familiar and index == 0 and _DIMINUTIVES.get(lower):
            lower = _DIMINUTIVES[lower][0]
        out.append(_recase(word, _vocative_word(lower)) if lower.isalpha() else word)
    return " ".join(out)


def diminutives(first_name: str) -> tuple[str, ...]:
    """The usual diminutives of a Polish first name (lower case), most common first."""
    return _DIMINUTIVES.get(first_name.lower(), ())


@cache
def _reverse_diminutives() -> dict[str, tuple[str, ...]]:
    reverse: dict[str, list[str]] = {}
    for full, forms in _DIMINUTIVES.items():
        for form in forms:
            reverse.setdefault(form, []).append(full)
    return {form: tuple(fulls) for form, fulls in reverse.items()}


def full_names_for(diminutive: str) -> tuple[str, ...]:
    """The full first names a diminutive stands for ("bartek" -> bartłomiej, bartosz)."""
    return _reverse_diminutives().get(diminutive.lower(), ())


@cache
def polish_name_forms(first_name: str) -> frozenset[str]:
    """Every lower-case form one might address this person by: the name, its diminutives,
    the full names a diminutive stands for, and the vocative of each."""
    base = first_name.lower().strip()
    if not base:
        return frozenset()
    names = {base, *diminutives(base)}
    for full in full_names_for(base):
        names.add(full)
        names.update(diminutives(full))
    return frozenset(names | {_vocative_word(n) for n in names})
