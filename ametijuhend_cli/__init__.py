"""ametijuhend: job descriptions of Estonian public agencies as code."""

__version__ = "0.1.0"
