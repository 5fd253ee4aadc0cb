"""Event reports merged into events across documents."""
