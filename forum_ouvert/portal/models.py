"""The top floor has no tables of its own."""
