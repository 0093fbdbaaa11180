"""The benchmark: realistic data at scale, the app served the production way, and a load generator."""
