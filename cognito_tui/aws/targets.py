"""Gateways by target: one boto3 session and client per (Region, endpoint, AWS profile, timeouts).

The TUI and `login` both open gateways here, from the request model's `Target`; the cache makes a
walk, a pre-flight and a discovery on the same target share one gateway instead of a session each.
"""

from __future__ import annotations

import threading

from cognito_tui.aws.gateway import Gateway, GatewayConfig, RetryListener
from cognito_tui.core.request import Target


def open_gateway(target: Target, user_pool_id: str | None = None, on_retry: RetryListener | None = None) -> Gateway:
    """A new gateway for `target` (raises the core's TransportError when it cannot be built)."""
    config = GatewayConfig(
        region=target.region,
        endpoint_url=target.endpoint_url,
        aws_profile=target.aws_profile,
        connect_timeout=target.connect_timeout,
        read_timeout=target.read_timeout,
    )
    return Gateway(config, user_pool_id=user_pool_id, on_retry=on_retry)


class GatewayCache:
    """One gateway per target, built on first use (call it from a worker thread: boto3 is slow)."""

    def __init__(self, on_retry: RetryListener | None = None) -> None:
        self._lock = threading.Lock()
        self._gateways: dict[Target, Gateway] = {}
        self.on_retry = on_retry  # every gateway's retries, as each starts (the TUI routes them to the caller)

    def get(self, target: Target) -> Gateway:
        with self._lock:
            gateway = self._gateways.get(target)
            if gateway is None:
                gateway = self._gateways[target] = open_gateway(target, on_retry=self.on_retry)
            return gateway
