# sentiment: rules for this area (see Makefile.am).
#
# The built-in lexicon is compiled in. Its readable sources are
# data/lexicon/*.tsv; gen-lexicon.awk turns them into lexicon_data.c in the
# build tree at build time (sources read from $(srcdir), so VPATH builds and
# distcheck work).
sentiment_lexicon_tsv = \
	data/lexicon/general.tsv \
	data/lexicon/support.tsv \
	data/lexicon/social.tsv \
	data/lexicon/emoticons.tsv \
	data/lexicon/modifiers.tsv
EXTRA_DIST += $(sentiment_lexicon_tsv) data/lexicon/gen-lexicon.awk

src/core/lexicon_data.c: $(sentiment_lexicon_tsv:%=$(srcdir)/%) $(srcdir)/data/lexicon/gen-lexicon.awk
	$(AM_V_GEN)$(MKDIR_P) src/core && \
	LC_ALL=C $(AWK) -f $(srcdir)/data/lexicon/gen-lexicon.awk \
		$(sentiment_lexicon_tsv:%=$(srcdir)/%) > $@.tmp && mv $@.tmp $@

BUILT_SOURCES += src/core/lexicon_data.c
CLEANFILES += src/core/lexicon_data.c src/core/lexicon_data.c.tmp

libundertone_a_SOURCES += \
	include/undertone/tokenize.h src/core/tokenize.c \
	include/undertone/lexicon.h include/undertone/lexicon_data.h src/core/lexicon.c \
	include/undertone/sentiment.h src/core/sentiment.c src/core/sentiment_explain.c
nodist_libundertone_a_SOURCES = src/core/lexicon_data.c

# Benchmarks (run on demand, see tests/bench/score_bench.sh).
noinst_PROGRAMS += tests/bench/bench_score
tests_bench_bench_score_SOURCES = tests/bench/bench_score.c
tests_bench_bench_score_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS)
tests_bench_bench_score_LDADD = $(UT_CORE_LIBS)

# Unit tests.
check_PROGRAMS += tests/unit/test_tokenize
tests_unit_test_tokenize_SOURCES = tests/unit/test_tokenize.c
tests_unit_test_tokenize_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_tokenize_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_tokenize

check_PROGRAMS += tests/unit/test_sentiment
tests_unit_test_sentiment_SOURCES = tests/unit/test_sentiment.c
tests_unit_test_sentiment_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_sentiment_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_sentiment

# The engine held to hand-labelled support utterances (thresholds in the test).
check_PROGRAMS += tests/unit/test_sentiment_support
tests_unit_test_sentiment_support_SOURCES = tests/unit/test_sentiment_support.c
tests_unit_test_sentiment_support_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_sentiment_support_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_sentiment_support
EXTRA_DIST += tests/data/support_utterances.tsv

# No allocation on the hot path: malloc and friends are wrapped and counted.
check_PROGRAMS += tests/unit/test_sentiment_alloc
tests_unit_test_sentiment_alloc_SOURCES = tests/unit/test_sentiment_alloc.c
tests_unit_test_sentiment_alloc_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_sentiment_alloc_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=malloc \
	-Wl,--wrap=calloc -Wl,--wrap=realloc -Wl,--wrap=free
tests_unit_test_sentiment_alloc_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_sentiment_alloc

# The score command end to end.
dist_check_SCRIPTS += tests/unit/test_sentiment_score.sh
TESTS += tests/unit/test_sentiment_score.sh

# Documentation, benchmarks and the fuzz target travel in the tarball.
dist_man_MANS += doc/undertone-analyzer.1
EXTRA_DIST += doc/sentiment.md tests/bench/bench_score.c tests/bench/score_bench.sh \
	tests/bench/accuracy/run.sh tests/bench/accuracy/accuracy.py \
	tests/bench/accuracy/vader_score.js tests/bench/accuracy/vader_nltk.py tests/bench/accuracy/vader_ref.py tests/bench/accuracy/vader_run.py \
	tests/fuzz/fuzz_sentiment.c
