"""Import existing job descriptions (DOCX, or text extracted from a PDF) as position YAML."""

from ametijuhend_cli.importer.run import Importer, Outcome, import_files

__all__ = ["Importer", "Outcome", "import_files"]
