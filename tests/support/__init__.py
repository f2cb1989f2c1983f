"""Test helpers: a real Mosquitto, an in-memory bus, and waiting on conditions with deadlines."""
