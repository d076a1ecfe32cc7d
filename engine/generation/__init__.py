"""Turning a prompt into tokens and tokens into text: the decoding loops and their shared rules."""
