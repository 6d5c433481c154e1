"""What cognito-tui keeps between runs: profiles (YAML), secrets (OS keyring or memory), file paths.

Modules: `paths` (where files live, atomic writes), `profiles` (load, validate, save, ProfileBook),
`secrets` (SecretStore over keyring, MemoryStore, open_secret_store), `cli_json` (AWS CLI
--cli-input-json import and export). Importing this package imports none of them.
"""
