"""Whole documents without Qt: files on disk, recovery copies, diffs, review passes, long summaries."""
