"""``python -m rayvision_dcc`` runs the command line, like the ``rayvision-dcc`` script."""
import sys

from rayvision_dcc.cli import main

if __name__ == "__main__":
    sys.exit(main())
