"""Capture devices: scanners, document cameras, card readers, resident ID readers, signature pads.

Each device family has an interface (``scanner``, ``card_reader``, …), real backends (SANE,
TWAIN, UVC, PC/SC, the ID readers' serial protocol and vendor library) and a simulated twin for
demo and training, all built on :class:`~app.devices.device.Device`. Every call into a device
runs with a timeout on that device's one :class:`~app.devices.worker.DeviceWorker`, kept per
device name for the whole process, so a hung driver cannot freeze the window and a device stuck
in its driver stays refused, whoever opens it next. Devices import only ``store`` and ``core``:
``services`` wires scanned pages into the page pipeline.
"""
