"""The small numeric helpers of training and tuning, on hand-made inputs."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from mentiondesk.triage.train import _nb_ratio, _per_corpus_weights
from mentiondesk.triage.tuning import _best_offset, _binary_f1


def test_per_corpus_weights_balance_each_corpus_and_keep_its_size() -> None:
    y = np.array([True, False, False, False, True, False])
    sources = ["a", "a", "a", "a", "b", "b"]
    w = _per_corpus_weights(y, sources)
    assert np.isclose(w[y & (np.asarray(sources) == "a")].sum(), 2.0)
    assert np.isclose(w[~y & (np.asarray(sources) == "a")].sum(), 2.0)
    assert np.isclose(w[np.asarray(sources) == "b"].sum(), 2.0)


def test_a_corpus_with_one_class_keeps_unit_weights() -> None:
    w = _per_corpus_weights(np.array([False, False, True, False]), ["x", "x", "y", "y"])
    assert list(w[:2]) == [1.0, 1.0]


def test_nb_ratio_is_positive_for_buckets_seen_only_with_the_positive_class() -> None:
    x = csr_matrix(np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]))
    r = _nb_ratio(x, np.array([True, True, False]))
    assert r[0] > 0 > r[1]
    assert abs(r[2]) < abs(r[0])


def test_the_best_offset_prefers_the_smallest_shift_among_ties() -> None:
    assert _best_offset(lambda o: 1.0 if -1.0 <= o <= 0.5 else 0.0) == 0.0
    assert _best_offset(lambda o: -abs(o - 1.0)) == 1.0


def test_binary_f1_of_the_positive_class_and_macro() -> None:
    raw = np.array([1.0, -1.0, 1.0, -1.0])
    gold = np.array([True, True, False, False])
    assert _binary_f1(raw, gold, macro=False) == 0.5
    assert _binary_f1(raw, gold, macro=True) == 0.5
