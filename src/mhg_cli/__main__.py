"""`python -m mhg_cli ...`: the `mhg` command, for processes started without the script."""

import sys

from mhg_cli.main import main

if __name__ == "__main__":
    sys.exit(main())
