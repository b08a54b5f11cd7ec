"""Which charge outcomes are final, and whether a final outcome is unfounded or a conviction.

The mapping is written down here, once, because every rate of INDICATORS.md rests on it:

- unfounded (the prosecution ended without a conviction): archived, dismissed
  (sobreseimiento), indictment_null, acquitted, withdrawn (desistimiento), time_barred
  (prescripción), and conviction_overturned: a conviction revoked on appeal ends the charge
  without a conviction, the same result as an acquittal.
- conviction: convicted and every child of it (convicted_prison, _suspended, _fine,
  _disqualification), and plea: a terminación anticipada ends in a conviction judgment agreed
  with the prosecutor (NCPP art. 468), so it is a conviction, not an unfounded charge.
- ended (final, but neither unfounded nor a conviction): extinguished_death, the criminal
  action ended by the defendant's death. It counts among final outcomes (the denominators of
  the rates) and in neither numerator.
- not final (the charge is still pending): unknown, acquittal_overturned (a retrial was
  ordered), no outcome at all, and any code this table does not know.

A term added later to the outcome vocabulary inherits the class of its parent, so a new
"convicted_community_service" under "convicted" counts as a conviction without a code change.
"""

from __future__ import annotations

from collections.abc import Mapping

UNFOUNDED = "unfounded"
CONVICTION = "conviction"
PENDING = "pending"
ENDED = "ended"

OUTCOME_CLASS: dict[str, str] = {
    "archived": UNFOUNDED,
    "dismissed": UNFOUNDED,
    "indictment_null": UNFOUNDED,
    "acquitted": UNFOUNDED,
    "withdrawn": UNFOUNDED,
    "time_barred": UNFOUNDED,
    "conviction_overturned": UNFOUNDED,
    "convicted": CONVICTION,
    "convicted_prison": CONVICTION,
    "convicted_suspended": CONVICTION,
    "convicted_fine": CONVICTION,
    "convicted_disqualification": CONVICTION,
    "plea": CONVICTION,
    "extinguished_death": ENDED,
    "acquittal_overturned": PENDING,
    "unknown": PENDING,
}


def outcome_class(code: str | None, parents: Mapping[str, str | None] | None = None) -> str:
    """The class of an outcome code: "unfounded", "conviction", "ended" or "pending" (not final).

    Args:
        code: an outcome vocabulary code, or None when no outcome is recorded.
        parents: code -> parent code of the outcome vocabulary, for terms not in the table.
    """
    seen: set[str] = set()
    while code is not None and code not in seen:
        if code in OUTCOME_CLASS:
            return OUTCOME_CLASS[code]
        seen.add(code)
        code = (parents or {}).get(code)
    return PENDING


def is_final(code: str | None, parents: Mapping[str, str | None] | None = None) -> bool:
    """True when the outcome ends the charge (unfounded, conviction or ended)."""
    return outcome_class(code, parents) != PENDING
