"""Allow ``python -m ametijuhend_cli``."""

from ametijuhend_cli.cli import main

if __name__ == "__main__":
    main()
