"""Tests of ceasefire_stats.clean (one module per cleaner)."""
