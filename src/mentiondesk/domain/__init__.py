"""Plain business types and rules. Imports nothing but the standard library."""
