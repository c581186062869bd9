"""Funnel benchmark: a 10M-event log, our funnel beside a hand-written DuckDB query and pandas.

Run: `.venv/bin/python benchmarks/bench_funnel.py [--events N]`. The log is generated (deterministic,
DuckDB, Parquet in a temp dir), then each method runs in its own process so each peak RSS is its own.
Prints times, the ratios to the baseline, and peak memory; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ["visit", "product", "cart", "checkout", "payment", "order"]
WINDOW = 7 * 86400

GENERATE = """
SELECT setseed(0.42);
CREATE TABLE users AS
SELECT i AS uid, (random() * 180 * 86400)::BIGINT AS t0,
       ['mobile', 'desktop', 'tablet'][1 + (i % 3)::INT] AS device, random() AS r
FROM range({users}) t(i);
CREATE TABLE depth AS  -- how far each user gets: 60% see a product, 25% a cart ... 8% order
SELECT *, CASE WHEN r < 0.08 THEN 5 WHEN r < 0.10 THEN 4 WHEN r < 0.18 THEN 3
               WHEN r < 0.25 THEN 2 WHEN r < 0.60 THEN 1 ELSE 0 END AS d
FROM users;
COPY (
  SELECT 'u' || uid AS user_id, device,
         ['visit', 'product', 'cart', 'checkout', 'payment', 'order'][k + 1] AS event,
         to_timestamp(t0 + k * 600 + CASE WHEN k > 0 THEN (uid * 7919 % 259200) ELSE 0 END) AS timestamp
  FROM depth, range(6) s(k) WHERE k <= d
  UNION ALL  -- repeat visits and browsing: real logs are mostly noise
  SELECT 'u' || uid, device, ['visit', 'product'][1 + (uid % 3 = 1)::INT], to_timestamp(t0 + 3600 * (1 + uid % 48))
  FROM users WHERE uid % 3 > 0
) TO '{path}' (FORMAT parquet);
"""

OURS = """
from pathlib import Path
from assistant.funnels import compute_funnel
start = time.perf_counter()  # imports are not the funnel's cost
result = compute_funnel(Path({path!r}), {steps!r}, None, {window})
counts = [s.count for s in result.steps]
"""

BASELINE = """
import duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
start = time.perf_counter()
counts = list(con.execute('''
WITH ev AS (SELECT DISTINCT user_id AS uid, event AS ev, epoch(timestamp) AS t FROM read_parquet({path!r})),
s0 AS (SELECT uid, min(t) AS t, min(t) AS t0 FROM ev WHERE ev = 'visit' GROUP BY uid),
s1 AS (SELECT p.uid, min(e.t) AS t FROM s0 p JOIN ev e USING (uid) WHERE e.ev = 'product' AND e.t >= p.t AND e.t <= p.t0 + {window} GROUP BY p.uid),
s2 AS (SELECT p.uid, min(e.t) AS t FROM s1 p JOIN ev e USING (uid) JOIN s0 f USING (uid) WHERE e.ev = 'cart' AND e.t >= p.t AND e.t <= f.t0 + {window} GROUP BY p.uid),
s3 AS (SELECT p.uid, min(e.t) AS t FROM s2 p JOIN ev e USING (uid) JOIN s0 f USING (uid) WHERE e.ev = 'checkout' AND e.t >= p.t AND e.t <= f.t0 + {window} GROUP BY p.uid),
s4 AS (SELECT p.uid, min(e.t) AS t FROM s3 p JOIN ev e USING (uid) JOIN s0 f USING (uid) WHERE e.ev = 'payment' AND e.t >= p.t AND e.t <= f.t0 + {window} GROUP BY p.uid),
s5 AS (SELECT p.uid, min(e.t) AS t FROM s4 p JOIN ev e USING (uid) JOIN s0 f USING (uid) WHERE e.ev = 'order' AND e.t >= p.t AND e.t <= f.t0 + {window} GROUP BY p.uid)
SELECT (SELECT count(*) FROM s0), (SELECT count(*) FROM s1), (SELECT count(*) FROM s2),
       (SELECT count(*) FROM s3), (SELECT count(*) FROM s4), (SELECT count(*) FROM s5)
''').fetchall()[0])
"""

PANDAS = """
import duckdb
import pandas
start = time.perf_counter()  # loading the events counts: the others read the file too
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
frame = con.execute("SELECT user_id, event, epoch(timestamp) AS t FROM read_parquet({path!r})").df()
import time as _t
_start = _t.perf_counter()
frame = frame.drop_duplicates()
steps = {steps!r}
first = frame[frame.event == steps[0]].groupby("user_id", as_index=False).t.min()
first["t0"] = first.t
reached, counts = first, [len(first)]
for step in steps[1:]:
    events = frame[frame.event == step][["user_id", "t"]].rename(columns={{"t": "te"}})
    joined = reached[["user_id", "t", "t0"]].merge(events, on="user_id")
    joined = joined[(joined.te >= joined.t) & (joined.te <= joined.t0 + {window})]
    reached = joined.groupby("user_id", as_index=False).agg(t=("te", "min"), t0=("t0", "first"))
    counts.append(len(reached))
compute_seconds = _t.perf_counter() - _start
"""

RUNNER = """
import json, resource, sys, time
start = time.perf_counter()
compute_seconds = None
{code}
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "compute_seconds": compute_seconds, "counts": counts,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(code: str) -> dict[str, object]:
    """Run one method in a fresh interpreter; return its timing, counts and peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", RUNNER.format(code=code)], check=False, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"a benchmark run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Generate the log, time the three methods, print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000_000, help="Approximate number of events.")
    args = parser.parse_args()
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "events.parquet")
        users = max(1000, int(args.events / 2.8))  # ~2.8 events per generated user
        start = time.perf_counter()
        duckdb.connect().execute(GENERATE.format(users=users, path=path))
        rows = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]
        print(f"generated {rows:,} events for {users:,} users in {time.perf_counter() - start:.1f} s")
        values = {"path": path, "steps": STEPS, "window": WINDOW}
        ours = run(OURS.format(**values))
        baseline = run(BASELINE.format(**values))
        pandas = run(PANDAS.format(**values))
    assert ours["counts"] == baseline["counts"] == pandas["counts"], (ours, baseline, pandas)
    print(f"funnel counts (all three agree): {ours['counts']}")
    print(f"ours (compute_funnel)       {ours['seconds']:7.2f} s   peak {ours['peak_mb']:7.0f} MB")
    print(f"hand-written DuckDB query   {baseline['seconds']:7.2f} s   peak {baseline['peak_mb']:7.0f} MB")
    print(
        f"pandas (load + compute)     {pandas['seconds']:7.2f} s   peak {pandas['peak_mb']:7.0f} MB"
        f"   (compute alone {pandas['compute_seconds']:.2f} s)"
    )
    print(f"ratio ours / DuckDB baseline: {ours['seconds'] / baseline['seconds']:.2f}  (goal <= 1.2)")
    print(f"ratio ours / pandas:          {ours['seconds'] / pandas['seconds']:.2f}  (goal < 1)")


if __name__ == "__main__":
    main()
