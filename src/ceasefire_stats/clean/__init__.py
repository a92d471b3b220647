"""Cleaners: one module per source, pure functions from raw frames to tidy tables + ledger."""
