"""Layout: an edition and a theme in, the plan every writer draws out."""
