"""`python -m tui` runs the same command as `qa-reader`."""

from tui.cli import main

raise SystemExit(main())
