"""``python -m tocsin`` is the ``tocsin`` command."""

from tocsin.cli.main import main

main()
