"""Who says so: attributions of statements to their holders."""
