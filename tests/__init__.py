"""Tests for the indexer and the service."""
