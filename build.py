#!/usr/bin/env python3
"""Wegweiser command line: build | check | serve | translations | new | test | upgrade.

The first run sets up everything it needs (see wegweiser/bootstrap.py).
"""

import sys

from wegweiser import bootstrap

if __name__ == "__main__":
    bootstrap.ensure(with_tests=sys.argv[1:2] in (["test"], ["upgrade"]))
    from wegweiser.cli import main

    sys.exit(main(sys.argv[1:]))
