"""cognito-tui: walk Amazon Cognito user-pool sign-ins step by step."""

__version__ = "0.1.0"
