"""`python -m engine.cli`: the same as the `infoview` console script."""
import sys

from . import main

sys.exit(main())
