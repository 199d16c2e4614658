"""The desktop window (PySide6): widgets, models and dialogs over ``app.services``.

The only package that imports Qt widgets, and only through :mod:`app.ui.qt`.
"""
