"""The embedded sandbox: a local Cognito (moto's storage, our auth layer) that runs every flow.

May import: core, and third-party moto, boto3/botocore, yaml, joserfc, gmpy2. Not aws, store, tui or commands.

    from cognito_tui.sandbox import Sandbox, load_seed, SeedError

Importing this package is cheap; `Sandbox.start()` imports moto. See `server.py` for the API and
`demo_seed.yaml` for the demo users.
"""

from cognito_tui.sandbox.seed import SeedError, load_seed
from cognito_tui.sandbox.server import Sandbox

__all__ = ["DEFAULT_PORT", "Sandbox", "SeedError", "load_seed"]

DEFAULT_PORT = 4590  # `cognito-tui sandbox` listens here unless told otherwise
