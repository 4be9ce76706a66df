# benchmarks: see below
