"""Windows the writer opens on purpose: preferences, the prompt editor, recovery, the command palette."""
