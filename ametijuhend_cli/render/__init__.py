"""Renderers: a resolved DocumentView in, the bytes of one output file out."""
