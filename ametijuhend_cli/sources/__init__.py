"""Files to validated models: decoding, YAML with line:col for each value, project, templates."""
