"""`python -m slidegen` runs the command line."""

from slidegen.command import run

run()
