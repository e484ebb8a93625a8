"""The demo company's staff: unique, realistic German names and their e-mail addresses, for a
company of any size.

Names come from the common pools first (all the small demo company needs); once those
combinations are mostly taken, from wider pools, then with a second first name, and last with a
middle initial, counted through so that the search always ends.
"""

import random
from itertools import product

DOMAIN = "muster.example"
COMMON_TRIES = 4  # draws from the common pools before the wider ones are used
WIDE_TRIES = 6  # draws per wider stage
INITIALS = "ABCDEFGHJKLMNPRSTUVWZ"

# In the order the demo company always drew from (the default demo stays the same company).
FIRST_NAMES = """Jonas Lea Felix Marie Paul Sophie Lukas Hannah Tim Laura Jan Julia Max Sarah David
Lisa Simon Katharina Tobias Johanna Moritz Clara Niklas Emma Philipp Mia Fabian Lena Sebastian Nina
Daniel Carina Markus Sabine Stefan Petra Thomas Andrea Michael Birgit Ralf Ute Jürgen Monika Uwe
Claudia Dirk Heike Frank Susanne Oliver Tanja Kai Melanie""".split()
LAST_NAMES = """Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch
Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt
Werner Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser
Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger
Winkler""".split()
MORE_WOMEN = """Anja Annika Antje Barbara Bettina Carolin Christina Christine Corinna Daniela Diana
Doris Elena Elisabeth Eva Franziska Friederike Gabriele Greta Hanna Helena Ines Irina Jana Janina
Jasmin Jessica Jutta Karin Kerstin Kristina Larissa Leonie Lina Luisa Maja Manuela Maren Marion
Martina Miriam Nadine Natalie Nicole Paula Pia Regina Renate Sandra Silke Simone Sonja Stefanie
Svenja Theresa Ulrike Vanessa Verena Viktoria Yvonne""".split()
MORE_MEN = """Alexander Andreas Benjamin Bernd Björn Christian Christoph Dennis Dominik Elias Erik
Florian Georg Gerhard Hans Heiko Holger Jakob Jens Joachim Johannes Julian Karl Klaus Konstantin
Lars Leon Manuel Marc Marcel Martin Matthias Maximilian Mirko Nico Noah Norbert Patrick Peter
Rainer Robert Sascha Sven Theo Thorsten Till Torsten Ulrich Valentin Vincent Volker Werner Wolfgang
Yannick""".split()
MORE_LAST_NAMES = """Albers Arnold Bach Bauer Baumann Beck Bergmann Bock Böhm Brandt Brinkmann
Busch Dietrich Dietz Ebert Eckert Engel Ernst Fink Franke Frey Friedrichs Gebhardt Geiger Graf
Groß Haas Hansen Heinrich Heinz Hermann Hesse Hildebrandt Horn Jäger Jansen John Kaufmann Kessler
Kirchner Klose Kluge Knoll Kolb Kraft Kramer Kuhn Kunz Kurz Lorenz Ludwig Lutz Marx Martin Mayr
Menzel Merz Michel Moser Nagel Nowak Otto Paul Pfeiffer Pohl Popp Ritter Roth Sauer Schäfer Schenk
Schilling Schmitz Schneider-Lang Schreiber Schuster Seidel Siebert Simon Sommer Stahl Stein Steiner
Thomas Ulrich Voigt Vogt Wagner-Roth Walther Weber-Hahn Weis Wendt Wenzel Wild Winter Witt Wolff
Ziegler Zimmer""".split()
# The women's first names in the demo company: job titles agree with the person
# (Produktmanager/Produktmanagerin).
WOMENS_FIRST_NAMES = frozenset(
    """Lea Marie Sophie Hannah Laura Julia Sarah Lisa Katharina Johanna Clara Emma Mia Lena Nina
    Carina Sabine Petra Andrea Birgit Ute Monika Claudia Heike Susanne Tanja Melanie Helga Anna
    Ada Katrin Vera""".split()
    + MORE_WOMEN
)
ALL_FIRST_NAMES = FIRST_NAMES + MORE_WOMEN + MORE_MEN
ALL_LAST_NAMES = LAST_NAMES + MORE_LAST_NAMES
WOMEN = [n for n in ALL_FIRST_NAMES if n in WOMENS_FIRST_NAMES]
MEN = [n for n in ALL_FIRST_NAMES if n not in WOMENS_FIRST_NAMES]

TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "."})


def email_local_part(name: str) -> str:
    """ "Jürgen M. Weiß" → "juergen.m.weiss"."""
    return name.lower().replace(". ", " ").translate(TRANSLITERATION)


def unique_email(name: str, taken: set[str]) -> str:
    """The address from the name; a number where it is taken already (anna.schmidt2@…).
    Adds it to ``taken``."""
    local = email_local_part(name)
    email, number = f"{local}@{DOMAIN}", 1
    while email in taken:  # ends: each round tries a new number
        number += 1
        email = f"{local}{number}@{DOMAIN}"
    taken.add(email)
    return email


def unique_name(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    """(first name, full name) not in ``taken``, which it is added to. Deterministic for the
    state of ``rng``; raises ValueError only when every combination is taken (millions)."""
    for first, given, last in _draws(rng):
        name = f"{given} {last}"
        if name not in taken and first != last:
            taken.add(name)
            return first, name
    # Every draw was taken: a middle initial, counted through from a drawn start.
    pairs = list(product(ALL_FIRST_NAMES, ALL_LAST_NAMES))
    start = rng.randrange(len(pairs))
    for index in range(len(pairs)):
        first, last = pairs[(start + index) % len(pairs)]
        for initial in INITIALS:
            name = f"{first} {initial}. {last}"
            if name not in taken:
                taken.add(name)
                return first, name
    raise ValueError("no unused name left")


def _draws(rng: random.Random):
    """(first name, given names, last name): the common pools, then the wider ones, then two
    first names of one gender. Drawn one by one, so that a name found at once leaves the random
    sequence where the small demo company always had it."""
    for _ in range(COMMON_TRIES):
        first = rng.choice(FIRST_NAMES)
        yield first, first, rng.choice(LAST_NAMES)
    for _ in range(WIDE_TRIES):
        first = rng.choice(ALL_FIRST_NAMES)
        yield first, first, rng.choice(ALL_LAST_NAMES)
    for _ in range(WIDE_TRIES):
        first = rng.choice(ALL_FIRST_NAMES)
        second = rng.choice(WOMEN if first in WOMENS_FIRST_NAMES else MEN)
        if second != first:
            yield first, f"{first} {second}", rng.choice(ALL_LAST_NAMES)
