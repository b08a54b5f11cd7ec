"""Time of the one redactor (tracker.privacy.Redactor) on many texts, against str.replace.

``python -m benchmarks.bench_redact [--strings 100000] [--people 200]`` prints the time of
redacting N free-text strings (a quarter of them holding a withheld name in some written
form) with a redactor of P withheld people, and the ratio against a raw baseline: one
``str.replace`` of each full name (which finds no accent, case, partial or slug form).
"""

from __future__ import annotations

import argparse
import random
import time

from tracker.privacy import Redactor

_GIVEN = ["Zenobia", "Rosa", "María", "Juan", "Teófilo", "Ñusta", "Agustín", "Elena"]
_SURNAMES = ["Quispicanchi", "Huamán", "Mamani", "Condori", "Pérez", "Ccori", "Yupanqui"]


def _people(n: int, rng: random.Random) -> list[dict[str, object]]:
    return [
        {
            "name": f"{rng.choice(_GIVEN)}{i} {rng.choice(_SURNAMES)}{i} {rng.choice(_SURNAMES)}",
            "aliases": [f"alias{i}"],
            "id_number": f"{40000000 + i}",
            "pseudonym": f"Defender {i}",
            "confidentiality": "confidential",
        }
        for i in range(n)
    ]


def _texts(n: int, people: list[dict[str, object]], rng: random.Random) -> list[str]:
    filler = "El juzgado reprogramó la audiencia por inasistencia del fiscal adjunto"
    out = []
    for i in range(n):
        if i % 4 == 0:
            name = str(rng.choice(people)["name"]).upper().replace(" ", "-")
            out.append(f"{filler} https://noticias.pe/{name.lower()} {i}")
        else:
            out.append(f"{filler} número {i}, caso de {rng.choice(_SURNAMES)}")
    return out


def main() -> None:
    """Print the timing of the redactor and of the baseline."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--strings", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(42)
    people = _people(args.people, rng)
    texts = _texts(args.strings, people, rng)
    start = time.perf_counter()
    redact = Redactor(people)
    built = time.perf_counter() - start
    start = time.perf_counter()
    out = [redact(text) for text in texts]
    took = time.perf_counter() - start
    names = [(str(p["name"]), str(p["pseudonym"])) for p in people]
    start = time.perf_counter()
    for text in texts:
        for name, shown in names:
            text = text.replace(name, shown)
    raw = time.perf_counter() - start
    changed = sum(1 for a, b in zip(texts, out, strict=True) if a != b)
    print(
        f"{args.strings} strings, {args.people} people: build {built * 1000:.0f} ms, "
        f"redact {took:.2f} s ({changed} changed); str.replace baseline {raw:.2f} s; "
        f"ratio {took / raw:.2f}"
    )


if __name__ == "__main__":
    main()
