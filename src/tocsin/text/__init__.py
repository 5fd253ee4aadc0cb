"""Text foundations shared by every stage: putting strangers' text on one line (plain),
case and accents folded one way (fold), phrase lists compiled into one pattern (phrases),
search words and snippets (snippets), an article told from a short report (forms)."""
