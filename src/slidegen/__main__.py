"""`python -m slidegen` runs the command line."""

from slidegen.cli import run

run()
