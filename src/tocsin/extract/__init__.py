"""Extraction stages: from a Document to its annotations (places, actors, times, attributions)."""
