"""Profiles: one YAML file, read with line numbers, checked field by field, written atomically.

The file is a mapping with one key, `profiles:`, holding a list of profiles (profiles.example.yaml
documents every field). A list keeps the user's order and lets `name` be a field like any other.

Nothing is lost: a profile that fails to validate is skipped with an issue naming the file, the
line and the field, the valid ones are kept, and a file with any issue is never overwritten.
Secrets are never read from or written to this file: they live in the OS keyring (store.secrets).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

from cognito_tui.core.flows import CLIENT_ID_RE, FLOWS, POOL_ID_RE, Api, check_pool_id, region_of
from cognito_tui.store.paths import atomic_write_text

if TYPE_CHECKING:
    from cognito_tui.store.secrets import SecretStore

TOP_LEVEL_KEY = "profiles"
AUTH_FLOWS = tuple(FLOWS)
APIS = tuple(a.value for a in Api)
REGION_RE = re.compile(r"^[a-z]{2,}(-[a-z]+)+-\d+$")
NAME_MAX = 64
# Unknown keys containing one of these (lower-cased, punctuation removed) are refused as secrets.
SECRET_WORDS = ("password", "passwd", "secret", "token", "totp", "seed", "devicekey", "groupkey", "credential")
HEADER = (
    "# cognito-tui profiles: every field is described in profiles.example.yaml.\n"
    "# Secrets are never written here; they live in the OS keyring (see `cognito-tui secrets list`).\n"
)

# libyaml composes ~10x faster and keeps the line marks; values are still built by the pure SafeLoader.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Path_ = tuple[str | int, ...]  # a place in the YAML document: ("profiles", 2, "region")


@dataclass
class ContextData:
    """Advanced security context: ContextData (admin API) or UserContextData (public API)."""

    ip_address: str | None = None
    server_name: str | None = None
    server_path: str | None = None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    encoded_data: str | None = None


@dataclass
class Profile:
    name: str
    region: str | None = None
    endpoint_url: str | None = None
    aws_profile: str | None = None
    user_pool_id: str | None = None
    client_id: str | None = None
    auth_flow: str | None = None
    api: str | None = None  # "admin" | "public" | None (the flow's default)
    username: str | None = None
    client_metadata: dict[str, str] = field(default_factory=dict)
    analytics_endpoint_id: str | None = None
    context_data: ContextData | None = None
    notes: str | None = None


PROFILE_FIELDS = tuple(f.name for f in fields(Profile))
CONTEXT_FIELDS = tuple(f.name for f in fields(ContextData))
HEADER_FIELDS = ("name", "value")
_TEXT_FIELDS = tuple(n for n in PROFILE_FIELDS if n not in ("client_metadata", "context_data"))


@dataclass
class ProfileIssue:
    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class LoadResult:
    profiles: list[Profile]
    issues: list[ProfileIssue]
    path: Path
    writable: bool  # False when the file failed to read, parse or validate: it must not be overwritten


class ProfileError(ValueError):
    """A profile operation that cannot be done (duplicate name, invalid field, unknown profile)."""


class ProfileFileError(ProfileError):
    """The profiles file cannot be written now; the message says why and what to do."""

    def __init__(self, message: str, issues: list[ProfileIssue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


# ----------------------------------------------------------------------------- reading


def load_profiles(path: Path | str) -> LoadResult:
    """Read the profiles file; a missing file is an empty, writable book."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadResult([], [], path, True)
    except OSError as e:
        return LoadResult([], [ProfileIssue(str(path), None, None, f"cannot read: {e.strerror or e}")], path, False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        issue = ProfileIssue(str(path), line, None, f"not UTF-8 text (byte 0x{raw[e.start]:02x})")
        return LoadResult([], [issue], path, False)
    profiles, issues = parse_profiles(text, str(path))
    return LoadResult(profiles, issues, path, not issues)


def parse_profiles(text: str, path: str = "profiles.yaml") -> tuple[list[Profile], list[ProfileIssue]]:
    """The valid profiles of a YAML text, and one issue per problem (file, line, field, message)."""
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        problem = e.problem or e.context or "cannot be read"
        if e.context and e.context_mark and e.problem:
            problem += f" ({e.context} that starts on line {e.context_mark.line + 1})"
        return [], [ProfileIssue(path, line, None, f"not valid YAML: {problem}")]
    except yaml.YAMLError as e:
        return [], [ProfileIssue(path, None, None, f"not valid YAML: {e}")]
    if root is None:
        return [], []
    doc = _Document(root)
    problems: list[tuple[Path_, str]] = list(doc.problems)
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
        broken = any(p[: len(here)] == here for p, _ in problems)
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
        if profile is not None and not broken:
            profiles.append(profile)
    return profiles, _issues(path, doc, problems)


def profile_problems(profile: Profile) -> list[tuple[str, str]]:
    """What is wrong with a profile built in code: (field, message) pairs, field "" for the whole profile."""
    _, found = _profile_from_data(profile_to_dict(profile))
    return [(_dotted(p), m) for p, m in found]


def validate_profile(profile: Profile) -> list[str]:
    """profile_problems() in the words a file issue would use ([] if valid)."""
    return [f"{f}: {m}" if f else m for f, m in profile_problems(profile)]


class _Document:
    """Plain Python values built from the YAML nodes, remembering the line of every key and item."""

    def __init__(self, root: yaml.Node) -> None:
        self._loader = yaml.SafeLoader("")
        self._lines: dict[Path_, int] = {(): root.start_mark.line + 1}
        self.problems: list[tuple[Path_, str]] = []
        self.data = self._build(root, ())

    def line(self, path: Path_) -> int | None:
        while path not in self._lines and path:
            path = path[:-1]
        return self._lines.get(path)

    def _build(self, node: yaml.Node, path: Path_) -> Any:
        if isinstance(node, yaml.MappingNode):
            self._loader.flatten_mapping(node)  # resolves '<<: *anchor' merge keys
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._build(key_node, path + ("?",)) if isinstance(key_node, yaml.ScalarNode) else None
                where = path + (str(key),)
                if not isinstance(key, str):
                    self._lines.setdefault(where, key_node.start_mark.line + 1)
                    self.problems.append((where, f"keys must be text, not {_kind(key)}"))
                    continue
                if key in out:
                    self.problems.append((where, f"duplicate key {key!r} (also on line {self._lines[where]})"))
                    self._lines[where] = key_node.start_mark.line + 1
                    continue
                self._lines[where] = key_node.start_mark.line + 1
                out[key] = self._build(value_node, where)
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                self._lines[path + (i,)] = item.start_mark.line + 1
                items.append(self._build(item, path + (i,)))
            return items
        try:
            return self._loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as e:  # an unknown !!tag, or a date like 2024-13-45
            problem = getattr(e, "problem", None) or str(e)
            self.problems.append((path, f"cannot read {node.value!r}: {problem}; put the value in quotes"))
            return None


def _issues(path: str, doc: _Document, problems: list[tuple[Path_, str]]) -> list[ProfileIssue]:
    issues = [ProfileIssue(path, doc.line(p), _dotted(p) or None, m) for p, m in problems]
    return sorted(issues, key=lambda i: i.line or 0)


# ----------------------------------------------------------------------------- validation


def _profile_from_data(data: Any) -> tuple[Profile | None, list[tuple[Path_, str]]]:
    """A Profile from plain values, or None and the problems, each with its path inside the profile."""
    if not isinstance(data, dict):
        return None, [((), f"a profile must be a mapping of fields (name: ..., region: ...), not {_kind(data)}")]
    problems: list[tuple[Path_, str]] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in PROFILE_FIELDS:
            problems.append(((key,), _unknown(key, PROFILE_FIELDS)))
        elif value is None or value == "":
            continue  # an empty field means the same as a missing one
        elif key in _TEXT_FIELDS:
            error = _text_error(value) or _CHECKS.get(key, _no_check)(value)
            if error:
                problems.append(((key,), error))
            else:
                values[key] = value
        elif key == "client_metadata":
            values[key] = _string_map(value, (key,), problems)
        else:
            values[key] = _context_data(value, problems)
    if "name" not in values and not any(p == ("name",) for p, _ in problems):
        problems.append(((), "missing 'name' (every profile needs a unique name)"))
    problems += _cross_checks(values)
    if problems:
        return None, problems
    return Profile(**values), []


def _cross_checks(v: dict[str, Any]) -> list[tuple[Path_, str]]:
    problems: list[tuple[Path_, str]] = []
    pool_region = region_of(v.get("user_pool_id") or "")
    if v.get("region") and pool_region and not v.get("endpoint_url") and pool_region != v["region"]:
        problems.append(
            (
                ("region",),
                f"is {v['region']} but user_pool_id {v['user_pool_id']} lives in {pool_region}; "
                "fix one of them (or leave region out: it is read from the pool id)",
            )
        )
    flow, api = v.get("auth_flow"), v.get("api")
    if flow and api and api not in FLOWS[flow].apis:
        only = FLOWS[flow].apis[0].value
        problems.append(
            (("api",), f"is {api} but {flow} is accepted only by the {only} API; set api: {only} or leave api out")
        )
    return problems


def _check_name(value: str) -> str | None:
    if value != value.strip():
        return "must not start or end with spaces"
    if len(value) > NAME_MAX:
        return f"must be at most {NAME_MAX} characters"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "must not contain control characters"
    return None


def _check_region(value: str) -> str | None:
    return None if REGION_RE.match(value) else "must be an AWS Region code such as us-east-1 or eu-west-2"


def _check_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be a URL starting with http:// or https:// (e.g. http://127.0.0.1:9229)"
    return None


def _check_pool(value: str) -> str | None:
    if not POOL_ID_RE.match(value):
        return "must look like <region>_<id> (e.g. us-east-1_AbCdEf123)"
    return check_pool_id(value)  # the length


def _check_client(value: str) -> str | None:
    if CLIENT_ID_RE.match(value) and len(value) <= 128:
        return None
    return "must be an app client id: letters, digits, '+' and '_' (e.g. 1example23456789abcdefghijk)"


def _check_flow(value: str) -> str | None:
    return None if value in FLOWS else f"must be one of {', '.join(AUTH_FLOWS)}{_suggest(value.upper(), AUTH_FLOWS)}"


def _check_api(value: str) -> str | None:
    return None if value in APIS else f"must be admin or public (or left out){_suggest(value.lower(), APIS)}"


def _no_check(value: str) -> None:
    return None


_CHECKS: dict[str, Callable[[str], str | None]] = {
    "name": _check_name,
    "region": _check_region,
    "endpoint_url": _check_url,
    "user_pool_id": _check_pool,
    "client_id": _check_client,
    "auth_flow": _check_flow,
    "api": _check_api,
}


def _text_error(value: Any) -> str | None:
    if isinstance(value, str):
        return None
    if isinstance(value, (bool, int, float, date)):
        return f"must be text, not {_kind(value)}; put the value in quotes"
    return f"must be text, not {_kind(value)}"


def _string_map(value: Any, path: Path_, problems: list[tuple[Path_, str]]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append((path, f"must be a mapping of text keys to text values, not {_kind(value)}"))
        return {}
    for key, item in value.items():
        error = _text_error(item)
        if error:
            problems.append((path + (key,), error))
    return dict(value)


def _context_data(value: Any, problems: list[tuple[Path_, str]]) -> ContextData | None:
    here: Path_ = ("context_data",)
    if not isinstance(value, dict):
        problems.append((here, f"must be a mapping ({', '.join(CONTEXT_FIELDS)}), not {_kind(value)}"))
        return None
    values: dict[str, Any] = {}
    for key, item in value.items():
        if key not in CONTEXT_FIELDS:
            problems.append((here + (key,), _unknown(key, CONTEXT_FIELDS)))
        elif item is None or item == "":
            continue
        elif key == "http_headers":
            values[key] = _headers(item, here + (key,), problems)
        elif error := _text_error(item):
            problems.append((here + (key,), error))
        else:
            values[key] = item
    return ContextData(**values) if values else None


def _headers(value: Any, path: Path_, problems: list[tuple[Path_, str]]) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        problems.append((path, f"must be a list of '- name: ..., value: ...' entries, not {_kind(value)}"))
        return []
    headers = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != set(HEADER_FIELDS):
            problems.append((path + (i,), "each header must be a mapping with exactly 'name' and 'value'"))
            continue
        errors = [(path + (i, k), e) for k in HEADER_FIELDS if (e := _text_error(item[k]))]
        problems += errors
        if not errors:
            headers.append((item["name"], item["value"]))
    return headers


def _unknown(key: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    squashed = re.sub(r"[^a-z0-9]", "", key.lower())
    if any(word in squashed for word in SECRET_WORDS):
        return (
            f"{key!r} looks like a secret, and secrets are never read from this file: remove it, and let "
            "cognito-tui keep it in the OS keyring instead (offered when you sign in; see `cognito-tui secrets list`)"
        )
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower().replace("-", "_")
    return f"unknown field {key!r}{_suggest(snake, allowed)}; allowed: {', '.join(allowed)}"


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, date):
        return f"a date ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# ----------------------------------------------------------------------------- writing


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """The profile as it is written: field order of the dataclass, empty fields left out."""
    out: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        value = getattr(profile, name)
        if name == "context_data" and value is not None:
            value = _context_to_dict(value)
        elif name == "client_metadata":
            value = dict(value)
        if value is not None and value != "" and value != {}:
            out[name] = value
    return out


def _context_to_dict(context: ContextData) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in CONTEXT_FIELDS:
        value = getattr(context, name)
        if name == "http_headers":
            value = [{"name": k, "value": v} for k, v in value]
        if value is not None and value != "" and value != []:
            out[name] = value
    return out


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
        self._signature = _signature(self.path)
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
        if _signature(self.path) != self._signature:
            raise ProfileFileError(
                f"{self.path} was changed by another program since it was read; your edits are not lost "
                "(they are still in the app), but reload the file or save them elsewhere first"
            )
        save_profiles(self.path, self._profiles)
        self._result = LoadResult(list(self._profiles), [], self.path, True)
        self._signature = _signature(self.path)
        self.dirty = False
        pending, self._pending = self._pending, []
        if self.secrets is not None:
            self._apply(pending)

    def _apply(self, pending: list[tuple[str, str, str | None]]) -> None:
        store = self.secrets
        assert store is not None
        for op, name, other in pending:
            if op == "rename" and other is not None:
                store.rename_profile(name, other)
            elif op == "copy" and other is not None:
                store.copy_profile(name, other)
            elif op == "delete":
                store.delete_profile(name)


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
