import sys

from symcrit.cli.main import main

sys.exit(main())
