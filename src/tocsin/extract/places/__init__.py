"""Places: mentions found, resolved against the gazetteer, with ACLED precision."""
