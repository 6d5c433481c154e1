from cognito_tui.cli import main

raise SystemExit(main())
