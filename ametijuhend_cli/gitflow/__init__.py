"""The git workflow: sources at a revision, change summaries, DOCX textconv, impact."""
