"""Tests for ceasefire_stats (a package so conftest module names never collide)."""
