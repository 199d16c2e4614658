"""``python -m city_platform``."""

import sys

from city_platform.cli import main

sys.exit(main())
