"""Text foundations shared by every stage: putting strangers' text on one line."""
