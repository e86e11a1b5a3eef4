#!/bin/sh
# Starts a child that sleeps, writes "<own pid> <child pid>" to the file after --pid_file, and waits forever.
while [ $# -gt 0 ]; do
  if [ "$1" = "--pid_file" ]; then pid_file=$2; fi
  shift 2
done
sleep 600 &
echo "$$ $!" > "$pid_file.tmp" && mv "$pid_file.tmp" "$pid_file"
wait
