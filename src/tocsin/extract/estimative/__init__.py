"""Estimative language: judgments with their ICD 203 likelihood, holder and deadline."""
