#!/bin/sh
# The sample orders job, held back until the file named after --release_file exists: the drill decides when the
# run may finish. Glue's arguments go on to the job, which ignores the one it does not know.
root=$(cd "$(dirname "$0")/../../.." && pwd)
release_file=
previous=
for argument in "$@"; do
  if [ "$previous" = "--release_file" ]; then release_file=$argument; fi
  previous=$argument
done
if [ -z "$release_file" ]; then echo "heldSampleJob.sh needs --release_file <path>" >&2; exit 2; fi
while [ ! -e "$release_file" ]; do sleep 0.1; done
exec "$root/.local/venv/bin/python" "$root/jobs/orders/transform_orders.py" "$@"
