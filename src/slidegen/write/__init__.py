"""Write: the plan drawn as files — deck, handouts, HTML; no writer reaches behind the plan."""
