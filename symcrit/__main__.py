"""`python -m symcrit` is the command line (`symcrit`)."""
import sys

from symcrit.cli.main import main

sys.exit(main())
