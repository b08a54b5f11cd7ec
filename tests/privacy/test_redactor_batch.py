"""Redactor.changes / many: a batch of texts scanned at once gives what each text redacted
alone gives (the exports redact a column of a batch this way)."""

from __future__ import annotations

import random

from tracker.i18n import set_language
from tracker.privacy import Redactor

PEOPLE = [
    {"name": "Zenóbia Quispicanchi Huamán", "pseudonym": "Defensora A",
     "confidentiality": "confidential", "aliases": ["La Zeno"], "id_number": "40000001"},
    {"name": "Abel Apaza Quispe", "pseudonym": "Defensor B", "confidentiality": "confidential"},
    {"name": "Rosa Oculta", "confidentiality": "restricted"},
]  # fmt: skip


def _redactor() -> Redactor:
    set_language("en")
    return Redactor(PEOPLE, ["Abel Apaza Rojas"])


def test_a_batch_is_redacted_as_each_text_alone() -> None:
    r = _redactor()
    texts = [
        "", None, 5, "nada que ver",
        "zenobia-quispicanchi dijo a Abel Apaza y a Abel Apaza Rojas",
        "Zen%C3%B3bia%20Quispicanchi", ["La Zeno", "x"], "x\x00la zeno",
        "la zeno, la zeno; LA ZENO", "DNI 40000001.", "rosa_oculta", "abc zenobia",
    ]  # fmt: skip
    assert r.many(texts) == [
        "", None, 5, "nada que ver",
        "Defensora A dijo a Defensor B y a Abel Apaza Rojas",
        "Defensora A", ["Defensora A", "x"], "x\x00Defensora A",
        "Defensora A, Defensora A; Defensora A", "DNI Defensora A.", "Name withheld",
        "abc zenobia",
    ]  # fmt: skip
    assert r.many(texts) == [r.value(text) for text in texts]
    # Only what changes, or may (anything but text, text with "%" or NUL), is reported.
    assert sorted(i for i, _ in r.changes(texts)) == [2, 4, 5, 6, 7, 8, 9, 10]


def test_random_batches_agree_with_one_text_at_a_time() -> None:
    r = _redactor()
    words = ["zenóbia", "QUISPICANCHI", "huaman", "la", "zeno", "abel", "apaza", "rojas",
             "quispe", "rosa", "oculta", "x", "%20", "-", "_", "Ñ", "\x00", ",", "4000", "0001"]  # fmt: skip
    rng = random.Random(7)
    for _ in range(2000):
        texts = [
            "".join(
                rng.choice([" ", "", "-"]) + rng.choice(words) for _ in range(rng.randint(0, 7))
            )
            for _ in range(rng.randint(0, 6))
        ]
        assert r.many(texts) == [r(text) for text in texts], texts


def test_nobody_withheld_changes_nothing() -> None:
    assert Redactor().changes(["Zenóbia Quispicanchi"]) == []
    assert Redactor().many(["Zenóbia Quispicanchi", None]) == ["Zenóbia Quispicanchi", None]
