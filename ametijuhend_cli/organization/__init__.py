"""The organization as a whole: cross-position checks, library hygiene, reviews, list, report."""
