"""Generate letters: ``python generate.py campaigns/NAME.yaml`` (same as ``advocacy generate``)."""

import sys

from advocacy.cli.main import main

if __name__ == "__main__":
    main(["generate", *sys.argv[1:]])
