"""Models of this part of the participation floor."""
