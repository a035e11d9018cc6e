"""Widgets: one per module (the reading pane, the sidebar, the footnote panel, ...)."""
