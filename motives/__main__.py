import sys

from motives.cli import main

sys.exit(main())
