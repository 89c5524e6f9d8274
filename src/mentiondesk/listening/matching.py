"""Decide whether, where and how a post mentions a brand, and say why.

A ``ProfileMatcher`` is compiled once per brand profile and reused for every post: one
Aho-Corasick pass over the folded text finds names, their Polish forms, handles, hashtags,
context and exclusion terms. The word scanner (``wordscan``, compiled) then settles each word
of the post against what it already knows, and only the few words that may be a misspelt
term reach the fuzzy index, whose answer is remembered per word, since the same words recur
across posts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from mentiondesk.domain.posts import InboundPost, Mention, MentionKind, PostKind
from mentiondesk.domain.profiles import BrandProfile, SavedQuery, profile_from_identity
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.listening.fuzzy import FuzzyHit, FuzzyIndex, HitCache, describe_edit
from mentiondesk.listening.lexicon import common_words
from mentiondesk.listening.normalise import (
    Normalised,
    camel_break,
    fold_term,
    glue_at,
    is_word_char,
    normalise,
)
from mentiondesk.listening.terms import Form, Role, Term, build_terms
from mentiondesk.listening.variants import italian_elision_before
from mentiondesk.listening.wordscan import COMPILED, MEMO_LIMIT, build_scanner

MAX_CHARS = 20_000  # longer text is matched on its first MAX_CHARS characters
MAX_FUZZY_WORDS = 512  # distinct words per post sent to the fuzzy index
_HIT_CACHE_LIMIT = 50_000  # words per cache generation (see ``HitCache``)
_STRENGTH = {MentionKind.DIRECT: 0, MentionKind.INDIRECT: 1, MentionKind.FUZZY: 2}
_BRAND_ROLES = (Role.NAME, Role.PRODUCT, Role.HASHTAG)
_LABELS = {Role.PRODUCT: "product", Role.COMPETITOR: "competitor", Role.HASHTAG: "hashtag"}
_HANDLE = re.compile(r"@\w+")


@dataclass(slots=True)
class _Found:
    start: int  # folded offsets
    end: int
    term: Term
    kind: MentionKind
    reason: str


class ProfileMatcher:
    """Everything needed to match one brand profile, built once and reused."""

    def __init__(
        self, profile: BrandProfile, *, compiled: bool = COMPILED, memo_limit: int = MEMO_LIMIT
    ) -> None:
        """``compiled`` picks the word scanner (see ``wordscan``); both match alike."""
        self.profile = profile
        table = build_terms(profile)
        self._terms = table.terms
        self._automaton = table.automaton
        self._fuzzy = FuzzyIndex(table.fuzzy_terms, stems="pl" in profile.languages)
        self._fuzzy_on = profile.fuzzy and len(self._fuzzy) > 0
        self._main_name = profile.names[0]
        self._polish = "pl" in profile.languages
        multi = (t.folded.split(" ") for t in self._terms if " " in t.folded)
        self._multi_words = frozenset(w for words in multi for w in words)
        # Exact forms are the automaton's; everyday words are never a misspelt brand. The
        # words of multi-word names are always reported, to be glued to their neighbours.
        self._scanner = build_scanner(
            self._fuzzy,
            skip=table.exact_words | common_words(profile.languages),
            report=self._multi_words,
            compiled=compiled,
            memo_limit=memo_limit,
        )
        self._hits = HitCache(_HIT_CACHE_LIMIT)

    def match(self, post: InboundPost) -> list[Mention]:
        """The brand's mentions in ``post`` (competitors are left out), in text order."""
        return self._match(post, competitors=False)

    def match_many(self, posts: Sequence[InboundPost]) -> list[list[Mention]]:
        """``match`` for each post, in order. Posts of a batch share the per-word fuzzy
        cache, so a word recurring across the batch is looked up once."""
        match = self._match
        return [match(post, competitors=False) for post in posts]

    def match_competitors(self, post: InboundPost) -> list[Mention]:
        """Mentions of the profile's competitors, e.g. for share-of-voice."""
        return self._match(post, competitors=True)

    def _match(self, post: InboundPost, *, competitors: bool) -> list[Mention]:
        norm = normalise(post.text[:MAX_CHARS])
        found: list[_Found] = []
        context: list[Term] = []
        excluded = False
        for last, forms in self._automaton.iter(norm.text):
            for form in forms:
                role = form.term.role
                start = last + 1 - form.length
                if role is Role.CONTEXT:
                    if _starts_word(norm, start):
                        context.append(form.term)
                elif role is Role.EXCLUDE:
                    excluded = excluded or _starts_word(norm, start)
                elif (role is Role.COMPETITOR) is competitors:
                    hit = self._exact(norm, start, last + 1, form)
                    if hit is not None:
                        found.append(hit)
        if self._fuzzy_on:
            found.extend(self._fuzzy_found(norm, competitors))
        if not found and not post.to_brand:
            return []  # most posts: nothing to decide, no mention to build
        if competitors:
            return _to_mentions(norm, _without_overlaps(found), self.profile.key + ":competitor")
        return self._decide(post, norm, found, context, excluded)

    def _exact(self, norm: Normalised, start: int, end: int, form: Form) -> _Found | None:
        term = form.term
        if term.role is Role.HANDLE:
            before = norm.text[start - 1] if start > 0 else " "
            after = norm.text[end] if end < len(norm.text) else " "
            if is_word_char(before) or is_word_char(after) or after == "_":
                return None
            return _Found(start, end, term, MentionKind.DIRECT, f"tagged {term.text}")
        glue = glue_at(norm, start, end)
        if glue is None:
            return None
        o_start, o_end = norm.span(start, end)
        written = norm.original[o_start:o_end]
        kind = MentionKind.INDIRECT
        label = _LABELS.get(term.role, "name")
        if form.derivation:
            reason = f"{form.derivation} of {label} '{term.text}'"
        elif written.casefold() == term.text.casefold() or term.role is Role.HASHTAG:
            reason = f"{label} '{term.text}' named without @"
        elif self._polish and _nasal_ending(written, term.text):
            reason = f"inflected Polish form (instrumental or accusative) of {label} '{term.text}'"
        else:
            kind = MentionKind.FUZZY
            reason = f"fuzzy: '{written}' is '{term.text}' {_spelling_difference(written, term)}"
        if glue == "camel":
            reason += f", glued to the next word in '{_word_around(norm, start, end)}'"
        elif glue == "hashtag":
            reason += f", glued inside '#{_word_around(norm, start, end)}'"
        if start > 0 and norm.text[start - 1] == "@":
            handle = _HANDLE.match(norm.original, norm.span(start - 1, start)[0])
            inside = handle.group(0) if handle else "@"
            reason = f"{label} '{term.text}' inside the handle {inside}"
        # An elision ends with an apostrophe right before the name; test that first.
        elided = None
        if glue == "word" and start > 0 and norm.text[start - 1] == "'":
            elided = italian_elision_before(norm.text, start)
        if elided:
            reason = f"Italian elided form ({elided}) of {label} '{term.text}'"
        return _Found(start, end, term, kind, reason)

    def _fuzzy_found(self, norm: Normalised, competitors: bool) -> list[_Found]:
        reported, glued = self._scanner.scan(norm.text, norm.original)
        if not reported and not glued:
            return []  # most posts: every word settled without leaving the scanner
        windows = {window: (first, second) for window, first, second in glued}
        words = {*reported, *windows}
        found: list[_Found] = []
        for word in sorted(words)[:MAX_FUZZY_WORDS] if len(words) > MAX_FUZZY_WORDS else words:
            hit = self._fuzzy_best(word, word in windows)
            if hit is None:
                continue
            term = self._terms[hit.key.term_id]
            if (term.role is Role.COMPETITOR) is not competitors:
                continue
            found.extend(self._locate_fuzzy(norm, hit, term, windows.get(word)))
        return found

    def _fuzzy_best(self, word: str, window: bool) -> FuzzyHit | None:
        """The closest term to ``word``. The index's answer is cached per word, before the
        check that depends on whether the word was two glued post words, so the answer
        never depends on which post the word was first seen in."""
        hits = self._hits.get(word)
        if hits is None:
            hits = tuple(self._fuzzy.lookup(word))
            self._hits.put(word, hits)
            self._scanner.remember(word, bool(hits))
        for hit in hits:
            if window or not self._drops_a_word(hit):
                return hit
        return None

    def _drops_a_word(self, hit: FuzzyHit) -> bool:
        """One word read as a multi-word name must not be short of a whole word of it
        ("Airways" is not "US Airways")."""
        term = self._terms[hit.key.term_id]
        return " " in term.folded and len(hit.compared) < len(hit.key.key) - 1

    def _locate_fuzzy(
        self, norm: Normalised, hit: FuzzyHit, term: Term, window: tuple[str, str] | None
    ) -> list[_Found]:
        located: list[_Found] = []
        if hit.key.stem and hit.distance == 0:
            kind, how = MentionKind.INDIRECT, f"inflected Polish form of '{term.text}'"
        elif hit.key.stem:
            edit = describe_edit(hit.compared, hit.key.key, hit.distance)
            kind, how = MentionKind.FUZZY, f"an inflected form {edit} from '{term.text}'"
        else:
            edit = describe_edit(hit.compared, hit.key.key, hit.distance)
            kind, how = MentionKind.FUZZY, f"{edit} from '{term.text}'"
        for position, end in _occurrences(norm.text, hit.word, window):
            if len(located) >= 16:
                break
            if glue_at(norm, position, end) is not None:
                o_start, o_end = norm.span(position, end)
                written = norm.original[o_start:o_end]
                reason = how if kind is MentionKind.INDIRECT else f"fuzzy: '{written}' is {how}"
                located.append(_Found(position, end, term, kind, reason))
        return located

    def _decide(
        self,
        post: InboundPost,
        norm: Normalised,
        found: list[_Found],
        context: list[Term],
        excluded: bool,
    ) -> list[Mention]:
        addressed = post.to_brand or any(f.kind is MentionKind.DIRECT for f in found)
        kept: list[_Found] = []
        for item in found:
            if item.kind is not MentionKind.DIRECT:
                if excluded:
                    continue
                if item.term.common:
                    if addressed:
                        item.reason += "; a common word, counted because the brand is addressed"
                    elif context:
                        item.reason += (
                            f"; a common word, counted because of context term '{context[0].text}'"
                        )
                    else:
                        continue
            kept.append(item)
        mentions = _to_mentions(norm, _without_overlaps(kept), self.profile.key)
        if post.to_brand:
            mentions.insert(0, self._addressed(post))
        return mentions

    def _addressed(self, post: InboundPost) -> Mention:
        where = {
            PostKind.DM: "a private message to the brand's page",
            PostKind.COMMENT: "a comment under the brand's own post",
        }.get(post.kind, "a reply to the brand's own post")
        return Mention(MentionKind.DIRECT, self._main_name, 0, 0, "", self.profile.key, where)


def _occurrences(text: str, word: str, window: tuple[str, str] | None) -> Iterator[tuple[int, int]]:
    """Where ``word`` (or the two words of ``window``) stands in folded ``text``."""
    if window is not None:
        pattern = re.escape(window[0]) + r"[\W_]{1,3}" + re.escape(window[1])
        for found in re.finditer(r"(?<![^\W_])" + pattern + r"(?![^\W_])", text):
            yield found.span()
        return
    position = text.find(word)
    while position >= 0:
        yield position, position + len(word)
        position = text.find(word, position + len(word))


def _starts_word(norm: Normalised, start: int) -> bool:
    return start == 0 or not is_word_char(norm.text[start - 1]) or camel_break(norm, start)


def _nasal_ending(written: str, term: str) -> bool:
    """ "Biedronką" folds to "biedronka": the same letters, declined by a final ą or ę."""
    return (
        len(written) == len(term)
        and written[-1].lower() in "ąę"
        and written[:-1].casefold() == term[:-1].casefold()
    )


def _spelling_difference(written: str, term: Term) -> str:
    if any(ord(c) > 0x24F for c in written if c.isalpha()):
        return "written with look-alike characters"
    if not written.isprintable() or any(unicodedata.category(c) == "Cf" for c in written):
        return "with invisible characters inside"
    if written.isascii() and not term.text.isascii():
        return "without its diacritics"
    return "with different diacritics"


def _word_around(norm: Normalised, start: int, end: int) -> str:
    first, last = start, end
    while first > 0 and is_word_char(norm.text[first - 1]) and start - first < 64:
        first -= 1
    while last < len(norm.text) and is_word_char(norm.text[last]) and last - end < 64:
        last += 1
    o_first, o_last = norm.span(first, last)
    return norm.original[o_first:o_last]


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    """Keep the strongest, then longest, of overlapping finds."""
    ordered = sorted(found, key=lambda f: (_STRENGTH[f.kind], f.start - f.end, f.start))
    kept: list[_Found] = []
    for item in ordered:
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    kept.sort(key=lambda f: f.start)
    return kept


def _to_mentions(norm: Normalised, found: list[_Found], source: str) -> list[Mention]:
    mentions = []
    for item in found:
        start, end = norm.span(item.start, item.end)
        mentions.append(
            Mention(
                item.kind,
                item.term.text,
                start,
                end,
                norm.original[start:end],
                source,
                item.reason,
            )
        )
    return mentions


ProfileSource = Callable[[Workspace], BrandProfile]
QuerySource = Callable[[Workspace], Sequence[SavedQuery]]


def identity_profile(workspace: Workspace) -> BrandProfile:
    """The default profile: the workspace's brand identity, keyed by its slug."""
    return profile_from_identity(workspace.brand, key=workspace.slug)


class ListeningMatcher:
    """The ``BrandMatcher`` the pipeline uses: one compiled matcher per workspace profile,
    rebuilt only when the profile changes, plus the workspace's saved queries."""

    def __init__(
        self,
        profiles: ProfileSource = identity_profile,
        queries: QuerySource | None = None,
        max_workspaces: int = 256,
    ) -> None:
        self._profiles = profiles
        self._queries = queries
        self._max = max_workspaces
        self._compiled: dict[int, tuple[tuple[object, ...], ProfileMatcher]] = {}

    def matcher_for(self, workspace: Workspace) -> ProfileMatcher:
        profile = self._profiles(workspace)
        fingerprint = profile.fingerprint()
        cached = self._compiled.get(workspace.id)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        if len(self._compiled) >= self._max:
            self._compiled.pop(next(iter(self._compiled)))
        matcher = ProfileMatcher(profile)
        self._compiled[workspace.id] = (fingerprint, matcher)
        return matcher

    def match_many(self, workspace: Workspace, posts: Sequence[InboundPost]) -> list[list[Mention]]:
        """``match`` for a batch of one workspace's posts (a Jetstream batch): the profile's
        compiled matcher runs over the batch at once, then the saved queries."""
        found = self.matcher_for(workspace).match_many(posts)
        if self._queries is not None:
            from mentiondesk.listening.queries import compile_query

            for saved in self._queries(workspace):
                if saved.enabled:
                    query = compile_query(saved.text)
                    for post, mentions in zip(posts, found, strict=True):
                        mentions.extend(query.match(post, source=saved.name))
        return found

    def match(self, workspace: Workspace, post: InboundPost) -> list[Mention]:
        mentions = self.matcher_for(workspace).match(post)
        if self._queries is not None:
            from mentiondesk.listening.queries import compile_query

            for saved in self._queries(workspace):
                if saved.enabled:
                    mentions.extend(compile_query(saved.text).match(post, source=saved.name))
        return mentions


__all__ = ["ListeningMatcher", "ProfileMatcher", "fold_term", "identity_profile"]
