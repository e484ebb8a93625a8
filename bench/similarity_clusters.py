"""CPU of the duplicate-work clusters and of one similar-list request, measured in-process.

    .venv/bin/python bench/similarity_clusters.py                 # 300 use cases, ~60-word problems
    .venv/bin/python bench/similarity_clusters.py --cases 1000 --words 600

Random German-looking words (no database): ``similarity.clusters`` compares every pair, so its
time grows with the square of the number of use cases; ``/anwendungsfaelle/doppelarbeit``
computes it inside the request. Prints seconds for the clusters and for one form's comparison
with every use case (what ``/anwendungsfaelle/aehnliche`` does per typed pause).
"""

import argparse
import random
import time

from lernpfad.usecases import similarity


def text(rng: random.Random, words: int) -> str:
    letters = "abcdefghiklmnoprstuäöü"
    return " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(4, 12))) for _ in range(words)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--words", type=int, default=60, help="words in each problem text")
    args = parser.parse_args()
    rng = random.Random(1)
    cases = [
        (text(rng, 6)[:200], text(rng, 5)[:300], text(rng, args.words)[:4000])
        for _ in range(args.cases)
    ]
    start = time.process_time()
    items = [(i, i % 10, similarity.profile(*case)) for i, case in enumerate(cases)]
    similarity.clusters(items)
    print(f"clusters of {args.cases} use cases: {time.process_time() - start:.2f} s")
    start = time.process_time()
    wanted = similarity.profile(*cases[0])
    for case in cases:
        similarity.score(wanted, similarity.profile(*case))
    print(f"one similar list over {args.cases} use cases: {time.process_time() - start:.3f} s")


if __name__ == "__main__":
    main()
