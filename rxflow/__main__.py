"""`python -m rxflow` runs the command line."""

from rxflow.cli import main

main()
