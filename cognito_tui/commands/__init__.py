"""The subcommands: tui, login (and its OAuth and export parts), sandbox, secrets, scenarios, history.

May import: tui (only `commands.tui`), aws, store, sandbox, core. Never `cli.py`; the headless ones
(login, sandbox, secrets, scenarios, history) load no Textual, even indirectly (import-linter checks it).
"""
