"""The ``mcred`` command line: the typer app (app), one module per command or command group, and the
options and helpers they share (common). Parse options, call the library, print, return an exit code.
"""
