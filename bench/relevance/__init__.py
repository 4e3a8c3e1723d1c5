"""Relevance benchmark: labelled query sets per task, split into tuning and reporting halves, scored per mode."""
