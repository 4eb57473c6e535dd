"""`python -m infoview.cli ...` is the same as the `infoview` script."""
import sys

from . import main

sys.exit(main())
