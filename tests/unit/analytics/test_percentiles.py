"""Report percentiles: the partial sort gives what ``statistics.quantiles`` gives."""

from __future__ import annotations

import random
import statistics

import numpy as np
import pytest

from mentiondesk.analytics.business import percentile, percentiles


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11, 1000, 4321])
def test_median_and_p90_at_once_equal_the_standard_library(n: int) -> None:
    rng = random.Random(n)
    values = [rng.expovariate(1 / 5400) for _ in range(n)]
    if n == 1:
        want = [values[0], values[0]]
    else:
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        want = [cuts[49], cuts[89]]
    got = percentiles(np.array(values), (50, 90))
    assert got == pytest.approx(want, abs=1e-9)
    assert percentile(np.array(values), 50) == pytest.approx(statistics.median(values), abs=1e-9)


def test_no_values_have_no_percentiles() -> None:
    assert percentiles(np.empty(0), (50, 90)) == [None, None]
    assert percentile(np.empty(0), 90) is None
