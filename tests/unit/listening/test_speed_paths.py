"""The shortcuts that make matching fast must not change what is matched.

Each shortcut (per-word fuzzy cache, depth-limited deletion probes, the ASCII word splitter,
cached camel-case pieces) is checked against the plain computation it replaces.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from mentiondesk.domain.profiles import BrandProfile
from mentiondesk.domain.workspaces import BrandIdentity, Workspace
from mentiondesk.listening.fuzzy import FuzzyIndex, HitCache
from mentiondesk.listening.matching import ListeningMatcher, ProfileMatcher
from mentiondesk.listening.normalise import word_runs
from mentiondesk.listening.variants import deletions, polish_stem
from tests.unit.listening.helpers import BIEDRONKA, OCADO, a_post

TERMS = ("biedronka", "ocado", "rossmann", "mediamarkt", "esselunga", "lidl", "jetblue")
PROFILE = BrandProfile(
    "mix",
    ("Biedronka", "Ocado", "Media Markt", "Esselunga"),
    products=("Rossmann", "JetBlue"),
    competitors=("Lidl", "Carrefour"),
)
WORDS = st.text(alphabet="abcdeiklmnorstuwyz", min_size=1, max_size=14)
# Text made of brand fragments, misspellings, camel case, accents and punctuation, so
# that the generated posts do reach the fuzzy index and the glued-word windows.
PIECES = st.sampled_from(
    (
        "Biedronka", "biedronce", "Bideronka", "Ocdao", "ocado", "OcadoFail", "Media",
        "Markt", "mediamarkt", "Rossman", "Rosmannie", "Esselunga", "all'Esselunga",
        "Lidl", "Carrefour", "Carefour", "JetBlue", "jet", "blue", "Żabka", "über",
        "the", "and", "#", "@", " ", ", ", ".", "-", "\u200b", "x", "1234",
    )
)  # fmt: skip
POSTS = st.lists(st.one_of(PIECES, WORDS), max_size=24).map(" ".join)


INDEX = FuzzyIndex(((t, i) for i, t in enumerate(TERMS)), stems=True)


def _brute_force(index: FuzzyIndex, word: str) -> set[tuple[int, bool, int]]:
    """(term id, stem, distance) of every key within budget, compared one by one."""
    found: set[tuple[int, bool, int]] = set()
    for stem, compared in ((False, word), (True, polish_stem(word))):
        if stem and compared == word and any(not s for _, s, _ in found):
            continue
        for bucket in index._buckets.values():
            for entry in bucket:
                if entry.stem is not stem:
                    continue
                distance = OSA.distance(compared, entry.key)
                if distance <= entry.budget:
                    found.add((entry.term_id, stem, distance))
    return found


@settings(max_examples=300, deadline=None)
@given(WORDS)
def test_the_depth_limited_probe_finds_what_comparing_every_key_finds(word: str) -> None:
    probed = {(h.key.term_id, h.key.stem, h.distance) for h in INDEX.lookup(word)}
    expected = {
        (term_id, stem, distance)
        for term_id, stem, distance in _brute_force(INDEX, word)
        if stem or not (distance == 0 or _name_plus_letters(word, TERMS[term_id]))
    }
    assert probed == expected


def _may_match_by_definition(index: FuzzyIndex, word: str) -> bool:
    """Some deletion of the word (of its stem) is a deletion of a full key (of a stem), the
    depth read off the keys themselves: no depth table, no head and tail prefilter."""
    for stem, compared in ((False, word), (True, polish_stem(word))):
        keys = {e for bucket in index._buckets.values() for e in bucket if e.stem is stem}
        if not keys or len(compared) > max(len(e.key) + e.budget for e in keys):
            continue
        length = len(compared)
        depths = [
            d for e in keys for d in range(e.budget + 1) if length >= len(e.key) - e.budget + d
        ]
        indexed = {d for e in keys for d in deletions(e.key, e.budget)}
        if depths and indexed & deletions(compared, max(depths)):
            return True
    return False


def _near(term: str, cuts: list[int], extra: str, ending: str) -> str:
    """A term with letters dropped, others added and a case ending: words near the keys."""
    word = term
    for cut in cuts:
        word = word[: cut % len(word)] + word[cut % len(word) + 1 :]
    middle = len(word) // 2
    return word[:middle] + extra + word[middle:] + ending


NEAR_WORDS = st.builds(
    _near,
    st.sampled_from(TERMS),
    st.lists(st.integers(0, 20), max_size=3),
    st.text(alphabet="aeknu", max_size=2),
    st.sampled_from(("", "a", "e", "u", "y", "ie", "ce", "em", "owi", "cie", "rze", "dzie")),
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(WORDS, NEAR_WORDS))
def test_may_match_answers_by_its_definition_whatever_its_shortcuts(word: str) -> None:
    assert INDEX.may_match(word) == _may_match_by_definition(INDEX, word)


def test_a_full_form_sharing_a_deletion_only_with_a_stem_may_not_match() -> None:
    assert "jetbu" in deletions(polish_stem("jetblue"), 1)  # "jetblu" less its "l"
    assert not INDEX.may_match("jetbu")
    assert INDEX.may_match("jetbluem")  # its stem "jetblu" is a stem key


def _name_plus_letters(word: str, key: str) -> bool:
    """What ``lookup`` refuses: the whole key followed by letters other than its last."""
    extra = word[len(key) :]
    return len(word) > len(key) and word.startswith(key) and extra != key[-1] * len(extra)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(POSTS, min_size=1, max_size=6))
def test_a_warm_cache_gives_the_same_mentions_as_a_fresh_matcher(texts: list[str]) -> None:
    warm = ProfileMatcher(PROFILE)
    tiny = ProfileMatcher(PROFILE, memo_limit=2)  # the scanner's memo starts over constantly
    tiny._hits = HitCache(2)  # and the hit cache rotates generations constantly
    python = ProfileMatcher(PROFILE, compiled=False)
    for _ in range(2):
        for text in texts:
            post = a_post(text)
            fresh = ProfileMatcher(PROFILE)
            expected = fresh.match(post), fresh.match_competitors(post)
            assert (warm.match(post), warm.match_competitors(post)) == expected
            assert (tiny.match(post), tiny.match_competitors(post)) == expected
            assert (python.match(post), python.match_competitors(post)) == expected


def test_a_word_glued_from_two_post_words_is_judged_the_same_whichever_post_came_first() -> None:
    profile = BrandProfile("us", ("US Airways",))
    texts = ["flying usairways today", "flying us airways today", "airways usairway"]
    expected = [ProfileMatcher(profile).match(a_post(t)) for t in texts]
    for order in (texts, texts[::-1]):
        shared = ProfileMatcher(profile)
        got = {t: shared.match(a_post(t)) for t in order}
        assert [got[t] for t in texts] == expected


def test_match_many_is_match_for_each_post_in_order() -> None:
    posts = [a_post(t) for t in ("Ocdao again", "nothing here", "@Ocado hi", "ocado!")]
    assert ProfileMatcher(OCADO).match_many(posts) == [
        ProfileMatcher(OCADO).match(p) for p in posts
    ]


def test_a_changed_profile_gets_a_new_matcher_and_a_new_cache() -> None:
    names = {"current": ("Ocado",)}

    def profile(workspace: Workspace) -> BrandProfile:
        return BrandProfile(workspace.slug, names["current"])

    workspace = Workspace(1, "brand", "Brand", BrandIdentity(names=("Ocado",)))
    matcher = ListeningMatcher(profiles=profile)
    assert matcher.match(workspace, a_post("Bideronka was closed")) == []  # cached as a miss
    names["current"] = ("Biedronka",)
    [mention] = matcher.match(workspace, a_post("Bideronka was closed"))
    assert mention.term == "Biedronka"


def test_the_hit_cache_rotates_and_promotes_words_still_in_use() -> None:
    cache = HitCache(2)
    for word in ("alpha", "beta", "gamma"):  # young generation full: alpha and beta become old
        cache.put(word, ())
    assert cache.get("alpha") == ()  # promoted into the young generation
    for word in ("w1", "w2"):  # one more rotation: alpha (promoted) ages, beta is dropped
        cache.put(word, ())
    assert cache.get("alpha") == ()
    assert cache.get("beta") is None
    assert cache.get("never") is None


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_the_ascii_word_splitter_finds_the_regexword_runs(text: str) -> None:
    assert word_runs(text) == re.findall(r"[^\W_]+", text)


def test_non_ascii_text_still_splits_into_letterword_runs() -> None:
    assert word_runs("żabka_i über—biedronka") == ["żabka", "i", "über", "biedronka"]


def test_a_profile_with_fuzzy_off_finds_only_exact_forms() -> None:
    profile = BrandProfile("b", BIEDRONKA.names, fuzzy=False)
    assert ProfileMatcher(profile).match(a_post("Bideronka and biedronka")) != []
    assert ProfileMatcher(profile).match(a_post("only Bideronka")) == []
