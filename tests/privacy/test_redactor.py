"""The one redactor of free text (tracker.privacy.Redactor): every written form of a withheld
person, and nothing else."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from tracker.name_patterns import PublicHolders, fold_all, name_variants
from tracker.privacy import Redactor, fold

PEOPLE = [
    {
        "name": "Zenobia Quispicanchi Huamán",
        "aliases": ["La Zeno"],
        "id_number": "40123456",
        "pseudonym": "Defensora Andina",
        "confidentiality": "confidential",
    },
    {
        "name": "Rosa María de la Cruz Quispe",
        "aliases": [],
        "id_number": None,
        "pseudonym": "Defensora B",
        "confidentiality": "confidential",
    },
    {
        "name": "Rosalía Pumacahua Quispe",
        "aliases": [],
        "id_number": None,
        "pseudonym": "Ignored",
        "confidentiality": "restricted",
    },
]
redact = Redactor(PEOPLE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Proceso contra Zenobia Quispicanchi Huamán", "Proceso contra Defensora Andina"),
        ("PROCESO CONTRA ZENOBIA QUISPICANCHI HUAMAN", "PROCESO CONTRA Defensora Andina"),
        ("zenobia quispicanchi declaró", "Defensora Andina declaró"),
        ("Zenóbia Quíspicanchi", "Defensora Andina"),
        ("DNI 40123456.", "DNI Defensora Andina."),
        ("dijo la zeno", "dijo Defensora Andina"),
        (
            "https://n.example/pe/zenobia-quispicanchi-2021",
            "https://n.example/pe/Defensora Andina-2021",
        ),
        (
            "https://n.example/zenobia_quispicanchi_huaman.pdf",
            "https://n.example/Defensora Andina.pdf",
        ),
        (
            "https://n.example/?q=Zenobia+Quispicanchi&p=2",
            "https://n.example/?q=Defensora Andina&p=2",
        ),
        ("https://n.example/Zenobia%20Quispicanchi", "https://n.example/Defensora Andina"),
        ("https://n.example/Zen%C3%B3bia%20Quispicanchi", "https://n.example/Defensora Andina"),
        # Encoded twice: decoded once, the separators are still "%20", "%2D", "%5F".
        ("https://n.example/Zenobia%2520Quispicanchi", "https://n.example/Defensora Andina"),
        ("https://n.example/Zenobia%252DQuispicanchi", "https://n.example/Defensora Andina"),
        ("https://n.example/zenobia%255fquispicanchi", "https://n.example/Defensora Andina"),
        ("x%2520Zenobia%2520Quispicanchi%2520y", "x%20Defensora Andina%20y"),
        ("Zenobia%2520%2520Quispicanchi%25200", "Defensora Andina%200"),
        ("Rosa de la Cruz y Rosa María de la Cruz Quispe", "Defensora B y Defensora B"),
        ("a Rosalía Pumacahua", "a Name withheld"),
        # Not a form of anyone: a lone surname, a longer word, another Rosa.
        ("la familia Quispicanchi", "la familia Quispicanchi"),
        ("Zenobiaquispicanchi", "Zenobiaquispicanchi"),
        ("Rosa Quispe", "Rosa Quispe"),
        ("", ""),
    ],
)
def test_every_written_form_is_replaced(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_name_variants_follow_spanish_naming() -> None:
    assert name_variants("Zenobia Quispicanchi Huamán") == [
        "Zenobia Quispicanchi",
        "Zenobia Huamán",
        "Quispicanchi Huamán",
    ]
    assert name_variants("Rosa María de la Cruz Quispe") == [
        "Rosa de la Cruz",
        "Rosa María de la Cruz",
        "Rosa de la Cruz Quispe",
        "de la Cruz Quispe",
    ]
    assert name_variants("Ana Ccori") == []
    assert fold("Zenóbia-QUISPE_x%20y") == "zenobia quispe x y"


def test_containers_frames_and_graphs() -> None:
    assert redact.value({"t": ["La Zeno", ("40123456", 3)], "n": None}) == {
        "t": ["Defensora Andina", ("Defensora Andina", 3)],
        "n": None,
    }
    frame = redact.frame(pd.DataFrame({"Zenobia Quispicanchi": ["la zeno"], "n": [1]}))
    assert frame.to_dict("list") == {"Defensora Andina": ["Defensora Andina"], "n": [1]}
    g = nx.Graph(title="Red de Zenobia Quispicanchi")
    g.add_node("c1", label="Caso Zenobia Quispicanchi")
    g.add_edge("c1", "a1", cases=["Caso La Zeno"])
    redact.graph(g)
    assert g.graph["title"] == "Red de Defensora Andina"
    assert g.nodes["c1"]["label"] == "Caso Defensora Andina"
    assert g.edges["c1", "a1"]["cases"] == ["Caso Defensora Andina"]


def test_two_people_sharing_a_form_are_both_withheld() -> None:
    shared = Redactor(
        [
            {"name": "Ana Ccori Mamani", "pseudonym": "A", "confidentiality": "confidential"},
            {"name": "Ana Ccori Quispe", "pseudonym": "B", "confidentiality": "confidential"},
        ]
    )
    assert shared("Ana Ccori") == "Name withheld"
    assert shared("Ana Ccori Quispe") == "B"


def test_no_people_changes_nothing() -> None:
    empty = Redactor()
    assert not empty
    assert empty("Zenobia Quispicanchi") == "Zenobia Quispicanchi"
    assert empty.find("Zenobia Quispicanchi") == []
    assert redact.find("Caso de la Zeno") == [("la Zeno", "Defensora Andina")]


def test_a_public_persons_whole_name_is_not_taken_for_a_withheld_one() -> None:
    """A partial form of a withheld name inside a public person's whole name is left alone;
    the withheld forms themselves, and a public name holding one whole, are still replaced."""
    keep = Redactor(
        [
            *PEOPLE,
            {
                "name": "Abel Apaza Quispe",
                "pseudonym": "Defensor 9",
                "confidentiality": "confidential",
            },
        ],
        ["Abel Apaza Rojas", "Según Zenobia Quispicanchi Huamán (DNI 40123456)"],
    )
    assert keep("Caso Abel Apaza Rojas y otros") == "Caso Abel Apaza Rojas y otros"
    assert keep("Abel Apaza declaró") == "Defensor 9 declaró"
    assert keep("Según Zenobia Quispicanchi Huamán (DNI 40123456)") == (
        "Según Defensora Andina (DNI Defensora Andina)"
    )


def test_a_public_name_is_kept_alone_or_in_long_text_in_any_order() -> None:
    """The public name alone (a label) is answered from the names as a set, in text from the
    holders of the form; either may come first, and a long text is never a name."""
    people = [
        {"name": "Abel Apaza Quispe", "pseudonym": "Defensor 9", "confidentiality": "confidential"}
    ]
    public = ["Abel Apaza Rojas", "Comité Abel Apaza Quispe"]
    long_text = "Nota. " * 40 + "Abel Apaza Rojas, Abel Apaza y el Comité Abel Apaza Quispe"
    long_redacted = "Nota. " * 40 + "Abel Apaza Rojas, Defensor 9 y el Comité Defensor 9"
    for order in ([long_text, "Abel Apaza Rojas"], ["Abel Apaza Rojas", long_text]):
        redact = Redactor(people, public)
        out = [redact(text) for text in order]
        assert out == [long_redacted if t == long_text else "Abel Apaza Rojas" for t in order]
        assert redact("Abel Apaza") == "Defensor 9"
        assert redact("Comité Abel Apaza Quispe") == "Comité Defensor 9"
        assert redact(" " * 200 + "Abel Apaza Rojas") == " " * 200 + "Abel Apaza Rojas"
        assert redact.many(["Abel Apaza Rojas", "Abel Apaza"]) == ["Abel Apaza Rojas", "Defensor 9"]


def test_public_holders_are_the_public_names_holding_a_partial_form_as_a_run_of_words() -> None:
    """tracker.name_patterns.PublicHolders, worked out per form when first asked, gives what
    every public name's runs of words give: whole words side by side, folded, and never a
    name that holds a withheld person's whole form."""
    holders = PublicHolders(
        [
            "Abel Apaza Rojas",
            "ABEL APAZA-ROJAS",  # the same name folded: one holder
            "Abel Mamani Apaza",  # both words, not side by side
            "Comité Abel Apaza Quispe",  # holds the withheld whole name
            "Ana Rojas",
        ],
        full={"abel apaza quispe"},
        partial={"abel apaza", "apaza rojas", "ana", "o'neil apaza"},
    )
    assert holders.get("abel apaza") == {"abel apaza rojas"}  # not "abel mamani apaza"
    assert holders.get("apaza rojas") == {"abel apaza rojas"}
    assert holders.get("ana") == {"ana rojas"}  # a form of one word: every name looked at
    assert holders.get("o'neil apaza") is None  # no run of words holds an apostrophe
    assert holders.get("abel apaza quispe") is None  # not a partial form
    assert PublicHolders([], set(), {"abel apaza"}).get("abel apaza") is None


def test_a_name_is_its_own_holder_when_written_alone() -> None:
    holders = PublicHolders(
        ["Abel Apaza Rojas", "Comité Abel Apaza Quispe"],
        full={"abel apaza quispe"},
        partial={"abel apaza"},
    )
    assert holders.holds_whole("abel apaza rojas", "abel apaza") is True
    assert holders.holds_whole("comite abel apaza quispe", "abel apaza") is False  # holds a whole
    assert holders.holds_whole("abel apaza rojas y otros", "abel apaza") is False  # not a name
    assert holders.holds_whole("abel  apaza rojas", "abel apaza") is False  # not spaced so


@pytest.mark.parametrize(
    "texts",
    [
        [],
        ["Zenóbia-QUISPE", "  -Ana_María%20de la CRUZ.  ", "", "e\u0301xito", "\u0301a", "ÆSIR ß"],
        ["nul\x00inside", "Rosa"],
    ],
)
def test_fold_all_folds_each_text_as_fold_does(texts: list[str]) -> None:
    assert fold_all(texts) == [fold(text) for text in texts]


def test_callers_at_once_share_one_build(
    vocab_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Threads asking for the same redactor while it is built (the command line builds it
    beside the indicators' statement) get the one built, not one each; a write that could
    change who is withheld makes it build again."""
    from tracker import privacy, revision

    with vocab_engine.begin() as conn:
        revision.bump(conn)
    built: list[int] = []
    made = privacy._made

    def slow_made(bind: Any) -> Redactor:
        built.append(1)
        time.sleep(0.3)  # long enough for every thread to be waiting
        return made(bind)

    monkeypatch.setattr(privacy, "_made", slow_made)
    with ThreadPoolExecutor(4) as pool:
        found = list(
            pool.map(lambda _: privacy.redactor(vocab_engine, show_confidential=False), range(4))
        )
    assert len(built) == 1
    assert all(r is found[0] for r in found)
    assert privacy.redactor(vocab_engine, show_confidential=False) is found[0]
    with vocab_engine.begin() as conn:
        revision.bump(conn)
    privacy.redactor(vocab_engine, show_confidential=False)
    assert len(built) == 2


def test_the_redactor_made_beside_a_statement_speaks_the_callers_language(
    vocab_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """privacy.redactor_beside makes the redactor on another thread, in the caller's
    language ("name withheld" is written in it), and gives the one privacy.redactor keeps."""
    from tracker import i18n, privacy, revision

    with vocab_engine.begin() as conn:
        revision.bump(conn)
    person = {"name": "Zenobia Quispicanchi Huamán", "aliases": None, "id_number": None,
              "pseudonym": None, "confidentiality": "restricted"}  # fmt: skip
    monkeypatch.setattr(privacy, "withheld_people", lambda bind: [person])
    monkeypatch.setattr(privacy, "public_people", lambda bind, people: [])
    i18n.set_language("es")
    try:
        with privacy.redactor_beside(vocab_engine, show_confidential=False) as made:
            redact = made()
        assert redact("Caso Zenobia Quispicanchi") == "Caso " + i18n.t("privacy.name_withheld")
        assert i18n.t("privacy.name_withheld") != i18n.t("privacy.name_withheld", lang="en")
        assert privacy.redactor(vocab_engine, show_confidential=False) is redact
    finally:
        i18n.set_language("en")
    with privacy.redactor_beside(vocab_engine, show_confidential=True) as made:
        assert made() is privacy.NO_REDACTION
