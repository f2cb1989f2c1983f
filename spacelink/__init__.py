"""The roverops contract: packets, dictionary, topics, framing, time and light time.

Pure: bytes and objects in, bytes and objects out. Nothing here opens a socket, a port or
starts an event loop; the I/O shells in ``ground``, ``rover_fw_sim`` and ``hil`` do that.
"""
