"""Use cases shared by the window and the command line; neither holds business rules."""
