"""Detection on simulated calls with ground truth (run by run-bench.sh).

Usage: detection.py EVENTS.ndjson FEED.ndjson [LABEL]
With LABEL, one compact line is printed (per-scenario runs).
EVENTS is the feed's NDJSON floor (utterances carry "truth"); FEED is what
`undertone-analyzer run --replay EVENTS --output FEED` published. For every
call whose script makes frustration rise (an utterance with truth "onset"),
the delay is from that utterance's event time to the first live suggestion
(assist or escalate) raised at or after it. Calm calls are those with no
onset; a false suggestion is any live suggestion on one of them (post-call
review/follow-up suggestions are reported separately).
"""
import json
import statistics
import sys


def main(events_path, feed_path, label=None):
    onset, calls = {}, set()
    for line in open(events_path):
        e = json.loads(line)
        calls.add(e["call"])
        if e.get("truth") == "onset" and e["call"] not in onset:
            onset[e["call"]] = e["ts"]
    live, post = {}, {}
    for line in open(feed_path):
        m = json.loads(line)
        if m["type"] != "suggestion_raised":
            continue
        bucket = live if m["kind"] in ("assist", "escalate") else post
        bucket.setdefault(m["call"], []).append(m["raised"])
    delays, early = [], 0
    for call, t in onset.items():
        after = [r for r in live.get(call, []) if r >= t]
        if after:
            delays.append((min(after) - t) / 1000.0)
        if any(r < t for r in live.get(call, [])):
            early += 1
    calm = calls - set(onset)
    false_live = sum(1 for c in calm if c in live)
    false_post = sum(1 for c in calm if c in post)
    if label is not None:
        med = "%.1f s" % statistics.median(delays) if delays else "-"
        if onset:
            print("  %-22s %3d calls, detected %5.1f%%, median delay %s"
                  % (label, len(calls), 100.0 * len(delays) / len(onset), med))
        else:
            print("  %-22s %3d calls (calm), live suggestions on %d, post-call on %d"
                  % (label, len(calls), false_live, false_post))
        return
    print("detection: %d frustrated calls, %d detected (%.1f%%), %d with a suggestion before onset"
          % (len(onset), len(delays), 100.0 * len(delays) / max(1, len(onset)), early))
    if delays:
        q = sorted(delays)
        print("detection: delay onset -> suggestion: median %.1f s, p90 %.1f s, max %.1f s"
              % (statistics.median(q), q[int(0.9 * (len(q) - 1))], q[-1]))
    print("detection: %d calm calls, false live suggestions on %d (%.1f%%), post-call on %d (%.1f%%)"
          % (len(calm), false_live, 100.0 * false_live / max(1, len(calm)),
             false_post, 100.0 * false_post / max(1, len(calm))))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
