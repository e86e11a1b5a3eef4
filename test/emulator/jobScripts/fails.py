"""Writes more than Glue's ErrorMessage keeps to stderr, ending with the error that matters, and exits 1."""
import sys

print("reading the input")

for line in range(100):
    print(f"progress line {line}: reading part {line} of the input", file=sys.stderr)
print("ValueError: no CSV files under s3://etl-data-lake/validated/orders/2024-01-15/", file=sys.stderr)
sys.exit(1)
