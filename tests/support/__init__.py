"""Support code shared by tests: throw-away real servers and network fault injection."""
