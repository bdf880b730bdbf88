"""The command line: one thin sub-command module per capability."""
