"""Make `oauth_helpers` importable: the suite runs with --import-mode=importlib (no sys.path insertion)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
