"""The text area and what lives in it: the live suggestion, highlighting, spell check, counts."""
