// Score stdin lines with the VADER reference (npm vader-sentiment) and print
// one compound score per line; with --bench N, score all lines N times and
// report sentences/s on stderr. Usage:
//   NODE_PATH=/path/to/node_modules node vader_score.js [--bench N] < lines
'use strict';
const vader = require('vader-sentiment');
const fs = require('fs');
const lines = fs.readFileSync(0, 'utf8').split('\n');
if (lines.length && lines[lines.length - 1] === '') lines.pop();
const bench = process.argv[2] === '--bench' ? parseInt(process.argv[3], 10) : 0;
if (bench > 0) {
  let n = 0, sink = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let r = 0; r < bench; r++)
    for (const l of lines) { sink += vader.SentimentIntensityAnalyzer.polarity_scores(l).compound; n++; }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);  // all threads of the process (JIT and GC included)
  const c = (cu.user + cu.system) / 1e6;
  process.stderr.write(`vader-js: ${n} sentences in ${s.toFixed(3)} s = ${Math.round(n / s)} sentences/s (checksum ${sink.toFixed(2)}); cpu ${c.toFixed(3)} s, ${Math.round(n / c)} per cpu-second\n`);
} else {
  const out = lines.map(l => vader.SentimentIntensityAnalyzer.polarity_scores(l).compound);
  process.stdout.write(out.join('\n') + '\n');
}
