"""build.py with a pause at one step of publishing, for the interrupt tests.

    held_build.py STEP [build.py arguments]

STEP is "swap" (right before the swap) or "swapped" (the new site is in place, the previous
one not yet removed). The build marks the step with a file `.site.held-STEP` beside site/
and waits there for a minute, so a signal sent meanwhile lands exactly at that step. The
pause lives here, not in the package: a build never waits for a test.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wegweiser import publish  # noqa: E402 (after the path is set)
from wegweiser.cli import main  # noqa: E402

STEP = sys.argv[1]
exchange = publish._exchange


def held(site: Path, step: str) -> None:
    if step == STEP:
        site.with_name(f".{site.name}.held-{step}").touch()
        time.sleep(60)


def pausing_exchange(stage: Path, site: Path) -> bool:
    held(site, "swap")
    exchanged = exchange(stage, site)
    held(site, "swapped")
    return exchanged


if __name__ == "__main__":
    publish._exchange = pausing_exchange
    sys.exit(main(sys.argv[2:]))
