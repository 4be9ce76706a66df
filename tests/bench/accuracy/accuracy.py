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
  sts_gold_tweet.csv                   STS-Gold (Saif, Fernandez, He & Alani,
      ESSEM 2013): 2,034 tweets, "id";"polarity";"tweet" separated by ';',
      polarity 0 (negative, 1,402) or 4 (positive, 632) agreed by three
      annotators; copies in public repositories (e.g. jessicabowden/
      intro-to-nlp, Axeka379/text-mining).
  airline_tweets*.csv                  Twitter US Airline Sentiment
      (Crowdflower / Figure Eight, 2015; 14,640 tweets to six US airlines):
      the Kaggle Tweets.csv layout (tweet_id,airline_sentiment,
      airline_sentiment_confidence,...,text,...), labels negative / neutral
      / positive with the contributors' confidence; a leading part of the
      file is enough (it is read with the csv module: quoted fields may hold
      commas and newlines).
  tweeteval_sentiment*.tsv             TweetEval sentiment TEST split
      (Barbieri et al., Findings of EMNLP 2020): the SemEval-2017 Task 4A
      test tweets, user mentions replaced by "@user", repository
      cardiffnlp/tweeteval, datasets/sentiment/test_text.txt and
      test_labels.txt (0 negative, 1 neutral, 2 positive, as mapping.txt
      says; the whole test set is 3,972 / 5,937 / 2,375) at commit
      3eb5e91dd5070b5a5931df4e70cbab5978e3c50c. Kept here as
      label<TAB>text lines, label -1 / 0 / +1, line i of the text paired
      with line i of the labels; a contiguous leading part is enough
      (tweeteval_sentiment_test_part.tsv: the first 3,958 tweets). Its
      val_* files are another helper's development set, never used here.
These three tweet sets are held-out evaluation only: nobody reads their
items to tune the lexicon. Tweet text is HTML-unescaped (&amp; -> &) as
Twitter served it escaped; every set has its whitespace collapsed to one
line.
VADER Python (NLTK) rows appear when Debian's python3-nltk is installed, and
"VADER reference (vaderSentiment)" rows when $UT_VADER_PY names a directory
holding C.J. Hutto's vaderSentiment.py (run through vader_ref.py). That
version strips punctuation around every token, so the handle "@united"
scores as the lexicon word "united" (+1.8) while the npm and NLTK ports keep
"@united" whole: its airline rows measure that, not the words.
For every set it prints n, sign accuracy (the sign of compound equals the
sign of the human label; a 0 score counts as a miss) and Pearson r between
compound and the human label, for: undertone's built-in lexicon, the VADER
reference, and undertone loaded with VADER's own lexicon (--lexicon), plus
how closely that last one agrees with the reference. The airline and
TweetEval sets' neutral items have no sign, so their rows cover the
positive and negative items (for airline a second row: those with
confidence >= 0.8), and a separate table gives 3-class agreement
(neutral = |compound| <= 0.05, for every scorer) on all their items. "all
sets" is printed twice: over the five sets the harness had before (UCI x3
and the Hutto & Gilbert sets, comparable with earlier runs) and over every
set including the tweet sets (the line names them); "all real tweets"
pools STS-Gold with the pos/neg items of airline and TweetEval. A second table
counts the misses per set (scored exactly 0, scored with the opposite sign,
weak human label), for undertone and the reference: a summary, no items.
"""
import csv, html, json, math, os, subprocess, sys


def clean(text):
    return ' '.join(text.split())


def load(path):
    """Rows of (text, label, confidence); label is the human rating (sign
    carries polarity, 0.0 for the airline and TweetEval neutral items)."""
    base = os.path.basename(path)
    if path.endswith('.json'):
        items = json.load(open(path, encoding='utf-8'))
        return [(clean(x['text']), 1.0 if x['class'] else -1.0, 1.0) for x in items]
    if base == 'sts_gold_tweet.csv':
        with open(path, encoding='utf-8', errors='replace', newline='') as f:
            return [(clean(html.unescape(r[2])), 1.0 if r[1] == '4' else -1.0, 1.0)
                    for r in csv.reader(f, delimiter=';', quotechar='"')
                    if len(r) == 3 and r[1] in ('0', '4')]
    if is_airline(base):
        polarity = {'negative': -1.0, 'neutral': 0.0, 'positive': 1.0}
        with open(path, encoding='utf-8', errors='replace', newline='') as f:
            return [(clean(html.unescape(r['text'])), polarity[r['airline_sentiment']],
                     float(r['airline_sentiment_confidence'] or 0))
                    for r in csv.DictReader(f) if r.get('airline_sentiment') in polarity]
    if is_tweeteval(base):
        rows = []
        for line in open(path, encoding='utf-8', errors='replace', newline=''):
            label, sep, text = line.rstrip('\n').partition('\t')
            if sep and label in ('-1', '0', '+1'):
                rows.append((clean(html.unescape(text)), float(label), 1.0))
        return rows
    rows = []
    for line in open(path, encoding='utf-8', errors='replace'):
        parts = line.rstrip('\n').split('\t')
        if len(parts) >= 3:
            rows.append((clean(parts[2]), float(parts[1]), 1.0))
    return rows


def is_old_set(name):
    return name.endswith('.json') or '_GroundTruth' in name


def is_airline(name):
    return name.startswith('airline_tweets') and name.endswith('.csv')


def is_tweeteval(name):
    return name.startswith('tweeteval_sentiment') and name.endswith('.tsv')


def is_new_set(name):
    return (name == 'sts_gold_tweet.csv' or is_tweeteval(name)
            or is_airline(name))


def short_name(name):
    """Row label: the file name without extension, TweetEval's shortened."""
    return name[:-4].replace('tweeteval_sentiment_', 'tweeteval ')


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


def run_python_scorer(script, arg, texts):
    """One compound per line from a Python runner beside this file; None when
    it is missing or fails (the reference it wraps is optional)."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, script)
    if not os.path.isfile(path):
        return None
    py = os.environ.get('UT_PYTHON') or '/usr/bin/python3'
    r = subprocess.run([py, path, arg], input='\n'.join(texts) + '\n',
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    try:
        out = [float(x) for x in r.stdout.split()]
    except ValueError:
        return None
    return out if len(out) == len(texts) else None


def run_vader_py(node_modules, texts):
    """VADER's Python port in NLTK (Debian python3-nltk), same lexicon file;
    None when NLTK is not installed."""
    lex = os.path.join(node_modules, 'vader-sentiment', 'vader_lexicon.txt')
    return run_python_scorer('vader_nltk.py', lex, texts)


def run_vader_ref(texts):
    """C.J. Hutto's own vaderSentiment (directory in $UT_VADER_PY); None when
    it is not set up."""
    pydir = os.environ.get('UT_VADER_PY')
    if not pydir:
        return None
    return run_python_scorer('vader_ref.py', pydir, texts)


# Extra references, printed as rows under each set like the NLTK one was.
EXTRAS = (('VADER Python (NLTK)', lambda nm, texts: run_vader_py(nm, texts)),
          ('VADER reference (vaderSentiment)', lambda nm, texts: run_vader_ref(texts)))


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


def gold_label(g):
    return 'neg' if g < 0 else 'pos' if g > 0 else 'neu'


def agreement(a, b):
    d = [abs(x - y) for x, y in zip(a, b)]
    close = sum(1 for x in d if x <= 0.05) / len(d)
    same = sum(1 for x, y in zip(a, b) if label(x) == label(y)) / len(d)
    return sum(d) / len(d), close, same


def pick(seq, keep):
    return [x for x, k in zip(seq, keep) if k]


def print_row(name, r):
    """One table row for a result dict r (gold, ours, ref, withv, extras)."""
    g = r['gold']
    md, close, same = agreement(r['withv'], r['ref'])
    print(f"{name:34} {len(g):5} | {sign_acc(r['ours'], g):7.3f} {pearson(r['ours'], g):7.3f} | "
          f"{sign_acc(r['ref'], g):7.3f} {pearson(r['ref'], g):7.3f} | "
          f"{sign_acc(r['withv'], g):7.3f} {pearson(r['withv'], g):7.3f}         | "
          f"{md:.4f} {close:6.1%} {same:6.1%}")
    for title, _ in EXTRAS:
        pred = r['extras'].get(title)
        if pred is None:
            continue
        md, close, same = agreement(r['withv'], pred)
        print(f"{'  ' + title + ' on ' + name.strip():40}| {'':15} | {sign_acc(pred, g):7.3f} {pearson(pred, g):7.3f} |"
              f" {'':23} | {md:.4f} {close:6.1%} {same:6.1%}")


def print_total(title, results):
    """Pooled row over several sets (no agreement columns for the main
    scorers, as before); extra references only when every set has them."""
    if not results:
        return
    tot = {k: [x for r in results for x in r[k]] for k in ('gold', 'ours', 'ref', 'withv')}
    g = tot['gold']
    print(f"{title:34} {len(g):5} | {sign_acc(tot['ours'], g):7.3f} {pearson(tot['ours'], g):7.3f} | "
          f"{sign_acc(tot['ref'], g):7.3f} {pearson(tot['ref'], g):7.3f} | "
          f"{sign_acc(tot['withv'], g):7.3f} {pearson(tot['withv'], g):7.3f}")
    for xt, _ in EXTRAS:
        if any(r['extras'].get(xt) is None for r in results):
            continue
        pred = [x for r in results for x in r['extras'][xt]]
        md, close, same = agreement(tot['withv'], pred)
        print(f"{'  ' + xt + ', ' + title:40}| {'':15} | {sign_acc(pred, g):7.3f} {pearson(pred, g):7.3f} |"
              f" {'':23} | {md:.4f} {close:6.1%} {same:6.1%}")


def score_set(path, analyzer, node_modules, vader_lex):
    rows = load(path)
    texts = [t for t, _, _ in rows]
    r = {'gold': [g for _, g, _ in rows], 'conf': [c for _, _, c in rows],
         'ours': run_undertone(analyzer, texts, []),
         'ref': run_vader(node_modules, texts),
         'withv': run_undertone(analyzer, texts, ['--lexicon', vader_lex]), 'extras': {}}
    n = len(rows)
    if not (len(r['ours']) == len(r['ref']) == len(r['withv']) == n):
        sys.exit(f"{path}: output count mismatch {len(r['ours'])} {len(r['ref'])} {len(r['withv'])} {n}")
    for title, fn in EXTRAS:
        pred = fn(node_modules, texts)
        if pred is not None and len(pred) == n:
            r['extras'][title] = pred
    return r


def subset(r, keep):
    return {'gold': pick(r['gold'], keep), 'conf': pick(r['conf'], keep),
            'ours': pick(r['ours'], keep), 'ref': pick(r['ref'], keep),
            'withv': pick(r['withv'], keep),
            'extras': {k: pick(v, keep) for k, v in r['extras'].items()}}


def three_class(r):
    """3-class agreement of each scorer with the human label (neutral means
    |compound| <= 0.05 for every scorer), and the human label counts."""
    gl = [gold_label(g) for g in r['gold']]
    out = []
    for title, pred in [('undertone', r['ours']), ('VADER ref (npm)', r['ref']),
                        ('undertone+VADER lexicon', r['withv'])] + list(r['extras'].items()):
        out.append((title, sum(1 for p, g in zip(pred, gl) if label(p) == g) / len(gl)))
    return gl, out


def main():
    data_dir, analyzer, node_modules = sys.argv[1:4]
    vader_lex = os.path.join(node_modules, 'vader-sentiment', 'vader_lexicon.txt')
    names = sorted(f for f in os.listdir(data_dir) if is_old_set(f) or is_new_set(f))
    print(f"{'set':34} {'n':>5} | {'undertone':>15} | {'VADER ref':>15} | {'undertone+VADER lexicon':>23} | agreement with ref")
    print(f"{'':34} {'':>5} | {'sign':>7} {'r':>7} | {'sign':>7} {'r':>7} | {'sign':>7} {'r':>7}         | mean|d| <=0.05 label")
    old, new, misses, tri, tweets, kinds = [], [], [], [], [], []
    for name in names:
        r = score_set(os.path.join(data_dir, name), analyzer, node_modules, vader_lex)
        if is_airline(name) or is_tweeteval(name):
            polar = subset(r, [g != 0 for g in r['gold']])
            print_row(short_name(name) + ' pos/neg', polar)
            parts = [('all', r)]
            if is_airline(name):
                sure = subset(polar, [c >= 0.8 for c in polar['conf']])
                if sure['gold']:
                    print_row('  conf >= 0.8, pos/neg', sure)
                parts.append(('conf >= 0.8', subset(r, [c >= 0.8 for c in r['conf']])))
            tri.append((name, parts))
            new.append(polar)
            tweets.append(polar)
            kinds.append('TweetEval' if is_tweeteval(name) else 'airline')
            misses.append((short_name(name) + ' pos/neg', polar))
        else:
            print_row(name, r)
            (old if is_old_set(name) else new).append(r)
            if name == 'sts_gold_tweet.csv':
                tweets.append(r)
                kinds.append('STS-Gold')
            misses.append((name, r))
    print_total('all sets (previous five)', old)
    if new:
        if 'TweetEval' in kinds:
            present = [k for k in ('STS-Gold', 'airline', 'TweetEval') if k in kinds]
            print_total('all + ' + ', '.join(present), old + new)
        else:
            print_total('all sets incl. STS-Gold, airline', old + new)
    if tweets:
        print_total('all real tweets', tweets)

    for name, parts in tri:
        print()
        print(f"{name}: 3-class agreement (label from |compound| <= 0.05 = neutral), all items")
        for part, rr in parts:
            if not rr['gold']:
                continue
            gl, scores = three_class(rr)
            counts = ' / '.join(f"{gl.count(k)} {k}" for k in ('neg', 'neu', 'pos'))
            print(f"  {part:12} n={len(gl):5} ({counts}): " +
                  ', '.join(f"{t} {a:.3f}" for t, a in scores))

    print()
    print(f"{'misses':34} {'n':>5} | {'undertone: zero / wrong sign / weak label':>42} | {'VADER ref: zero / wrong sign / weak label':>42}")
    for name, r in misses:
        mo, mr = miss_counts(r['ours'], r['gold']), miss_counts(r['ref'], r['gold'])
        print(f"{name:34} {len(r['gold']):5} | {mo[0]:>12} {mo[1]:>12} {mo[2]:>16} | {mr[0]:>12} {mr[1]:>12} {mr[2]:>16}")


if __name__ == '__main__':
    main()
