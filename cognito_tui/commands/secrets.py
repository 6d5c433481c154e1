"""`cognito-tui secrets [list]` and `cognito-tui secrets delete PROFILE [KIND]`: names only, never values.

Imports nothing heavy: keyring and the store load inside run(), and neither Textual nor boto3 ever.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="secrets_action", metavar="ACTION")
    sub.add_parser("list", help="list the saved secrets by profile and kind, and the backend (the default)")
    delete = sub.add_parser("delete", help="forget a profile's secrets, or one kind of them")
    delete.add_argument("profile", metavar="PROFILE")
    delete.add_argument(
        "kind",
        metavar="KIND",
        nargs="?",
        help="password, client_secret, totp_seed, device_key, device_group_key, device_password or "
        "refresh_token (all of them when left out)",
    )


def run(args: argparse.Namespace) -> int:
    from cognito_tui.status import Exit
    from cognito_tui.store.paths import profiles_path
    from cognito_tui.store.secrets import SecretStoreError, open_secret_store, parse_kind

    kind = None
    if getattr(args, "secrets_action", None) == "delete":
        if not args.profile.strip():
            print("cognito-tui secrets delete: PROFILE must not be empty", file=sys.stderr)
            return Exit.USAGE
        if args.kind is not None:
            try:
                kind = parse_kind(args.kind)
            except ValueError as e:
                print(f"cognito-tui secrets delete: {e}", file=sys.stderr)
                return Exit.USAGE
    path = profiles_path(getattr(args, "config", None))
    choice = open_secret_store(path.parent)
    choice.announce()
    store = choice.store
    try:
        if getattr(args, "secrets_action", None) == "delete":
            return _delete(store, args.profile, kind)
        return _list(store, path)
    except SecretStoreError as e:
        print(f"cognito-tui secrets: {e}", file=sys.stderr)
        return Exit.REFUSED


def _list(store, path) -> int:
    from cognito_tui.store.profiles import load_profiles

    print(f"backend: {store.name}")
    pairs = store.list()
    if not pairs:
        print("no secrets saved")
        return 0
    loaded = load_profiles(path)
    known = {p.name for p in loaded.profiles}
    width = max(len("PROFILE"), *(len(p) for p, _ in pairs))
    print(f"{'PROFILE':<{width}}  KIND")
    for profile, kind in pairs:
        orphan = loaded.writable and profile not in known and profile.rsplit("@", 1)[0] not in known  # PROFILE@USER
        note = f"  (no profile of that name in {path})" if orphan else ""
        print(f"{profile:<{width}}  {kind.value}{note}")
    return 0


def _delete(store, profile: str, kind) -> int:
    from cognito_tui.status import Exit

    if kind is not None:
        if store.delete(profile, kind):
            print(f"deleted the {kind.label} of profile {profile!r} from {store.name}")
            return Exit.OK
        print(f"no {kind.label} saved for profile {profile!r} in {store.name}", file=sys.stderr)
        return Exit.REFUSED
    deleted = store.delete_profile(profile)
    if deleted:
        print(f"deleted from {store.name}, for profile {profile!r}: {', '.join(k.label for k in deleted)}")
        return Exit.OK
    print(f"no secrets saved for profile {profile!r} in {store.name}", file=sys.stderr)
    return Exit.REFUSED
