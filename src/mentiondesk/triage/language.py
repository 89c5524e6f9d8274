"""Pick each post's language: the fast model when it is sure, lingua when it is not.

The shipped model knows Polish, Italian and English from character n-grams and costs almost
nothing per post. Lingua is far more general but costs about 190 µs a post, so it only sees the
posts the fast model is unsure about or whose language the fast model does not know, and it is
restricted to the workspace's own languages so that it cannot answer with one nobody reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["CONFIDENT", "LanguagePicker", "lingua_detector"]

CONFIDENT = 0.9


class Detector(Protocol):
    def detect(self, text: str) -> str | None:
        """An ISO 639-1 code, or ``None`` when unsure."""
        ...


class _Lingua:
    def __init__(self, codes: frozenset[str]) -> None:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(c)) for c in sorted(codes)]
        self._detector = LanguageDetectorBuilder.from_languages(*languages).build()

    def detect(self, text: str) -> str | None:
        found = self._detector.detect_language_of(text)
        return None if found is None else found.iso_code_639_1.name.lower()


@lru_cache(maxsize=16)
def lingua_detector(codes: frozenset[str]) -> Detector:
    """One lingua detector per set of languages, built on first use (it takes a second)."""
    return _Lingua(codes)


def _known_to_lingua(code: str) -> bool:
    from lingua import IsoCode639_1

    try:
        IsoCode639_1.from_str(code)
    except ValueError:
        return False
    return True


class LanguagePicker:
    """Chooses among the workspace's languages. ``detector_for`` is the slow fallback."""

    def __init__(self, detector_for: Callable[[frozenset[str]], Detector] = lingua_detector):
        self._detector_for = detector_for

    def pick(
        self,
        texts: Sequence[str],
        probs: npt.NDArray[np.float64],
        model_languages: Sequence[str],
        languages: Sequence[str],
        hints: Sequence[str | None],
    ) -> list[str]:
        allowed = [code.lower() for code in languages] or list(model_languages)
        best = probs.argmax(axis=1) if len(texts) else np.zeros(0, dtype=np.int64)
        out: list[str] = []
        for i, text in enumerate(texts):
            code = model_languages[best[i]]
            if code in allowed and probs[i, best[i]] >= CONFIDENT:
                out.append(code)
            else:
                out.append(self._fallback(text, allowed, hints[i]))
        return out

    def _fallback(self, text: str, allowed: list[str], hint: str | None) -> str:
        default = hint.lower() if hint and hint.lower() in allowed else allowed[0]
        if len(allowed) == 1 or not any(ch.isalpha() for ch in text):
            return default
        codes = frozenset(c for c in allowed if _known_to_lingua(c))
        if len(codes) < 2:
            return default
        found = self._detector_for(codes).detect(text)
        return found if found in allowed else default
