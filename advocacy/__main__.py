"""Run the CLI with ``python -m advocacy``."""

from advocacy.cli import main

if __name__ == "__main__":
    main()
