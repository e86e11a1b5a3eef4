"""Writes the argv and S3 settings it was started with to --report_file, then exits 0 once --release_file exists."""
import json
import os
import sys
import time

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
with open(args["--report_file"], "w") as report:
    json.dump({"argv": sys.argv[1:], "s3Endpoint": os.environ.get("AWS_ENDPOINT_URL_S3"), "region": os.environ.get("AWS_REGION")}, report)
while not os.path.exists(args["--release_file"]):
    time.sleep(0.05)
