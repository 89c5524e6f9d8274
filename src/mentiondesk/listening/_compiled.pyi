from collections.abc import Iterable, Sequence

class WordScanner:
    def __init__(
        self,
        full_deletions: Iterable[str],
        stem_deletions: Iterable[str],
        full_depths: Sequence[int],
        longest_full: int,
        stem_depths: Sequence[int],
        longest_stem: int,
        stem_rules: Sequence[tuple[str, str]],
        min_stem: int,
        skip: Iterable[str],
        report: Iterable[str],
        *,
        min_len: int,
        max_len: int,
        max_probes: int,
        memo_limit: int,
        seed: int,
    ) -> None: ...
    def scan(self, text: str, original: str) -> tuple[list[str], list[tuple[str, str, str]]]: ...
    def remember(self, word: str, report: bool) -> None: ...
    def forget(self) -> None: ...
    def __len__(self) -> int: ...

class TextFolder:
    def __init__(self, table: dict[int, str], slow: str) -> None: ...
    def fold(self, lowered: str) -> str | None: ...
