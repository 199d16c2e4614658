"""Capture devices: scanners, document cameras, card readers, resident ID readers, signature pads.

Each device family has an interface (``scanner``, …), real backends (SANE, TWAIN, UVC,
PC/SC, the ID readers' serial protocol and vendor library) and a simulated twin for demo and
training. Every call into a device runs on that device's own :class:`~app.devices.worker.DeviceWorker`
with a timeout, so a hung driver cannot freeze the window. Devices import only ``store`` and
``core``: ``services`` wires scanned pages into the page pipeline.
"""
