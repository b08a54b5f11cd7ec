"""The course of a demo case in court: stage changes, hearings and restrictive measures.

:meth:`Proceedings.proceed` simulates a case from its complaint up to REFERENCE_DATE (court
events, the periods of each stage and when each defendant's part ends, with what outcome); the
hearings of each period, the measures against each defendant and the rows for them follow.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from . import names
from .people import People
from .plan import CONVICTIONS, DISTRICTS, HORIZON, POSTPONED, REASONS, REF


def _weekday(o: int) -> int:
    """Move a weekend day to the next Monday (courts sit on working days)."""
    wd = (o - 1) % 7  # date.fromordinal(1) is a Monday
    return o + 7 - wd if wd >= 5 else o


def _day(o: int | None) -> date | None:
    """The date of day number ``o``, None for no day."""
    return date.fromordinal(o) if o else None


class Proceedings(People):
    """The simulation of a case's proceedings and the hearings and measures it leads to."""

    def proceed(self, opened: int, k: int, district: str) -> dict[str, Any]:
        """Simulate the proceedings up to REFERENCE_DATE: court events, stage periods (for the
        hearings) and, per defendant index, the final (outcome, day) once resolved."""
        rng = self.rng
        t, stage = opened, "complaint"
        events: list[tuple[str, str | None, str, int, str | None]] = [
            ("stage_change", None, stage, t, None)
        ]
        periods: list[list[Any]] = []  # [stage, start, end, district, ended_in_judgment]
        out: dict[int, tuple[str, int]] = {}
        active, indicted, verdict = list(range(k)), set(), dict[int, str]()
        archived = False  # an archive is an event at the current stage, not a stage
        formalized: int | None = None
        conviction_rate = rng.choice((0.25, 0.4, 0.55))

        def move(to: str, event: str = "stage_change") -> None:
            nonlocal stage
            events.append((event, stage, to, t, None))
            stage = to

        def resolve(ds: list[int], code: str | None = None) -> None:
            for d in ds:
                out[d] = ("unknown" if rng.random() < 0.03 else code or verdict[d], t)
                active.remove(d)

        while active:
            end = t + rng.randint(*names.STAGES[stage][:2])
            periods.append([stage, t, end, district, False])
            if end > REF:
                break
            t = end
            if rng.random() < 0.03 and (new := rng.choice(DISTRICTS)) != district:
                district = new  # shortly before the next decision, never on the same day
                events.append(("transferred", stage, stage, t - rng.randint(1, 14), new))
            if t - opened > 6 * 365 and rng.random() < 0.12:
                resolve(list(active), "time_barred")
            elif stage == "complaint":
                move("preliminary_investigation")
            elif stage == "preliminary_investigation":
                if rng.random() < 0.4:
                    move(stage, "archived")
                    archived = True
                    back = t + rng.randint(180, 1000)
                    if rng.random() < 0.25 and back <= REF:
                        t = back
                        move(stage, "reopened")
                        archived = False
                    else:
                        resolve(list(active), "archived")
                else:
                    move("preparatory_investigation")
                    formalized = formalized or t
            elif stage == "preparatory_investigation":
                move("intermediate")
                indicted.update(active)
            elif stage == "intermediate":
                if rng.random() < 0.06:
                    move("preparatory_investigation", "indictment_null")
                    continue
                for d in list(active):
                    if (r := rng.random()) < 0.38:
                        resolve(
                            [d], "dismissed" if r < 0.33 else "withdrawn" if r < 0.36 else "plea"
                        )
                if active:
                    move("trial")
            elif stage == "trial":
                periods[-1][4] = True
                move("first_instance_judgment", "judgment")
                verdict = {
                    d: self.pick(CONVICTIONS) if rng.random() < conviction_rate else "acquitted"
                    for d in active
                }
            elif stage == "first_instance_judgment":
                if rng.random() < 0.55:
                    move("appeal")
                else:
                    resolve(list(active))
            elif stage == "appeal":
                periods[-1][4] = True
                if rng.random() < 0.1:
                    move("trial", "retrial_ordered")
                    continue
                for d, v in verdict.items():
                    if v != "acquitted" and rng.random() < 0.3:
                        verdict[d] = "conviction_overturned"
                if rng.random() < 0.15:
                    move("cassation")
                else:
                    resolve(list(active))
            else:  # cassation
                periods[-1][4] = True
                resolve(list(active))
        if not active and not archived:
            move("closed")
        return {
            "events": events,
            "periods": periods,
            "out": out,
            "indicted": indicted,
            "formalized": formalized,
            "district": district,
        }

    def hearings(self, case_id: uuid.UUID, period: list[Any], trial_court: str, k: int) -> None:
        """The hearings of one stage period, with postponement chains; those after
        REFERENCE_DATE are scheduled only (no result yet)."""
        rng = self.rng
        stage, a, b, district, judged = period
        _, _, court_key, kind, lo, hi = names.STAGES[stage]
        if kind is None:
            return
        # Hearings are before a judge, also while the prosecutor investigates.
        court_key = {"trial": trial_court, "prosecutor": "investigation"}.get(court_key, court_key)
        court = self.court[district, court_key]
        n = rng.randint(lo, hi) + (k if stage == "trial" else 0)
        limit = b if b <= REF else HORIZON
        for x in sorted(rng.randint(a, max(a, min(b, HORIZON) - 1)) for _ in range(n)):
            for _ in range(6):
                if (x := _weekday(x)) >= limit:
                    break
                if x > REF:
                    self.hearing(case_id, x, court, kind, None)
                    break
                nxt = _weekday(x + rng.randint(14, 75))
                if rng.random() < POSTPONED and nxt < limit:
                    self.hearing(case_id, x, court, kind, "postponed", nxt)
                    x = nxt
                    continue
                r = rng.random()  # a few past hearings have no result recorded: overdue
                self.hearing(
                    case_id,
                    x,
                    court,
                    kind,
                    None if r < 0.03 else "cancelled" if r < 0.06 else "held",
                )
                break
        if judged:
            self.hearing(case_id, b, court, names.FINAL_HEARING[stage], "judgment")

    def hearing(
        self,
        case_id: uuid.UUID,
        o: int,
        court: uuid.UUID,
        kind: str,
        result: str | None,
        nxt: int | None = None,
    ) -> None:
        """One hearing on day ``o``, mostly at a drawn time; ``nxt`` is the day it moved to."""
        rng = self.rng
        timed = rng.random() < 0.9
        at = time(rng.randint(8, 16), rng.choice((0, 30))) if timed else time()
        self.out.add(
            "hearing",
            case_id=case_id,
            court_id=court,
            hearing_type=kind,
            result=result,
            scheduled_at=datetime.combine(date.fromordinal(o), at),
            scheduled_precision="time" if timed else "day",
            next_date=_day(nxt),
            postponement_reason=self.pick(REASONS) if result == "postponed" else None,
        )

    def measures(
        self,
        case_id: uuid.UUID,
        defendant: uuid.UUID,
        opened: int,
        floor: int,
        until: int,
        mass: bool,
        court: uuid.UUID,
    ) -> None:
        """Restrictive measures ordered soon after the case opened (arrests after a protest)."""
        rng = self.rng
        o = opened + rng.randint(1, 90)
        if o > until:
            return
        orders: list[tuple[str, int | None]] = []
        if rng.random() < (0.12 if mass else 0.05):
            orders.append(("pretrial_detention", rng.choice((9, 18, 36))))
            self.hearing(case_id, o, court, "detention", "held")
        elif rng.random() < 0.3:
            orders.append(("restricted_appearance", rng.choice((None, 12, 18, 24))))
        if rng.random() < 0.1:
            orders.append(("travel_ban", rng.choice((4, 6, 8, 12))))
        for kind, months in orders:
            ordered, prec = self.precise(o, floor, 0.05, 0.0)
            ends = o + int(months * 30.44) if months else None
            annulled = (
                o + rng.randint(20, months * 30 - 1)
                if months and kind == "pretrial_detention" and rng.random() < 0.3
                else None
            )
            annulled = annulled if annulled and annulled <= REF else None
            self.out.add(
                "measure",
                case_id=case_id,
                defendant_id=defendant,
                kind=kind,
                ordered_on=ordered,
                ordered_on_precision=prec,
                duration_months=months,
                ends_on=_day(ends),
                ends_on_precision="day" if ends else "unknown",
                annulled_on=_day(annulled),
                annulled_on_precision="day" if annulled else "unknown",
            )
