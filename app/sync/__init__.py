"""The client side of the city platform: HTTP with retries, credentials, tus uploads, downloads.

Transport only: what to push and how to apply what comes back is decided in
``app.services.sync_run``, which the window and the command line share.
"""
