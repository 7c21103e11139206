"""``python -m flashpoint.cli`` is the ``flashpoint`` command."""
from flashpoint.cli import main

main()
