"""The network edge: the one boto3 gateway (retries, timeouts, faults), JWKS fetching, the OAuth transport.

May import: core, and third-party boto3/botocore, urllib3, PyJWT. Not store, sandbox, tui or commands.
"""
