"""Sourcing quality of a document: named, anonymous and hedged sources."""
