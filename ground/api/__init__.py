"""HTTP API v1 of the ground console."""
