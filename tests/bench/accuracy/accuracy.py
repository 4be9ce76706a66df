#!/usr/bin/env python3
"""Accuracy of undertone's sentiment engine against human labels, side by
side with the VADER reference implementation (npm vader-sentiment).

Usage: accuracy.py DATA_DIR ANALYZER VADER_NODE_MODULES

DATA_DIR holds any of these public, human-labelled sets (kept out of the
repository; see doc/sentiment.md for where each comes from):
  amazon.json, imdb.json, yelp.json   UCI "Sentiment Labelled Sentences"
      (Kotzias et al., KDD 2015), 1000 sentences each, label 0/1; shipped as
      test/fixtures/*.json in the npm package `sentiment` (npm pack sentiment).
  *_GroundTruth*.txt                   Hutto & Gilbert (ICWSM 2014) sets:
      id<TAB>mean human rating (-4..4)<TAB>text (vaderSentiment repository,
      additional_resources/hutto_ICWSM_2014/).
VADER Python (NLTK) rows appear when Debian's python3-nltk is installed.
For every set it prints n, sign accuracy (the sign of compound equals the
sign of the human label; a 0 score counts as a miss) and Pearson r between
compound and the human label, for: undertone's built-in lexicon, the VADER
reference, and undertone loaded with VADER's own lexicon (--lexicon), plus
how closely that last one agrees with the reference. A second table counts
the misses per set (scored exactly 0, scored with the opposite sign, weak
human label), for undertone and the reference: a summary, no items.
"""
import json, math, os, subprocess, sys


def load(path):
    if path.endswith('.json'):
        items = json.load(open(path, encoding='utf-8'))
        return [(' '.join(x['text'].split()), 1.0 if x['class'] else -1.0) for x in items]
    rows = []
    for line in open(path, encoding='utf-8', errors='replace'):
        parts = line.rstrip('\n').split('\t')
        if len(parts) >= 3:
            rows.append((' '.join(parts[2].split()), float(parts[1])))
    return rows


def run_undertone(analyzer, texts, extra):
    out = subprocess.run([analyzer, 'score'] + extra, input='\n'.join(texts) + '\n',
                         capture_output=True, text=True).stdout.splitlines()
    return [json.loads(l).get('compound', 0.0) for l in out]


def run_vader(node_modules, texts):
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, NODE_PATH=node_modules)
    out = subprocess.run(['node', os.path.join(here, 'vader_score.js')],
                         input='\n'.join(texts) + '\n', capture_output=True,
                         text=True, env=env).stdout.split()
    return [float(x) for x in out]


def run_vader_py(node_modules, texts):
    """VADER's Python port in NLTK (Debian python3-nltk), same lexicon file;
    None when NLTK is not installed."""
    here = os.path.dirname(os.path.abspath(__file__))
    py = os.environ.get('UT_PYTHON') or '/usr/bin/python3'
    lex = os.path.join(node_modules, 'vader-sentiment', 'vader_lexicon.txt')
    r = subprocess.run([py, os.path.join(here, 'vader_nltk.py'), lex],
                       input='\n'.join(texts) + '\n', capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return [float(x) for x in r.stdout.split()]


def sign_acc(pred, gold):
    hit = sum(1 for p, g in zip(pred, gold) if (p > 0 and g > 0) or (p < 0 and g < 0))
    return hit / len(gold)


def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sx * sy) if sx and sy else 0.0


def miss_counts(pred, gold):
    """Summary of the misses: scored exactly 0, scored with the opposite
    sign, and how many misses have a weak human label (|label| < 1 on the
    -4..4 sets), so coverage and rating problems can be told apart without
    reading items."""
    zero = sum(1 for p, g in zip(pred, gold) if p == 0 and g != 0)
    wrong = sum(1 for p, g in zip(pred, gold) if p * g < 0)
    weak = sum(1 for p, g in zip(pred, gold) if not p * g > 0 and abs(g) < 1)
    return zero, wrong, weak


def label(c):
    return 'neg' if c < -0.05 else 'pos' if c > 0.05 else 'neu'


def main():
    data_dir, analyzer, node_modules = sys.argv[1:4]
    vader_lex = os.path.join(node_modules, 'vader-sentiment', 'vader_lexicon.txt')
    names = sorted(f for f in os.listdir(data_dir)
                   if f.endswith('.json') or '_GroundTruth' in f)
    print(f"{'set':34} {'n':>5} | {'undertone':>15} | {'VADER ref':>15} | {'undertone+VADER lexicon':>23} | agreement with ref")
    print(f"{'':34} {'':>5} | {'sign':>7} {'r':>7} | {'sign':>7} {'r':>7} | {'sign':>7} {'r':>7}         | mean|d| <=0.05 label")
    tot = {}
    misses = []
    for name in names:
        rows = load(os.path.join(data_dir, name))
        texts = [t for t, _ in rows]
        gold = [g for _, g in rows]
        ours = run_undertone(analyzer, texts, [])
        ref = run_vader(node_modules, texts)
        withv = run_undertone(analyzer, texts, ['--lexicon', vader_lex])
        if not (len(ours) == len(ref) == len(withv) == len(gold)):
            sys.exit(f"{name}: output count mismatch {len(ours)} {len(ref)} {len(withv)} {len(gold)}")
        d = [abs(a - b) for a, b in zip(withv, ref)]
        close = sum(1 for x in d if x <= 0.05) / len(d)
        same = sum(1 for a, b in zip(withv, ref) if label(a) == label(b)) / len(d)
        print(f"{name:34} {len(gold):5} | {sign_acc(ours, gold):7.3f} {pearson(ours, gold):7.3f} | "
              f"{sign_acc(ref, gold):7.3f} {pearson(ref, gold):7.3f} | "
              f"{sign_acc(withv, gold):7.3f} {pearson(withv, gold):7.3f}         | "
              f"{sum(d) / len(d):.4f} {close:6.1%} {same:6.1%}")
        pyref = run_vader_py(node_modules, texts)
        if pyref is not None and len(pyref) == len(gold):
            dp = [abs(a - b) for a, b in zip(withv, pyref)]
            closep = sum(1 for x in dp if x <= 0.05) / len(dp)
            samep = sum(1 for a, b in zip(withv, pyref) if label(a) == label(b)) / len(dp)
            print(f"{'  VADER Python (NLTK) on ' + name:40}| {'':15} | {sign_acc(pyref, gold):7.3f} {pearson(pyref, gold):7.3f} |"
                  f" {'':23} | {sum(dp) / len(dp):.4f} {closep:6.1%} {samep:6.1%}")
            tot.setdefault('dpy', []).extend(dp)
            tot.setdefault('samepy', []).extend(label(a) == label(b) for a, b in zip(withv, pyref))
            tot.setdefault('py', []).extend(pyref)
        misses.append((name, len(gold), miss_counts(ours, gold), miss_counts(ref, gold)))
        for key, pred in (('ours', ours), ('ref', ref), ('withv', withv), ('gold', gold)):
            tot.setdefault(key, []).extend(pred)
    if tot:
        g = tot['gold']
        print(f"{'all sets':34} {len(g):5} | {sign_acc(tot['ours'], g):7.3f} {pearson(tot['ours'], g):7.3f} | "
              f"{sign_acc(tot['ref'], g):7.3f} {pearson(tot['ref'], g):7.3f} | "
              f"{sign_acc(tot['withv'], g):7.3f} {pearson(tot['withv'], g):7.3f}")
        if len(tot.get('py', [])) == len(g):
            dp = tot['dpy']
            print(f"{'  VADER Python (NLTK), all sets':40}| {'':15} | {sign_acc(tot['py'], g):7.3f} {pearson(tot['py'], g):7.3f} |"
                  f" {'':23} | {sum(dp) / len(dp):.4f} {sum(1 for x in dp if x <= 0.05) / len(dp):6.1%}"
                  f" {sum(tot['samepy']) / len(dp):6.1%}")

    print()
    print(f"{'misses':34} {'n':>5} | {'undertone: zero / wrong sign / weak label':>42} | {'VADER ref: zero / wrong sign / weak label':>42}")
    for name, n, mo, mr in misses:
        print(f"{name:34} {n:5} | {mo[0]:>12} {mo[1]:>12} {mo[2]:>16} | {mr[0]:>12} {mr[1]:>12} {mr[2]:>16}")


if __name__ == '__main__':
    main()
