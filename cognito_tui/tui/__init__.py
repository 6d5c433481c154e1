"""Everything Textual: the app (a composition root), the main screen, panes that own their workers.

May import: core, aws, store, sandbox, and Textual/Rich. Nothing imports it but `commands.tui`.
"""
