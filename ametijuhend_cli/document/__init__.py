"""Models to the document view the renderers read: references, other positions, units."""
