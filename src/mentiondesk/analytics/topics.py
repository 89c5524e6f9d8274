"""Which complaint topic a post is about: a multilingual cue lexicon first, then keyphrases.

Why a lexicon: a product team asks "what do people complain about, and is it growing", and
wants to read why a post landed where it did. Each post is folded and split into words as the
listening matcher does, and every word is compared in its own form and stripped of a Polish
case ending (``listening.variants.polish_stem``), so declined and conjugated words meet their
cue. The topic named by the most cues wins (see ``topic_lexicon`` for ties).

What the lexicon misses is grouped by keyphrase: the content words of unmatched posts (stop
words out, Polish endings stripped) are counted over the whole batch, and each post joins the
group of its most shared word, so a new complaint ("self check-in kiosk") surfaces as
"other: kiosk" instead of vanishing into "other".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from mentiondesk.analytics.topic_lexicon import TOPICS
from mentiondesk.listening.normalise import fold_term, normalise, word_runs
from mentiondesk.listening.variants import polish_stem

__all__ = [
    "OTHER",
    "OTHER_PREFIX",
    "TopicMatch",
    "TopicMatcher",
    "assign_topics",
    "topic_label",
]

OTHER = "other"
OTHER_PREFIX = "other: "
MAX_GAP = 2  # words allowed between the words of a several-word cue
PREFIX_KEY = 4
_KEY_LENGTHS = (3, 4)  # prefixes are keyed by their first four letters (or three)
_SEEN_LIMIT = 200_000  # words whose cues are remembered
MIN_GROUP = 2  # a keyphrase group needs at least this many posts,
MIN_GROUP_SHARE = 0.005  # and in a big batch at least this share of it (the long tail is noise)


@dataclass(frozen=True, slots=True)
class TopicMatch:
    topic: str  # a lexicon key, "other: <keyphrase>" or "other"
    cues: tuple[str, ...]  # the cues that matched (empty for keyphrase groups)


@dataclass(frozen=True, slots=True)
class _Cue:
    topic: int
    text: str
    tokens: tuple[str, ...]


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    return polish_stem(word)


def _token_matches(token: str, word: str, stem: str) -> bool:
    if token.endswith("*"):
        prefix = token[:-1]
        return word.startswith(prefix) or stem.startswith(prefix)
    return word == token or stem == _stem(token)


class TopicMatcher:
    """Built once from the lexicon; :meth:`match` is a few dictionary look-ups per word."""

    def __init__(self) -> None:
        self._labels = {t.key: t.label for t in TOPICS}
        self._keys = [t.key for t in TOPICS]
        self._languages = sorted({lang for t in TOPICS for lang in t.cues})
        self._exact: dict[str, dict[str, list[_Cue]]] = {}
        self._prefix: dict[str, dict[str, list[_Cue]]] = {}
        self._seen: dict[tuple[str, str], tuple[_Cue, ...]] = {}
        for lang in self._languages:
            exact = self._exact.setdefault(lang, {})
            prefix = self._prefix.setdefault(lang, {})
            for index, topic in enumerate(TOPICS):
                for text in topic.cues.get(lang, ()):
                    tokens = tuple(text.split())
                    cue = _Cue(index, text, tokens)
                    first = tokens[0]
                    if first.endswith("*"):
                        prefix.setdefault(first[:-1][:PREFIX_KEY], []).append(cue)
                    else:
                        for key in {first, polish_stem(first)}:
                            exact.setdefault(key, []).append(cue)

    def _languages_for(self, language: str | None) -> list[str]:
        """A post's own language and English (borrowed words); every language if unknown."""
        if language in self._exact:
            return sorted({language, "en"} & set(self._languages))
        return self._languages

    def words(self, text: str) -> list[str]:
        return word_runs(normalise(text).text)

    def match(self, text: str, language: str | None = None) -> TopicMatch | None:
        """The lexicon topic of ``text``, or None when no cue names one."""
        words = self.words(text)
        stems = [_stem(w) for w in words]
        hits: dict[int, set[str]] = {}
        for lang in self._languages_for(language):
            for i, word in enumerate(words):
                for cue in self._starting(lang, word):
                    if len(cue.tokens) == 1 or self._rest(cue, words, stems, i):
                        hits.setdefault(cue.topic, set()).add(cue.text)
        if not hits:
            return None
        best = min(hits, key=lambda t: (-len(hits[t]), t))
        return TopicMatch(self._keys[best], tuple(sorted(hits[best])))

    def _starting(self, lang: str, word: str) -> tuple[_Cue, ...]:
        """The cues of ``lang`` whose first word is ``word``; words recur, so it is kept."""
        key = (lang, word)
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) > _SEEN_LIMIT:
                self._seen.clear()
            stem = _stem(word)
            exact, prefix = self._exact[lang], self._prefix[lang]
            candidates = [*exact.get(word, ()), *exact.get(stem, ())]
            for k in {word[:n] for n in _KEY_LENGTHS} | {stem[:n] for n in _KEY_LENGTHS}:
                candidates += prefix.get(k, ())
            found = tuple(
                dict.fromkeys(c for c in candidates if _token_matches(c.tokens[0], word, stem))
            )
            self._seen[key] = found
        return found

    @staticmethod
    def _rest(cue: _Cue, words: list[str], stems: list[str], at: int) -> bool:
        position = at
        for token in cue.tokens[1:]:
            window = range(position + 1, min(len(words), position + 2 + MAX_GAP))
            found = next((j for j in window if _token_matches(token, words[j], stems[j])), None)
            if found is None:
                return False
            position = found
        return True

    def label(self, topic: str) -> str:
        return self._labels.get(topic, topic)


@cache
def _matcher() -> TopicMatcher:
    return TopicMatcher()


def topic_label(topic: str) -> str:
    """A person's name for a topic key ("lost_baggage" -> "Lost or damaged baggage")."""
    return _matcher().label(topic)


def assign_topics(
    texts: Sequence[str],
    languages: Sequence[str | None] | None = None,
    *,
    ignore: Iterable[str] = (),
) -> list[TopicMatch]:
    """A topic for every text: its lexicon topic, else the keyphrase group it shares with
    other unmatched texts of the batch, else plain "other". ``languages``: each text's
    language code where known; ``ignore``: words that are never a keyphrase, and the start
    of words that are not either (the brand's names: "skylot" also drops "skylotpl")."""
    matcher = _matcher()
    langs = list(languages) if languages is not None else [None] * len(texts)
    found: list[TopicMatch | None] = [
        matcher.match(t, lang) for t, lang in zip(texts, langs, strict=True)
    ]
    brand = tuple(w for w in (fold_term(i).replace(" ", "") for i in ignore) if len(w) >= 3)
    keywords: dict[int, list[str]] = {}
    surface: dict[str, Counter[str]] = {}
    for i, text in enumerate(texts):
        if found[i] is not None:
            continue
        stems = []
        for word in matcher.words(_LINKS_AND_HANDLES.sub(" ", text)):
            if len(word) < 4 or word.isdigit() or word in _stop_words() or word.startswith(brand):
                continue
            stem = _stem(word)
            stems.append(stem)
            surface.setdefault(stem, Counter())[word] += 1
        keywords[i] = list(dict.fromkeys(stems))
    df = Counter(s for stems in keywords.values() for s in stems)
    least = max(MIN_GROUP, round(MIN_GROUP_SHARE * len(texts)))
    out: list[TopicMatch] = []
    for i, match in enumerate(found):
        if match is not None:
            out.append(match)
            continue
        shared = [s for s in keywords.get(i, []) if df[s] >= least]
        if not shared:
            out.append(TopicMatch(OTHER, ()))
            continue
        best = max(shared, key=lambda s: (df[s], s))
        out.append(TopicMatch(OTHER_PREFIX + surface[best].most_common(1)[0][0], ()))
    return out


_LINKS_AND_HANDLES = re.compile(r"https?://\S+|www\.\S+|@[\w.@-]+")


@cache
def _stop_words() -> frozenset[str]:
    """Function words and complaint boilerplate of PL, IT, EN: never a keyphrase."""
    return frozenset(_STOP.split())


_STOP = """
about after again also always anyone because been before being cannot could does doing done
each even every from have having here into just know like make many more most much need never
only other over please really said same should since some still such than that their them then
there these they thing think this those through today very want was were what when where which
while will with would your yours yesterday week weeks days hours time thanks thank guys help
terrible awful worst horrible ridiculous again seriously people someone nothing anything going
jest jestem jestes byl byla bylo byly beda bedzie przez tego jego jej nich oraz ktory ktora
ktore ktorzy dlaczego czemu kiedy gdzie jeszcze juz tylko bardzo mnie mam macie mamy moje moja
moj moim tutaj teraz wczoraj dzisiaj dzis znowu znow caly cala cale nawet takze tez sobie sie
ponad jakis jakie jaki jaka zeby bylem prosze pomocy dzieki dziekuje serio masakra skandal
porazka zenada naprawde wiecie wasz wasza wasze waszej waszego wam was czekam tydzien tygodnia
dni godziny godzin dalej ciagle
sono siete siamo della delle dello degli questo questa questi quello quella come anche ancora
sempre perche quando dove ogni molto tutto tutti tutta niente nulla fatto fare avete abbiamo
hanno essere stato stata stati oggi ieri dopo prima grazie aiuto vergogna assurdo pessimo
pessima davvero qualcuno nessuno vostro vostra vostri vostre giorni giorno settimana settimane
ore sempre ancora volta senza samo zero euro back every from board alla dalla nella sulla
della chce chcecie problem problemy problemi shit fuck cazzo kurwa just really today ciekawe
bene altro dobre dobry dobra sort
"""
