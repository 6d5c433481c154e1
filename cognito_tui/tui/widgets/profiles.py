"""The side list of profiles (saved ones and the sandbox's demos) and what can be done to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ListItem, ListView, Static

from cognito_tui.core.problem import Problem
from cognito_tui.core.redact import Secret
from cognito_tui.core.request import RequestFields
from cognito_tui.tui import messages as m
from cognito_tui.tui.threads import off_thread

if TYPE_CHECKING:
    from cognito_tui.tui.services import Services

DEMO_PREFIX = "demo: "


@dataclass
class ProfileEntry:
    """A profile in the side list: a saved one, or a sandbox demo (held in memory only)."""

    name: str
    fields: RequestFields
    demo: bool = False
    secrets: dict[str, Secret] = field(default_factory=dict)
    description: str = ""
    sandbox: bool = False  # its endpoint is the embedded sandbox (a demo, or saved with `endpoint_url: sandbox`)


def demo_entries(info: dict[str, Any]) -> list[ProfileEntry]:
    """One profile per demo user of a sandbox's describe() (its seed: no server needed)."""
    out = []
    for pool in info["pools"]:
        clients = {c["name"]: c for c in pool["clients"]}
        for user in pool["users"]:
            client = clients.get(user.get("client") or "") or pool["clients"][0]
            secrets = {"password": Secret(user["password"])}
            if client.get("secret"):
                secrets["client_secret"] = Secret(client["secret"])
            if user.get("totp_secret"):
                secrets["totp_seed"] = Secret(user["totp_secret"])
            fields = RequestFields(
                endpoint_url=info["endpoint_url"] or "",
                region=info["region"],
                user_pool_id=pool["id"],
                client_id=client["id"],
                auth_flow=user.get("flow") or "USER_SRP_AUTH",
                username=user.get("alias") if user.get("scenario") == "srp_alias" else user["username"],
            )
            name = f"{DEMO_PREFIX}{user.get('scenario', user['username'])} ({user['username']})"
            description = user.get("description", "")
            out.append(ProfileEntry(name, fields, demo=True, secrets=secrets, description=description, sandbox=True))
    return out


def _label(entry: ProfileEntry) -> str:
    """The list's text: a demo as 'scenario (user)' marked dim, so most fit on one row of a narrow panel."""
    if entry.demo:
        return f"[dim]◇[/] {escape(entry.name.removeprefix(DEMO_PREFIX))}"
    return escape(entry.name)


class ProfilesPane(Vertical):
    """Lists profiles, posts ProfileChosen on Enter; saves, renames, duplicates and deletes them."""

    DEFAULT_CSS = """
    ProfilesPane { height: 1fr; }
    ProfilesPane #profiles { height: 1fr; }
    ProfilesPane #profile-note { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, services: Services, **kw) -> None:
        super().__init__(**kw)
        self.services = services
        self.demos: list[ProfileEntry] = []
        self.entries: list[ProfileEntry] = []
        self.current: ProfileEntry | None = None

    def compose(self) -> ComposeResult:
        yield Static("Profiles [dim](F12)[/]", id="profiles-title")
        yield ListView(id="profiles")
        yield Static("", id="profile-note")

    # --- the list ---------------------------------------------------------------------------------

    @work(exclusive=True, group="store", exit_on_error=False, description="loading profiles")
    async def load_store(self) -> None:
        await off_thread(self.services.load_store)
        self.rebuild()
        self.post_message(m.StoreLoaded())

    def set_demos(self, info: dict[str, Any]) -> None:
        self.demos = demo_entries(info)
        self.rebuild()

    def rebuild(self) -> None:
        saved = [self._entry(profile) for profile in self.services.book.profiles] if self.services.book else []
        view = self.query_one("#profiles", ListView)
        index = view.index
        self.entries = self.demos + saved
        if self.current is not None:  # the same profile, its fields as read now (the sandbox's URL once it runs)
            same = (e for e in self.entries if e.name == self.current.name and e.demo == self.current.demo)
            self.current = next(same, self.current)
        view.clear()
        view.extend(ListItem(Static(_label(e))) for e in self.entries)
        if self.entries:  # the first one highlighted; keys pressed before the list grew still count
            view.index = min(index or 0, len(self.entries) - 1)
        note = self.query_one("#profile-note", Static)
        if not self.entries and self.services.book is not None and self.services.sandbox is None:
            note.update("No profiles yet: fill the form, ctrl+n saves it.")
        elif self.current is None:
            note.update("")

    def _entry(self, profile) -> ProfileEntry:
        """A saved profile's entry; `endpoint_url: sandbox` resolved to the running sandbox's URL (when it runs)."""
        from cognito_tui.store.profile_model import SANDBOX_ENDPOINT
        from cognito_tui.store.request_fields import fields_of_profile

        fields = fields_of_profile(profile)
        on_sandbox = fields.endpoint_url == SANDBOX_ENDPOINT
        running = self.services.sandbox.running if self.services.sandbox is not None else None
        if on_sandbox and running is not None:
            fields.endpoint_url = running.endpoint_url or ""
        return ProfileEntry(profile.name, fields, description=profile.notes or "", sandbox=on_sandbox)

    def focus_list(self) -> None:
        """F12: back to the list from any field or tab (tab and shift+tab also reach it)."""
        self.query_one("#profiles", ListView).focus()

    def select_named(self, name: str) -> bool:
        for index, entry in enumerate(self.entries):
            if entry.name == name or entry.name.startswith(f"{DEMO_PREFIX}{name} "):
                self.query_one("#profiles", ListView).index = index
                self.choose(entry)
                return True
        return False

    @on(ListView.Selected, "#profiles")
    def _selected(self, event: ListView.Selected) -> None:
        index = self.query_one("#profiles", ListView).index
        if index is not None and 0 <= index < len(self.entries):
            self.choose(self.entries[index])

    def choose(self, entry: ProfileEntry) -> None:
        self.mark_current(entry)
        self.post_message(m.ProfileChosen(entry))

    def mark_current(self, entry: ProfileEntry) -> None:
        """The entry the app works with, highlighted and described (the form is left as it is)."""
        self.current = entry
        note = entry.description
        if entry.demo and "totp_seed" in entry.secrets:
            note += " The seed is kept with this demo profile: ctrl+t types the current code."
        if entry.sandbox and not entry.demo and self.services.sandbox is None:
            note = f"Saved on the sandbox (endpoint_url: sandbox): start cognito-tui --sandbox to use it. {note}"
        self.query_one("#profile-note", Static).update(escape(note.strip()))
        for index, listed in enumerate(self.entries):
            if listed.name == entry.name:
                self.query_one("#profiles", ListView).index = index

    def secrets_of(self, entry: ProfileEntry | None) -> dict[str, Secret]:
        """The entry's secrets: a demo's in memory, a saved one's from the secret store."""
        if entry is None:
            return {}
        if entry.demo:
            return dict(entry.secrets)
        store = self.services.secret_store
        if store is None:
            return {}
        from cognito_tui.store.request_fields import stored_secrets

        try:
            return stored_secrets(store, entry.name)
        except Exception as exc:  # a keyring that stopped answering: say it, go on without
            self.notify(str(exc), severity="warning")
            return {}

    # --- saving and editing -----------------------------------------------------------------------

    def save(self, fields: RequestFields, extra_secrets: dict[str, Secret]) -> None:
        """Ask for a name, then save `fields` (and, if ticked, the typed secrets) as a profile."""
        from cognito_tui.tui.screens.dialogs import SaveProfileScreen

        if self.services.book is None:
            self.notify("Profiles are still loading.", severity="warning")
            return
        suggested = self.current.name.removeprefix(DEMO_PREFIX).split(" ")[0] if self.current else ""
        store = self.services.secret_store
        keyring = store.name if store is not None and store.persistent else None
        dialog = SaveProfileScreen(suggested, check=self._name_problem, keyring=keyring)
        self.app.push_screen(dialog, lambda answer: self._save(answer, fields, extra_secrets))

    @staticmethod
    def _name_problem(name: str) -> str | None:
        """Said in the dialog, which stays open: an empty or unusable name is not saved silently (or at all)."""
        from cognito_tui.store.profile_checks import name_problem

        if not name:
            return "Give the profile a name (e.g. my-pool-alice); escape cancels."
        if name.startswith(DEMO_PREFIX):
            return f"Names starting with {DEMO_PREFIX!r} are the sandbox's demo profiles: choose another."
        problem = name_problem(name)
        return f"The name {problem}." if problem else None

    def _save(self, answer, fields: RequestFields, extra_secrets: dict[str, Secret]) -> None:
        from dataclasses import replace

        from cognito_tui.store.profile_model import SANDBOX_ENDPOINT
        from cognito_tui.store.profiles import ProfileError
        from cognito_tui.store.request_fields import profile_from_fields
        from cognito_tui.store.secrets import SecretKind

        if not answer:
            return
        name, save_secrets = answer
        book, store = self.services.book, self.services.secret_store
        assert book is not None
        if self.services.on_sandbox(fields.endpoint_url):  # its port is new each run: saved as "the sandbox"
            fields = replace(fields, endpoint_url=SANDBOX_ENDPOINT)
        try:
            profile = profile_from_fields(name, fields)
            if book.get(name) is not None:
                book.update(name, profile)
            else:
                book.add(profile)
            book.save()
        except (ProfileError, OSError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=15)
            return
        stored, failure = [], None
        if save_secrets and store is not None:
            wanted = [(k, v) for k, v in (("password", fields.password), ("client_secret", fields.client_secret)) if v]
            try:
                for kind, value in [*wanted, *extra_secrets.items()]:
                    store.set(name, SecretKind(kind), value.value)
                    stored.append(SecretKind(kind).label)
            except Exception as exc:  # the keyring refused: the profile is saved, the rest of the secrets are not
                failure = exc.text() if isinstance(exc, Problem) else str(exc)
        self.rebuild()
        saved = next((e for e in self.entries if e.name == name and not e.demo), None)
        if saved is not None:  # the form keeps what was typed (a password not stored is not wiped)
            self.mark_current(saved)
        self._say_saved(name, save_secrets, stored, failure)

    def _say_saved(self, name: str, asked: bool, stored: list[str], failure: str | None) -> None:
        """Say exactly where the secrets went: the keyring, memory for this session, or nowhere and why."""
        store = self.services.secret_store
        if not asked:
            where = "no secrets stored (not asked to)"
        elif store is None:
            where = "secrets not stored: there is no secret store"
        elif not stored:
            where = "" if failure else "no secrets to store (none typed)"
        elif store.persistent:
            where = f"{', '.join(stored)} stored in {store.name}"
        else:
            where = f"{', '.join(stored)} kept in memory for this session only (no keyring: gone when the app quits)"
        if failure is not None:
            kept = f"; {where}; the rest were" if where else "; its secrets were"
            detail = f"Saved {name!r} (the profile){kept} NOT stored: {failure}"
            self.notify(escape(detail), title="Secrets not saved", severity="error", timeout=15)
            return
        in_memory = asked and stored and store is not None and not store.persistent
        self.notify(escape(f"Saved {name!r}; {where}"), severity="warning" if in_memory else "information")

    def _saved_entry(self) -> ProfileEntry | None:
        entry = self.current
        if entry is None or entry.demo:
            self.notify(
                "Pick a saved profile first (demo profiles live in memory; ctrl+n saves one).", severity="warning"
            )
            return None
        return entry

    def rename(self) -> None:
        from cognito_tui.tui.screens.dialogs import TextPrompt

        entry = self._saved_entry()
        if entry:
            self.app.push_screen(
                TextPrompt(f"Rename {entry.name!r} to", entry.name), lambda new: self._op("rename", entry.name, new)
            )

    def duplicate(self) -> None:
        from cognito_tui.tui.screens.dialogs import TextPrompt

        entry = self._saved_entry()
        if entry:
            self.app.push_screen(
                TextPrompt(f"Duplicate {entry.name!r} as", f"{entry.name}-copy"),
                lambda new: self._op("duplicate", entry.name, new),
            )

    def delete(self) -> None:
        from cognito_tui.tui.screens.dialogs import Confirm

        entry = self._saved_entry()
        if entry:
            self.app.push_screen(
                Confirm(f"Delete profile {entry.name!r} and its stored secrets?"),
                lambda ok: self._op("delete", entry.name, None) if ok else None,
            )

    def _op(self, op: str, name: str, new: str | None) -> None:
        from cognito_tui.store.profiles import ProfileError

        book = self.services.book
        if book is None or (op != "delete" and not new):
            return
        try:
            if op == "rename":
                book.rename(name, new or "")
            elif op == "duplicate":
                book.duplicate(name, new or "")
            else:
                book.delete(name)
            book.save()
        except (ProfileError, OSError) as exc:
            self.notify(str(exc), title=f"{op} failed", severity="error", timeout=15)
            return
        self.current = None
        self.rebuild()
        if new:
            self.select_named(new)
        self.notify(f"{op}: done")

    def show_yaml(self) -> None:
        from cognito_tui.tui.screens.dialogs import TextView

        book = self.services.book
        if book is not None:
            self.app.push_screen(
                TextView(f"{book.path} — as it will be written", book.as_yaml() or "# no profiles yet\n")
            )

    def show_secrets(self) -> None:
        from cognito_tui.tui.screens.dialogs import SecretsScreen

        if self.services.secret_store is not None:
            self.app.push_screen(SecretsScreen(self.services.secret_store))
