"""slidegen: one YAML outline of a class → deck, handout and bibliography in every language."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("slidegen")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
