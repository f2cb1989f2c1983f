"""The board conformance suite: docs/protocol.md checked on a serial port, no MQTT.

``roverops hil-check --port DEVICE`` runs :func:`hil.conformance.runner.run_suite` and prints
the table; it passes only if every check does.
"""
