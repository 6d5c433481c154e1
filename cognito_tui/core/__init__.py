"""The headless engine: flows and challenges as data, the walk, SRP, errors, tokens, OAuth steps, exports.

May import: the standard library only, and nothing else of cognito_tui (import-linter enforces it).
The TUI, `login`, `scenarios` and the tests all drive it; the network is a transport they hand in.
"""
