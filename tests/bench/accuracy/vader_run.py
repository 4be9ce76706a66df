"""The shared body of the Python VADER runners (vader_nltk.py, vader_ref.py):
stdin lines in, one compound per line out, or a timed benchmark whose stderr
line score_bench.sh and run-all.sh parse (" = N sentences/s", ", N per
cpu-second"). Imported from the runners' own directory."""
import sys
import time


def read_lines():
    lines = sys.stdin.read().split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    return lines


def run(sia, label, rounds=None):
    """Score stdin with sia.polarity_scores: print compounds, or, with rounds,
    score every line that many times and report the rate as `label`."""
    lines = read_lines()
    if rounds is None:
        sys.stdout.write(''.join(f"{sia.polarity_scores(l)['compound']}\n" for l in lines))
        return
    t0 = time.perf_counter()
    c0 = time.process_time()
    sink = 0.0
    for _ in range(rounds):
        for l in lines:
            sink += sia.polarity_scores(l)['compound']
    dt = time.perf_counter() - t0
    ct = time.process_time() - c0
    n = rounds * len(lines)
    sys.stderr.write(f"{label}: {n} sentences in {dt:.3f} s = {n / dt:.0f} sentences/s"
                     f" (checksum {sink:.2f}); cpu {ct:.3f} s, {n / ct:.0f} per cpu-second\n")
