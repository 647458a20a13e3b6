"""``python -m chainmodel`` runs the command line tool."""

from .cli import main

main()
