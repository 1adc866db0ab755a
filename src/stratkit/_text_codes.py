"""Whether pandas may give codes to texts: only when it is worth it, and when it keeps
apart texts that differ only after a NUL character.

pandas before 3.1 hashes and compares object-dtype text as C strings, which end at
the first NUL (pandas-dev/pandas#34551): ``"a\\x00b"`` and ``"a\\x00c"`` would share a
code, merging two outcomes or two notes. Rather than trust a version number, the
behaviour is tried once, on those two texts; where pandas fails it, a dict gives
the codes (slower on a long column, and right).
"""

from __future__ import annotations

import functools
import sys
from typing import Any

__all__ = ["pandas_for_text"]


def pandas_for_text(n: int, worth_from: int) -> Any | None:
    """pandas, to factorise ``n`` texts, or ``None`` to use a dict.

    ``None`` when pandas is not installed, when it would have to be imported
    for fewer than ``worth_from`` texts (its import costs about 0.3 s), or
    when it merges texts that differ after a NUL.
    """
    if n < worth_from and "pandas" not in sys.modules:
        return None
    try:
        import pandas as pd
    except ImportError:
        return None
    return pd if _keeps_texts_apart_after_nul() else None


@functools.cache
def _keeps_texts_apart_after_nul() -> bool:
    import numpy as np
    import pandas as pd

    codes = pd.factorize(np.array(["a\x00b", "a\x00c"], dtype=object))[0]
    return bool(codes[0] != codes[1])
