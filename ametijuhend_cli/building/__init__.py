"""The build run: incremental decisions, the worker pipeline, the manifest, atomic outputs."""
