"""Bars and docks around the text: the status bar, notices, the review panel."""
