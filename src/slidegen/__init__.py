"""slidegen: one YAML outline of a class → deck, handout and bibliography in every language.

The pipeline, as the command line, the Invoke tasks, the benchmark and the tests use it::

    import slidegen
    ed = slidegen.edition("source/my-class.yaml", "pt")   # read → translate → resolve
    plan = slidegen.make_plan(ed)                          # layout: decided once
    deck = slidegen.render(plan, "pptx")                   # write: every writer draws the plan
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's own constant, without importing typing (see __getattr__)
if TYPE_CHECKING:
    from slidegen.api import Format, edition, make_plan, references, render

__version__ = "0.1.0"  # the package's version (pyproject.toml reads it from here)

__all__ = ["__version__", "edition", "make_plan", "render", "references", "Format"]


def __getattr__(name: str) -> object:
    """The pipeline's functions, imported when first used: the `slidegen` command imports
    this package before it knows whether a warm daemon takes the build (then none is needed)."""
    if name in __all__:
        from slidegen import api

        return getattr(api, name)
    raise AttributeError(f"module 'slidegen' has no attribute {name!r}")
