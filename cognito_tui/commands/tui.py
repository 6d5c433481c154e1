"""`cognito-tui` (no subcommand): the app. Textual is imported here, after argv is parsed."""

from __future__ import annotations

import argparse
import gc
import os
import sys


def run(args: argparse.Namespace) -> int:
    from cognito_tui import accel
    from cognito_tui.store.paths import settings_path
    from cognito_tui.tui.app import AppConfig, make_app
    from cognito_tui.tui.services import make_services
    from cognito_tui.tui.settings import load_settings

    accel.enable()  # gmpy2 for the SRP maths (loaded on first use, off the first frame's path)
    settings, problem = load_settings(settings_path(args.config))
    if problem:
        print(f"cognito-tui: {problem}", file=sys.stderr)
    config = AppConfig(
        config_path=args.config,
        sandbox=args.sandbox,
        profile=args.profile,
        settings=settings,
        present=getattr(args, "present", False),
        scenarios=getattr(args, "scenarios", None),
        exit_after_first_frame=bool(os.environ.get("COGNITO_TUI_EXIT_AFTER_FIRST_FRAME")),
    )
    services = make_services(args.config, sandbox=args.sandbox)
    app = make_app(services, config)
    try:
        app.run()
    finally:
        services.shutdown()
        # The process ends next: keep boto3's and moto's object graph out of the final collection, which
        # kept the process alive 2-5 s after ctrl+q had cleared the screen (issue 9.1).
        gc.freeze()
    return app.return_code or 0
