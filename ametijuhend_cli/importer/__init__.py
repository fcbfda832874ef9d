"""Import existing job descriptions (DOCX, or text extracted from a PDF) as position YAML."""
