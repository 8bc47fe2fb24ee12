"""Resolve: one edition of a class — one language, citations and references rendered."""
