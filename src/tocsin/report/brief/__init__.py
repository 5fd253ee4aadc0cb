"""Analysts' briefs: gathering evidence, writing sections, rendering."""
