"""Cleaners: one module per source, pure functions from raw files to tidy tables and a ledger."""
