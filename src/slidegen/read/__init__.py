"""Read: outline, translation, theme and course files into the typed, immutable model."""
