"""slidegen: one YAML outline of a class → deck, handout and bibliography in every language.

The pipeline, as the command line, the Invoke tasks, the benchmark and the tests use it::

    import slidegen
    ed = slidegen.edition("source/my-class.yaml", "pt")   # read → translate → resolve
    plan = slidegen.make_plan(ed)                          # layout: decided once
    deck = slidegen.render(plan, "pptx")                   # write: every writer draws the plan
"""

from slidegen.api import Format, edition, make_plan, references, render

__version__ = "0.1.0"  # the package's version (pyproject.toml reads it from here)

__all__ = ["__version__", "edition", "make_plan", "render", "references", "Format"]
