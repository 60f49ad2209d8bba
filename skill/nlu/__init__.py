"""Text to intent: hassil templates, expanded once, matched strictly then fuzzily."""
