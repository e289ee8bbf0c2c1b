"""Demo recovery cases for `exceed demo` (filled in by the recovery capability)."""

import random


def seed_demo_cases(*, rng: random.Random) -> int:
    """Create a realistic set of recovery cases over the demo chain's responses; returns how many."""
    return 0
