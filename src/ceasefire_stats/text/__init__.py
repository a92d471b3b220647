"""Text helpers: numerals and number words."""
