"""A loopback HTTP server that misbehaves on purpose, for the gateway's and `login`'s fault tests."""
