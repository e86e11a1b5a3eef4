"""The seed's Lambda validate_new_file, on a local file instead of an S3 object, for the benchmark.

    python seed_validate_new_file.py <csv path>

Like the Lambda it reads the whole file into memory, parses it with pandas.read_csv and runs the same
checks; the S3 copy, delete and SNS alert are left out. Prints one JSON line: rows, errors, seconds
(the read and the checks, not Python's start-up), peak RSS and the versions used.
"""
import json
import resource
import sys
import time
from io import BytesIO

import pandas as pd
import pyarrow


def validate(body: bytes) -> tuple[int, list[str], str]:
    df = pd.read_csv(BytesIO(body))
    errors = []

    required_cols = ['order_id', 'customer_id', 'order_date', 'order_amount']
    missing_cols = [col for col in required_cols if col not in df.columns]
    if missing_cols:
        errors.append(f"Missing columns: {missing_cols}")

    null_counts = df[required_cols].isnull().sum()
    if null_counts.any():
        errors.append(f"Null values found: {null_counts.to_dict()}")

    if not pd.api.types.is_numeric_dtype(df['order_amount']):
        errors.append("order_amount must be numeric")

    # pandas 3 keeps strings in pyarrow when it is installed; 'python' would mean the slow path.
    dtype = df['order_id'].dtype
    return len(df), errors, getattr(dtype, 'storage', str(dtype))


def main() -> None:
    started = time.perf_counter()
    with open(sys.argv[1], 'rb') as file:
        body = file.read()  # the Lambda's obj['Body'].read()
    rows, errors, string_storage = validate(body)
    seconds = time.perf_counter() - started
    print(json.dumps({
        'rows': rows,
        'errors': errors,
        'seconds': seconds,
        # ru_maxrss is in KiB on Linux.
        'peakRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        'pandas': pd.__version__,
        'pyarrow': pyarrow.__version__,
        'stringStorage': string_storage,
    }))


if __name__ == '__main__':
    main()
