"""slidegen: one YAML outline of a class → deck, handout and bibliography in every language."""

__version__ = "0.1.0"  # the package's version (pyproject.toml reads it from here)

__all__ = ["__version__"]
