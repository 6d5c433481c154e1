"""Profiles: one YAML file, read with line numbers, checked field by field, written atomically.

The file is a mapping with one key, `profiles:`, holding a list of profiles (profiles.example.yaml
documents every field). A list keeps the user's order and lets `name` be a field like any other.

Nothing is lost: a profile that fails to validate is skipped with an issue naming the file, the
line and the field, the valid ones are kept, and a file with any issue is never overwritten.
Secrets are never read from or written to this file: they live in the OS keyring (store.secrets).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from cognito_tui.core.yamltree import Path as Path_
from cognito_tui.core.yamltree import Tree, TreeLimit
from cognito_tui.core.yamltree import dotted as _dotted
from cognito_tui.core.yamltree import kind as _kind
from cognito_tui.store.paths import atomic_write_text, file_lock, lock_path
from cognito_tui.store.profile_checks import _profile_from_data, _unknown, profile_problems, validate_profile
from cognito_tui.store.profile_model import (
    HEADER,
    TOP_LEVEL_KEY,
    ContextData,
    LoadResult,
    Profile,
    ProfileError,
    ProfileFileError,
    ProfileIssue,
    profile_to_dict,
)

if TYPE_CHECKING:
    from cognito_tui.store.secrets import SecretStore

# libyaml composes ~10x faster and keeps the line marks; values are still built by the pure SafeLoader.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 4 << 20  # a file of 1,000 full profiles is ~500 kB


# ----------------------------------------------------------------------------- reading


def load_profiles(path: Path | str) -> LoadResult:
    """Read the profiles file; a missing file is an empty, writable book."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return LoadResult([], [], path, True)
    except OSError as e:
        return LoadResult([], [ProfileIssue(str(path), None, None, f"cannot read: {e.strerror or e}")], path, False)
    if len(raw) > MAX_FILE_BYTES:
        issue = ProfileIssue(str(path), None, None, f"larger than {MAX_FILE_BYTES >> 20} MiB, so not read")
        return LoadResult([], [issue], path, False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        issue = ProfileIssue(str(path), line, None, f"not UTF-8 text (byte 0x{raw[e.start]:02x})")
        return LoadResult([], [issue], path, False)
    profiles, issues = parse_profiles(text, str(path))
    return LoadResult(profiles, issues, path, not issues, hashlib.sha256(raw).hexdigest())


@contextmanager
def _paused_gc() -> Iterator[None]:
    """The cycle collector off while a file is read: with it on, 40k items took 7 s, not 4 (no cycles are made)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compose_tree(text: str, path: str) -> tuple[Tree | None, list[ProfileIssue]]:
    """The YAML text as a bounded Tree (core.yamltree), or the one issue that stopped it."""
    loader = yaml.SafeLoader("")
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
        return (None if root is None else Tree(root, lambda node: loader.construct_object(node, deep=True))), []
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        problem = e.problem or e.context or "cannot be read"
        if e.context and e.context_mark and e.problem:
            problem += f" ({e.context} that starts on line {e.context_mark.line + 1})"
        return None, [ProfileIssue(path, line, None, f"not valid YAML: {problem}")]
    except yaml.YAMLError as e:
        return None, [ProfileIssue(path, None, None, f"not valid YAML: {e}")]
    except TreeLimit as e:
        return None, [ProfileIssue(path, None, None, f"not read: {e}")]
    except RecursionError:
        return None, [ProfileIssue(path, None, None, "not read: nested too deeply")]


def parse_profiles(text: str, path: str = "profiles.yaml") -> tuple[list[Profile], list[ProfileIssue]]:
    """The valid profiles of a YAML text, and one issue per problem (file, line, field, message)."""
    with _paused_gc():
        return _parse(text, path)


def _parse(text: str, path: str) -> tuple[list[Profile], list[ProfileIssue]]:
    doc, stopped = compose_tree(text, path)
    if doc is None:
        return [], stopped
    problems: list[tuple[Path_, str]] = list(doc.problems)
    broken_items = {p[1] for p, _ in doc.problems if len(p) > 1 and p[0] == TOP_LEVEL_KEY}  # linear, not per item
    profiles: list[Profile] = []
    data = doc.data
    if not isinstance(data, dict):
        problems.append(((), f"the file must be a mapping with a '{TOP_LEVEL_KEY}:' list, not {_kind(data)}"))
        return [], _issues(path, doc, problems)
    for key in data:
        if key != TOP_LEVEL_KEY:
            problems.append(((key,), _unknown(key, (TOP_LEVEL_KEY,))))
    items = data.get(TOP_LEVEL_KEY)
    if items is None:
        items = []
    if not isinstance(items, list):
        problems.append(
            ((TOP_LEVEL_KEY,), f"must be a list of profiles (each starting with '- name: ...'), not {_kind(items)}")
        )
        items = []
    first_line: dict[str, int | None] = {}
    for i, item in enumerate(items):
        here: Path_ = (TOP_LEVEL_KEY, i)
        profile, found = _profile_from_data(item)
        problems += [(here + p, m) for p, m in found]
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and name in first_line:
            seen = first_line[name]
            problems.append(
                (here + ("name",), f"duplicate name {name!r} (first used on line {seen}); names must be unique")
            )
            continue
        if isinstance(name, str):
            first_line[name] = doc.line(here + ("name",))
        if profile is not None and i not in broken_items:
            profiles.append(profile)
    return profiles, _issues(path, doc, problems)


def _issues(path: str, doc: Tree, problems: list[tuple[Path_, str]]) -> list[ProfileIssue]:
    issues = [ProfileIssue(path, doc.line(p), _dotted(p) or None, m) for p, m in problems]
    return sorted(issues, key=lambda i: i.line or 0)


class _Dumper(yaml.SafeDumper):
    """Block style, no anchors, and multi-line text (notes) as a readable '|' block."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(profiles: list[Profile]) -> str:
    """Exactly the text save_profiles writes."""
    body = yaml.dump(
        {TOP_LEVEL_KEY: [profile_to_dict(p) for p in profiles]},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return HEADER + body


def check_profiles(profiles: list[Profile]) -> list[str]:
    """Problems that would make a written file fail to load: invalid fields, duplicate names."""
    problems, seen = [], set()
    for i, profile in enumerate(profiles):
        problems += [f"profiles[{i}] ({profile.name!r}): {m}" for m in validate_profile(profile)]
        if profile.name in seen:
            problems.append(f"profiles[{i}]: duplicate name {profile.name!r}")
        seen.add(profile.name)
    return problems


def save_profiles(path: Path | str, profiles: list[Profile]) -> None:
    """Write atomically, keeping the previous file as <name>.bak; never overwrite an invalid file."""
    path = Path(path)
    with _locked(path):
        _save_unlocked(path, profiles)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        with file_lock(lock_path(path)):
            yield
    except TimeoutError as e:
        raise ProfileFileError(f"not saved: {e}; try again once the other save is done") from e


def _save_unlocked(path: Path, profiles: list[Profile]) -> None:
    problems = check_profiles(profiles)
    if problems:
        raise ProfileFileError(f"not saved to {path}: " + "; ".join(problems))
    current = load_profiles(path)
    if not current.writable:
        raise ProfileFileError(
            f"{path} has errors, so it is left as it is (first: {current.issues[0]}); "
            "fix the file by hand or move it away, then save again",
            current.issues,
        )
    text = dump_yaml(profiles)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        pass
    try:
        atomic_write_text(path, text, backup=backup_path(path))
    except OSError as e:
        raise ProfileFileError(f"cannot write {path}: {e.strerror or e}") from e


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


# ----------------------------------------------------------------------------- the book


def _signature(path: Path) -> str | None:
    """A digest of the file's bytes (None if absent), to notice another program's save."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class ProfileBook:
    """The profiles of one file, edited in memory and saved on request.

    Keyring secrets follow the profiles (rename moves them, delete removes them, duplicate may copy
    them) when the book is given a SecretStore; those moves wait for a successful save(), so the
    keyring never gets ahead of the file.
    """

    def __init__(self, path: Path | str, result: LoadResult | None = None, secrets: SecretStore | None = None) -> None:
        self.path = Path(path)
        self.secrets = secrets
        self._use(result if result is not None else load_profiles(self.path))

    def _use(self, result: LoadResult) -> None:
        self._result = result
        self._profiles = list(result.profiles)
        self._base = list(result.profiles)  # as last read or written: what another writer's change is told against
        # The digest of the very bytes parsed, so a save between the read and the digest cannot slip by.
        self._signature = result.signature if result.signature is not None else _signature(self.path)
        self._pending: list[tuple[str, str, str | None]] = []  # (op, name, other) for the secret store
        self.dirty = False

    def reload(self) -> None:
        """Read the file again, dropping unsaved changes."""
        self._use(load_profiles(self.path))

    @property
    def profiles(self) -> list[Profile]:
        return list(self._profiles)

    @property
    def issues(self) -> list[ProfileIssue]:
        return list(self._result.issues)

    @property
    def writable(self) -> bool:
        return self._result.writable

    def names(self) -> list[str]:
        return [p.name for p in self._profiles]

    def __contains__(self, name: object) -> bool:
        return any(p.name == name for p in self._profiles)

    def get(self, name: str) -> Profile | None:
        return next((p for p in self._profiles if p.name == name), None)

    def _index(self, name: str) -> int:
        for i, p in enumerate(self._profiles):
            if p.name == name:
                return i
        raise ProfileError(f"no profile named {name!r}")

    def _check(self, profile: Profile, replacing: str | None = None) -> None:
        problems = validate_profile(profile)
        if problems:
            raise ProfileError(f"profile {profile.name!r}: " + "; ".join(problems))
        if profile.name != replacing and profile.name in self:
            raise ProfileError(f"a profile named {profile.name!r} already exists")

    def add(self, profile: Profile) -> Profile:
        self._check(profile)
        self._profiles.append(profile)
        self.dirty = True
        return profile

    def update(self, name: str, profile: Profile) -> Profile:
        """Replace the profile `name` by `profile` (a new name renames it, secrets included)."""
        i = self._index(name)
        self._check(profile, replacing=name)
        self._profiles[i] = profile
        if profile.name != name:
            self._pending.append(("rename", name, profile.name))
        self.dirty = True
        return profile

    def rename(self, old: str, new: str) -> Profile:
        return self.update(old, replace(self._profiles[self._index(old)], name=new))

    def duplicate(self, name: str, new_name: str, *, copy_secrets: bool = False) -> Profile:
        """A copy under a new name, placed after the original; secrets are copied only on request."""
        i = self._index(name)
        copy = _deep_copy(self._profiles[i], new_name)
        self._check(copy)
        self._profiles.insert(i + 1, copy)
        if copy_secrets:
            self._pending.append(("copy", name, new_name))
        self.dirty = True
        return copy

    def delete(self, name: str) -> Profile:
        profile = self._profiles.pop(self._index(name))
        self._pending.append(("delete", name, None))
        self.dirty = True
        return profile

    def as_yaml(self) -> str:
        """The YAML as save() will write it."""
        return dump_yaml(self._profiles)

    def save(self) -> None:
        """Write the file, then apply the secret moves; refuses if the file changed since it was read."""
        with _locked(self.path):  # the check and the write, atomic together across processes
            if _signature(self.path) != self._signature:
                raise ProfileFileError(
                    f"{self.path} was changed by another program since it was read{_their_change(self)}; your "
                    "edits are not lost (they are still in the app), but reload the file or save them elsewhere first"
                )
            _save_unlocked(self.path, self._profiles)
            self._signature = _signature(self.path)
        self._result = LoadResult(list(self._profiles), [], self.path, True, self._signature)
        self._base = list(self._profiles)
        self.dirty = False
        pending, self._pending = self._pending, []
        if self.secrets is not None:
            self._apply(pending)

    def _apply(self, pending: list[tuple[str, str, str | None]]) -> None:
        """Secrets follow their profile, its users' TOTP seeds and devices ("PROFILE@USER") included.

        A duplicate gets the profile's own secrets only when asked, and never its users' devices.
        """
        from cognito_tui.store.vault import user_scopes

        store = self.secrets
        assert store is not None
        names = self.names()
        for op, name, other in pending:
            scopes = user_scopes(store, name, names) if op in ("rename", "delete") else []
            if op == "rename" and other is not None:
                store.rename_profile(name, other)
                for scope in scopes:
                    store.rename_profile(scope, other + scope[len(name) :])
            elif op == "copy" and other is not None:
                store.copy_profile(name, other)
            elif op == "delete":
                store.delete_profile(name)
                for scope in scopes:
                    store.delete_profile(scope)


def _their_change(book: ProfileBook) -> str:
    """The other writer's change in words: " (it added 'x'; changed 'y')", from what the book last read."""
    theirs = load_profiles(book.path)
    if not theirs.writable:
        return " (it now has errors)"
    base = {p.name: p for p in book._base}
    now = {p.name: p for p in theirs.profiles}
    parts = []
    for verb, names in (
        ("added", [n for n in now if n not in base]),
        ("removed", [n for n in base if n not in now]),
        ("changed", [n for n in now if n in base and now[n] != base[n]]),
    ):
        if names:
            shown = ", ".join(repr(n) for n in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            parts.append(f"{verb} {shown}")
    return f" (it {'; '.join(parts)})" if parts else ""


def _deep_copy(profile: Profile, name: str) -> Profile:
    context = profile.context_data
    if context is not None:
        context = replace(context, http_headers=list(context.http_headers))
    return replace(profile, name=name, client_metadata=dict(profile.client_metadata), context_data=context)


__all__ = [
    "ContextData",
    "LoadResult",
    "Profile",
    "ProfileBook",
    "ProfileError",
    "ProfileFileError",
    "ProfileIssue",
    "dump_yaml",
    "load_profiles",
    "parse_profiles",
    "profile_problems",
    "save_profiles",
    "validate_profile",
]
