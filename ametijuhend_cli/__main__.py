"""Allow ``python -m ametijuhend_cli``."""

from .cli import main

main()
