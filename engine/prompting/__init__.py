"""From an operation to the text the model sees, and from its answer to text ready to insert."""
