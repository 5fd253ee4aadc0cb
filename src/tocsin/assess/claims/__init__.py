"""Claims across documents: statements, their relations, corroboration and contradiction."""
