"""References: formatted with CSL styles by pandoc's citeproc; imported and exported."""
