"""Workflow definition files shipped with infoview (read with importlib.resources)."""
