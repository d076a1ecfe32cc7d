"""The window's logic without its widgets: documents on disk, models, suggestions, the review pass."""
