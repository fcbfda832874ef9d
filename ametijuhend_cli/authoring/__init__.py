"""Writing sources for people: new positions, the commented YAML writer, schemas, format docs."""
