"""The simulated deep-space link between Earth and Mars: the environment between the two ends.

The relay (:mod:`deepspace.relay`) holds every packet for the one-way light time, in order, on
a delay line (:mod:`deepspace.delay_line`), with a journal (:mod:`deepspace.journal`) so that
a restart delays packets in flight but loses none. It imports only :mod:`spacelink`.
"""
