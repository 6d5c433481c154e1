"""settings.yaml beside profiles.yaml: a keymap (binding id -> keys) and a theme. Bad files are said, not fatal."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_settings(path: Path) -> tuple[dict[str, Any], str | None]:
    """(settings, problem): a missing file is empty settings; a broken one is empty plus a message."""
    if not path.exists():
        return {}, None
    import yaml  # only when there is a file (~10 ms on the first frame's path otherwise)

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        return {}, f"{path}: not read ({exc}); using the default keys and theme"
    if not isinstance(data, dict):
        return {}, f"{path}: expected a mapping with keymap and theme"
    keymap = data.get("keymap") or {}
    if not isinstance(keymap, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()):
        return {"theme": data.get("theme")}, f"{path}: keymap must map binding ids to keys, e.g. start-walk: ctrl+g"
    return {"keymap": keymap, "theme": data.get("theme")}, None
