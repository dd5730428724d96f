"""pv: separation-logic syntax, parser and printer."""
