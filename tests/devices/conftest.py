"""The private Secret Service of tests/store (loaded from there, not copied), and sandbox helpers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))  # devices_helpers, under --import-mode=importlib

_spec = importlib.util.spec_from_file_location("_store_conftest", HERE.parent / "store" / "conftest.py")
assert _spec is not None and _spec.loader is not None
_store = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_store)

secret_service = _store.secret_service
secret_service_backend = _store.secret_service_backend
subprocess_env = _store.subprocess_env
