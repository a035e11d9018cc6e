"""Screens pushed over the reader: bookmarks, search, help."""
