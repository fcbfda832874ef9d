"""Allow ``python -m ametijuhend_cli``."""

from ametijuhend_cli.cli import main

main()
