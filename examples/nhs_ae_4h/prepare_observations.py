"""Write observations.csv (stratkit's format) from data/ae_attendances.csv (NHS England's).

Every row of the source is one provider's department type in one month:
``period,org_code,type,attendances,breaches,admissions``. The 4-hour standard
counts the patients seen within 4 hours, ``attendances - breaches``, over
``attendances``. This script writes, per provider and month:

* outcome ``1.1.1`` (type 1 departments): the type 1 row's counts;
* outcome ``1.1.2`` (all department types): the counts summed over the
  provider's types 1, 2 and other.

Values are left blank: both measures are ``from_counts``, so stratkit derives
each value from its numerator and denominator. Nothing else is changed or
added, and running the script again gives the same bytes (a test checks that
the committed file is up to date)::

    python examples/nhs_ae_4h/prepare_observations.py
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "data" / "ae_attendances.csv"
TARGET = HERE / "observations.csv"

HEADER = (
    "# source: NHS England, A&E Attendances and Emergency Admissions, April 2016 to March 2019 "
    "(Open Government Licence v3.0), via the NHS-R Community's NHSRdatasets (CC0); "
    "see data/README.md\n"
    "# Derived from data/ae_attendances.csv by prepare_observations.py: "
    "numerator = attendances - breaches, denominator = attendances.\n"
)


def rows() -> list[tuple[str, str, str, int, int]]:
    """``(outcome_id, org, month, within_4h, attendances)``, sorted."""
    type1: dict[tuple[str, str], tuple[int, int]] = {}
    every: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    with SOURCE.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            key = (r["org_code"], r["period"][:7])
            att, breaches = int(r["attendances"]), int(r["breaches"])
            if r["type"] == "1":
                type1[key] = (att - breaches, att)
            every[key][0] += att - breaches
            every[key][1] += att
    out = [("1.1.1", org, month, n, d) for (org, month), (n, d) in type1.items()]
    out += [("1.1.2", org, month, n, d) for (org, month), (n, d) in every.items()]
    return sorted(out)


def render() -> str:
    """The text of observations.csv."""
    buf = io.StringIO()
    buf.write(HEADER)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["outcome_id", "org", "period", "value", "unit", "numerator", "denominator"])
    for oid, org, month, n, d in rows():
        w.writerow([oid, org, month, "", "%", n, d])
    return buf.getvalue()


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
