"""The privacy canary's data and its search: confidential people whose real names, partial
forms, aliases, ID numbers and URL slugs are written into every free-text field of every
record kind, and a search of any output for any of them.

The free-text fields are read from the tables themselves (SQLModel metadata), so a column
added later is filled, and searched for, without a change here. Left out are only the columns
that cannot hold typed text: codes checked against a vocabulary or a fixed list (read from
the record kinds' services), date precisions, ids, and the identity of a person on their own
record.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, String, Text, TypeDecorator, select, update
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from tracker import db, revision
from tracker import services as sv
from tracker.exports.rows import TABLES
from tracker.permissions import Principal

ZENOBIA = {
    "name": "Zenobia Quispicanchi Huamán",
    "aliases": ["La Zeno"],
    "id_number": "40123456",
    "pseudonym": "Defensora Andina",
}
TEOFILO = {
    "name": "Teófilo Ñahui Ccorimanya",
    "aliases": ["Tayta Teo"],
    "id_number": "41987654",
    "pseudonym": "Defensor del Sur",
}
ROSALIA = {"name": "Rosalía Pumacahua Quispe", "pseudonym": "Persona R"}  # restricted

# Every way the people are written in the fixture's free text: full names, first name and
# first surname, other case, no accents, aliases, ID numbers, and URL slugs.
FORMS = (
    "Zenobia Quispicanchi Huamán",
    "ZENOBIA QUISPICANCHI",
    "zenobia quispicanchi huaman",
    "La Zeno",
    "DNI 40123456",
    "Teófilo Ñahui Ccorimanya",
    "teofilo nahui",
    "TEÓFILO ÑAHUI",
    "Tayta Teo",
    "41987654",
    "Rosalía Pumacahua Quispe",
    "rosalia pumacahua",
)
SLUGS = (
    "https://noticias.example/pe/zenobia-quispicanchi",
    "https://radio.example/audio/teofilo_nahui_ccorimanya.mp3",
    "https://buscar.example/?q=Zenobia+Quispicanchi",
    "https://web.example/Te%C3%B3filo%20%C3%91ahui",
    "https://web.example/Rosalia%20Pumacahua",
)
# What must never be found in an output for a viewer (folded: no accents, no case, any
# separator). None of them is part of a pseudonym or of any seeded record.
NEEDLES = (
    "zenobia",
    "quispicanchi",
    "la zeno",
    "40123456",
    "teofilo",
    "nahui",
    "ccorimanya",
    "tayta teo",
    "41987654",
    "rosalia",
    "pumacahua",
)

# Columns holding no typed text, beyond those the services declare coded.
_NOT_TEXT = frozenset({"country", "confidentiality", "table_name"})
# A person's identity on their own record (the redaction works from these).
_IDENTITY = frozenset({"name", "aliases", "id_number", "pseudonym"})
_SHORTEST = 20  # a column shorter than this holds a code, never a sentence


def free_text_columns() -> dict[str, list[str]]:
    """table -> the columns a person can type a name into, from the metadata."""
    out: dict[str, list[str]] = {}
    for table in TABLES:
        if table == "vocabulary_term":
            continue  # the administrators' labels of codes, not records about people
        spec = sv.SERVICES[table].spec
        coded = {*spec.vocab, *spec.choices, *_NOT_TEXT}
        columns = []
        for column in SQLModel.metadata.tables[table].columns:
            kind = column.type
            if isinstance(kind, TypeDecorator):
                kind = kind.impl_instance  # SQLModel's AutoString
            if not isinstance(kind, String | Text | JSON) or column.name in coded:
                continue
            if column.name.endswith("_precision") or column.foreign_keys:
                continue
            length = getattr(kind, "length", None)
            if length is not None and length < _SHORTEST:
                continue
            columns.append(column.name)
        out[table] = columns
    return out


class _Texts:
    """The fixture's texts, in turn, so every form and every slug is used somewhere."""

    def __init__(self) -> None:
        self.n = 0

    def next(self, limit: int | None, column: str) -> str:
        form, slug = FORMS[self.n % len(FORMS)], SLUGS[self.n % len(SLUGS)]
        self.n += 1
        if column in ("url", "file_path"):
            text = slug
        elif column in ("key", "case_number", "id_number"):
            text = form
        else:
            text = f"Según {form}: ver {slug} ({FORMS[(self.n + 5) % len(FORMS)]})"
        return text if limit is None or len(text) <= limit else form[:limit]


def build(engine: Engine) -> dict[str, uuid.UUID]:
    """The canary's records on a seeded database; returns their ids by role.

    Made through the services (valid codes, links), then every free-text column of every
    record made is overwritten with names in some form.
    """
    codes = _first_codes(engine)
    with db.unit_of_work(engine, Principal("canary", "admin")) as s:
        zen = sv.actors.create(
            s,
            {**ZENOBIA, "kind": "person", "is_defender": True, "confidentiality": "confidential"},
        )
        teo = sv.actors.create(
            s,
            {**TEOFILO, "kind": "person", "is_defender": True, "confidentiality": "confidential"},
        )
        ros = sv.actors.create(
            s, {**ROSALIA, "kind": "person", "is_defender": True, "confidentiality": "restricted"}
        )
        org = sv.actors.create(s, {"kind": "organization", "name": "Ronda Campesina Canaria"})
        firm = sv.actors.create(
            s,
            {
                "kind": "company",
                "name": "Minera Canaria SAC",
                "complainant_category": codes["complainant_category"],
            },
        )
        court = sv.courts.create(s, {"name": "Juzgado Canario", "kind": "court"})
        case = sv.cases.create(
            s, {"title": "Caso Canario", "opened_on": "2019-05", "court_id": court}
        )
        hidden = sv.cases.create(
            s, {"title": "Caso Oculto", "opened_on": "2019-06", "confidentiality": "restricted"}
        )
        parties = [
            sv.parties.create(s, {"case_id": case, "actor_id": who, "role": role})
            for who, role in (
                (zen, "defendant"),
                (teo, "defendant"),
                (ros, "defendant"),
                (firm, "complainant"),
            )
        ]
        sv.parties.create(s, {"case_id": hidden, "actor_id": zen, "role": "defendant"})
        charges = [
            sv.charges.create(
                s,
                {
                    "case_id": case,
                    "defendant_id": who,
                    "charge_type": codes["charge_type"],
                    "filed_on": "2019-05-20",
                },
            )
            for who in (zen, teo)
        ]
        links = [
            sv.charge_complainants.create(s, {"charge_id": c, "actor_id": firm}) for c in charges
        ]
        measure = sv.measures.create(
            s,
            {
                "case_id": case,
                "defendant_id": zen,
                "kind": codes["measure_kind"],
                "ordered_on": "2019-06-01",
            },
        )
        hearing = sv.hearings.create(
            s,
            {
                "case_id": case,
                "scheduled_at": "2030-01-15T10:00",
                "hearing_type": codes["hearing_type"],
                "court_id": court,
            },
        )
        event = sv.stage_changes.create(
            s, {"case_id": case, "event": codes["court_event"], "on_date": "2019-07-01"}
        )
        membership = sv.memberships.create(s, {"member_id": zen, "organization_id": org})
        source = sv.sources.create(s, {"title": "Nota Canaria"})
        citations = [
            sv.citations.create(s, {"source_id": source, "table_name": table, "row_id": row})
            for table, row in (
                ("court_case", case),
                ("charge", charges[0]),
                ("actor", zen),
                ("hearing", hearing),
                ("membership", membership),
            )
        ]
    made: dict[str, list[uuid.UUID]] = {
        "actor": [org, firm],  # people's own identities stay theirs; see _IDENTITY
        "court": [court],
        "court_case": [case, hidden],
        "case_party": parties,
        "charge": charges,
        "charge_complainant": links,
        "measure": [measure],
        "hearing": [hearing],
        "stage_change": [event],
        "membership": [membership],
        "source": [source],
        "citation": citations,
    }
    _write_names(engine, made, [zen, teo, ros])
    return {
        "zenobia": zen,
        "teofilo": teo,
        "rosalia": ros,
        "org": org,
        "firm": firm,
        "court": court,
        "case": case,
        "hidden_case": hidden,
        "source": source,
    }


def _first_codes(engine: Engine) -> dict[str, str]:
    from tracker.models import VocabularyTerm

    wanted = (
        "complainant_category",
        "charge_type",
        "measure_kind",
        "hearing_type",
        "court_event",
    )
    out: dict[str, str] = {}
    with engine.connect() as conn:
        for vocabulary, code in conn.execute(
            select(VocabularyTerm.vocabulary, VocabularyTerm.code)
            .where(VocabularyTerm.vocabulary.in_(wanted), VocabularyTerm.parent_code.is_(None))
            .order_by(VocabularyTerm.sort_order, VocabularyTerm.code)
        ):
            out.setdefault(vocabulary, code)
    return out


def _write_names(engine: Engine, made: dict[str, list[uuid.UUID]], people: list[uuid.UUID]) -> None:
    """Every free-text column of every record made: names in some form."""
    texts = _Texts()
    columns = free_text_columns()
    with engine.begin() as conn:
        for table_name, ids in made.items():
            table = SQLModel.metadata.tables[table_name]
            for row_id in ids:
                values: dict[str, Any] = {}
                for name in columns[table_name]:
                    column = table.c[name]
                    if isinstance(column.type, JSON):
                        values[name] = [texts.next(None, name), texts.next(None, name)]
                    else:
                        values[name] = texts.next(_length(column), name)
                if values:
                    conn.execute(update(table).where(table.c.id == row_id).values(**values))
        # The people's own free text (descriptions): never shown for the confidential ones.
        actor = SQLModel.metadata.tables["actor"]
        for row_id in people:
            person = {
                n: texts.next(_length(actor.c[n]), n)
                for n in columns["actor"]
                if n not in _IDENTITY and not isinstance(actor.c[n].type, JSON)
            }
            conn.execute(update(actor).where(actor.c.id == row_id).values(**person))
        revision.bump(conn, privacy=True)


def _length(column: Any) -> int | None:
    kind = getattr(column.type, "impl_instance", column.type)  # SQLModel's AutoString
    return getattr(kind, "length", None)


# --- the search ----------------------------------------------------------------------------

_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_SEPARATORS = re.compile(r"(?:[\s\-_+.·,]|%20|%2[dD]|%5[fF])+")


def fold(text: str) -> str:
    """Text without accents, case or separator differences (the search's own, so a fault of
    tracker.privacy.fold cannot hide a leak)."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return _SEPARATORS.sub(" ", plain.casefold())


def readable(data: bytes | str, name: str = "") -> str:
    """The text of an output, whatever it is: ZIP members (XLSX, the report pack) unpacked,
    PDF text extracted, JSON and XML escapes undone."""
    if isinstance(data, str):
        text = data
    elif data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(readable(zf.read(n), n) for n in zf.namelist())
    elif data[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        return ""  # pixels; the same chart's SVG and CSV carry its text
    else:
        text = data.decode("utf-8", errors="replace")
    text = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(text)


def leaks(outputs: Iterable[tuple[str, bytes | str]]) -> list[tuple[str, str, str]]:
    """(output, needle, the text around it) of every variant found in ``outputs``."""
    found = []
    for label, data in outputs:
        text = fold(readable(data, label))
        for needle in NEEDLES:
            at = text.find(needle)
            if at >= 0:
                found.append((label, needle, text[max(0, at - 60) : at + 60]))
    return found


def as_json(obj: Any) -> str:
    """Plain data as text, non-ASCII kept."""
    return json.dumps(obj, ensure_ascii=False, default=str)


def summary(found: list[tuple[str, str, str]]) -> str:
    """One line per output with a leak: its needles and the text around the first."""
    by_output: dict[str, list[tuple[str, str]]] = {}
    for label, needle, context in found:
        by_output.setdefault(label, []).append((needle, context))
    return "\n".join(
        f"{label}: {sorted({n for n, _ in hits})} …{hits[0][1]}…"
        for label, hits in sorted(by_output.items())
    )
