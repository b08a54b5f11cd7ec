"""Fixed value sets that the code relies on (editable vocabularies live in vocabulary_term)."""

from __future__ import annotations

# Precision of a partial date: the stored date is the first day of the known period.
DATE_PRECISIONS = ("day", "month", "year", "unknown")
# Hearings may also know the time of day.
DATETIME_PRECISIONS = ("time", "day", "month", "year")

ACTOR_KINDS = ("person", "organization", "company", "public_body", "group")
CONFIDENTIALITY = ("public", "restricted", "confidential")
CASE_STATUSES = ("open", "closed", "unknown")
CHARGE_STATUSES = ("pending", "resolved", "unknown")
COURT_KINDS = ("court", "prosecutor_office")
USER_ROLES = ("admin", "editor", "viewer")
AUDIT_ACTIONS = ("create", "update", "delete", "login", "login_failed", "bulk_load")

# Which vocabulary (vocabulary_term.vocabulary) each coded column draws from.
VOCABULARIES = (
    "charge_type",
    "stage",
    "court_event",
    "outcome",
    "measure_kind",
    "hearing_type",
    "hearing_result",
    "postponement_reason",
    "complainant_category",
    "rights_defended",
    "defender_role",
    "mode_of_liability",
    "party_role",
    "case_type",
    "reliability",
)
