"""Build: targets, fingerprints, parallel workers, the atomic commit, watch and the site."""
