"""The emulated rover: flight-software logic (pure) over a physics model (pure), with two thin
I/O shells: :mod:`rover_fw_sim.service` on the message bus and :mod:`rover_fw_sim.serial_link`
on a serial port or pty, as a stand-in board.

::

    flight.FlightSoftware   TC acceptance, ST[01] verification, modes, counters, HK, events
      acceptance            parse and validate a TC against the dictionary
      activities            instrument runs: durations, loads, what they report
      requests              execute-once memory of recent request ids
      nvm                   what survives a reset, written through; nvm_sqlite: in a file
      telemetry             TM sequence count and message-type counters
      housekeeping          when each ST[03] structure is due (rover wall clock)
    physics.RoverPhysics    the world the software acts on
      kinematics            pose, drives and turns on mission time
      terrain               seeded hazards
      power, thermal        solar arrays, battery, temperatures over the sol
    host.FlightHost         what both shells share: on-board clock, steady tick, ordered outbox
    service.RoverEmulator   on the bus (MQTT)
    serial_link.SerialRover on a serial line (a device or a pty, opened by the caller)
"""
