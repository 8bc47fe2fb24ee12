"""`python -m slidegen` runs the command line."""

import sys

from slidegen.cli import main

sys.exit(main())
