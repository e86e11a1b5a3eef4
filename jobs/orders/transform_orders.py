"""Glue job transform-orders: the orders pipeline's daily transform, in Python with pyarrow and boto3.

Reads every CSV file directly under --source_path (the date's validated/ folder; names starting with "_" or
"." are skipped, as Spark skips them), keeps the completed orders, casts order_amount to decimal(18,2), drops
duplicate order ids (the first one read is kept), adds processed_at (one UTC timestamp for the run), and
writes ONE Parquet file under --target_path (the date's processed folder).

The Parquet columns, in this order (Redshift's COPY matches Parquet columns by position, so the pipeline's
redshift.copy.columns lists the same):

    order_id, customer_id, order_amount, product_id, created_at, processed_at

There is no order_date column: as with Spark's partitionBy("order_date"), the Hive-style folder name
order_date=<date>/ holds it, and the load supplies it. created_at and processed_at are UTC timestamps
(created_at values without a zone are taken as UTC); order_status is only filtered on, not written.

Arguments come in Glue's form (script --JOB_NAME transform-orders --source_path s3://... ...); S3 is reached
through boto3's usual settings, so the local stack points it at its S3 with AWS_ENDPOINT_URL_S3. Errors are
written to stderr and the job exits non-zero, which fails the Glue run with that message.
"""

import argparse
import io
import sys
from datetime import datetime, timezone
from urllib.parse import urlparse

import boto3
import botocore.exceptions
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import pyarrow.parquet as pq

COMPLETED = "completed"
OUTPUT_SCHEMA = pa.schema(
    [
        ("order_id", pa.string()),
        ("customer_id", pa.string()),
        ("order_amount", pa.decimal128(18, 2)),
        ("product_id", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
        ("processed_at", pa.timestamp("us", tz="UTC")),
    ]
)
INPUT_COLUMNS = ["order_id", "customer_id", "order_status", "order_amount", "product_id", "created_at"]
# A zone at the end of a timestamp: Z, +HH, +HHMM or +HH:MM (the forms the file contract accepts).
ZONE_SUFFIX = r"(Z|[+-]\d{2}(:?\d{2})?)$"


class JobError(Exception):
    """A problem with the job's input or arguments, reported in one line."""


def job_arguments(argv):
    """The job's own arguments; Glue's (--JOB_NAME, --JOB_RUN_ID, ...) and the orchestrator's run key are accepted too."""
    parser = argparse.ArgumentParser(description="The orders pipeline's daily transform.")
    parser.add_argument("--JOB_NAME", default="transform-orders")
    parser.add_argument("--JOB_RUN_ID", default="local")
    parser.add_argument("--source_path", required=True, help="s3:// folder of the date's validated CSV files")
    parser.add_argument("--target_path", required=True, help="s3:// folder the Parquet file is written to")
    args, _others = parser.parse_known_args(argv)
    return args


def s3_folder(url, argument):
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc or not url.endswith("/"):
        raise JobError(f"{argument} must be an s3:// folder ending in '/', got {url!r}")
    return parsed.netloc, parsed.path.lstrip("/")


def csv_keys(s3, bucket, prefix):
    """The files directly under the folder, in name order, without hidden ones (_SUCCESS, .tmp files)."""
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix, Delimiter="/"):
        for item in page.get("Contents", []):
            name = item["Key"][len(prefix):]
            if name and not name.startswith(("_", ".")):
                keys.append(item["Key"])
    return sorted(keys)


def read_orders(s3, bucket, key):
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    # Every column as text: the types are the job's business, and empty fields become nulls.
    return pv.read_csv(
        io.BytesIO(body),
        convert_options=pv.ConvertOptions(
            column_types={name: pa.string() for name in INPUT_COLUMNS},
            strings_can_be_null=True,
            include_columns=INPUT_COLUMNS,
        ),
    )


def utc_timestamps(values):
    """Timestamps without a zone are UTC; those with one are converted to UTC."""
    zoned = pc.match_substring_regex(values, ZONE_SUFFIX)
    return pc.cast(pc.if_else(zoned, values, pc.binary_join_element_wise(values, "Z", "")), pa.timestamp("us", tz="UTC"))


def transform(orders, processed_at):
    completed = orders.filter(pc.equal(orders["order_status"], COMPLETED))
    # The first row read of each order id: the smallest row number per id, in the order read.
    numbered = completed.append_column("row", pa.array(range(completed.num_rows), pa.int64()))
    first_rows = numbered.group_by("order_id").aggregate([("row", "min")])["row_min"]
    unique = completed.take(pc.take(first_rows, pc.sort_indices(first_rows)))
    return pa.table(
        {
            "order_id": unique["order_id"],
            "customer_id": unique["customer_id"],
            "order_amount": pc.cast(unique["order_amount"], pa.decimal128(18, 2)),
            "product_id": unique["product_id"],
            "created_at": utc_timestamps(unique["created_at"]),
            "processed_at": pa.array([processed_at] * unique.num_rows, pa.timestamp("us", tz="UTC")),
        },
        schema=OUTPUT_SCHEMA,
    )


def run(argv):
    args = job_arguments(argv)
    source_bucket, source_prefix = s3_folder(args.source_path, "--source_path")
    target_bucket, target_prefix = s3_folder(args.target_path, "--target_path")
    s3 = boto3.client("s3")

    keys = csv_keys(s3, source_bucket, source_prefix)
    if not keys:
        raise JobError(f"no input files under {args.source_path}: validate the date's files first")
    tables = []
    for key in keys:
        try:
            tables.append(read_orders(s3, source_bucket, key))
        except (pa.ArrowInvalid, KeyError) as error:
            raise JobError(f"s3://{source_bucket}/{key} cannot be read as an orders file: {error}") from error
    orders = pa.concat_tables(tables)

    try:
        output = transform(orders, datetime.now(timezone.utc))
    except pa.ArrowInvalid as error:
        raise JobError(f"the orders under {args.source_path} do not convert: {error}") from error

    buffer = io.BytesIO()
    pq.write_table(output, buffer, compression="snappy")
    key = f"{target_prefix}part-00000-{args.JOB_RUN_ID}.snappy.parquet"
    s3.put_object(Bucket=target_bucket, Key=key, Body=buffer.getvalue())
    print(
        f"{args.JOB_NAME}: {orders.num_rows} order(s) read from {len(keys)} file(s), "
        f"{output.num_rows} completed and unique written to s3://{target_bucket}/{key}"
    )


if __name__ == "__main__":
    try:
        run(sys.argv[1:])
    except (JobError, botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
        print(f"transform_orders: {error}", file=sys.stderr)
        sys.exit(1)
