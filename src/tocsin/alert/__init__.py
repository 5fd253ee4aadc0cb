"""The alert stage: assets, rules, matching, the outbox and its channels."""
