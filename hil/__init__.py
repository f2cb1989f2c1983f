"""The hardware bridge: serial <-> MQTT, the board conformance suite, the reference board
firmware and the harness that runs it simulated. Imports ``spacelink`` only."""
