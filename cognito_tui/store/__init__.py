"""What cognito-tui keeps between runs: profiles (YAML), secrets (OS keyring or memory), file paths.

May import: core, and third-party yaml, keyring, platformdirs. Not aws, sandbox, tui or commands.

Modules: `paths` (where files live, atomic writes, the save lock, private dirs), `profiles` (load,
save, ProfileBook) over `profile_model` (the dataclasses and errors) and `profile_checks` (field by
field validation), `secrets` (SecretStore over keyring with timeouts, MemoryStore,
open_secret_store), `history`, `cli_json` (AWS CLI --cli-input-json import and export). YAML is read
through core.yamltree. Imports core only; importing this package imports none of its modules.
"""
