"""The weekly digest: content for a subscriber and the messages that carry it."""
