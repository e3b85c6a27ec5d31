"""Run the CLI with ``python -m advocacy``."""

from advocacy.cli.main import main

if __name__ == "__main__":
    main()
