"""Shared fixtures. Notification receivers live in tests/receivers.py."""
pytest_plugins = ["receivers"]
