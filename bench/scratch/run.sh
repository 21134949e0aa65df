#!/bin/bash
# usage: run.sh <name> <cmd...>  : starts target on CPU0, loads from CPU1, prints rps and CPU us/req
name=$1; shift
taskset -c 0 "$@" > /tmp/pb-$name.out 2>&1 &
pid=$!
for i in $(seq 1 50); do grep -q ready /tmp/pb-$name.out 2>/dev/null && break; sleep 0.2; done
port=$(grep -o 'ready.*' /tmp/pb-$name.out | head -1)
# find the node pid listening (tsx spawns a child)
sleep 0.5
tpid=$(pgrep -P $pid -f node | head -1); [ -z "$tpid" ] && tpid=$pid
child=$(pgrep -P $tpid | head -1); [ -n "$child" ] && tpid=$child
read u1 s1 < <(awk '{print $14, $15}' /proc/$tpid/stat)
out=$(taskset -c 1 node load.mjs "$URL" ${DUR:-8})
read u2 s2 < <(awk '{print $14, $15}' /proc/$tpid/stat)
total=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
ticks=$(( (u2-u1) + (s2-s1) ))
echo "$name $out cpu_us_per_req=$(python3 -c "print(round($ticks*10000/$total,1))")"
kill $pid 2>/dev/null; pkill -P $pid 2>/dev/null; sleep 0.5
