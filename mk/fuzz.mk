# libFuzzer targets. Build with: ./configure CC=clang --enable-fuzzing
# `make fuzz-smoke` runs every target for FUZZ_SECONDS from its seed corpus in
# tests/fuzz/corpus/<name>; new inputs go to a scratch dir, never the tree.
FUZZ_SECONDS = 30
FUZZ_TARGETS = tests/fuzz/fuzz_utf8
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/fuzz_utf8.c

if FUZZING
noinst_PROGRAMS += $(FUZZ_TARGETS)
tests_fuzz_fuzz_utf8_SOURCES = tests/fuzz/fuzz_utf8.c
tests_fuzz_fuzz_utf8_LDADD = $(UT_CORE_LIBS)
tests_fuzz_fuzz_utf8_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz-smoke: $(FUZZ_TARGETS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  name=$$(basename $$t | sed 's/^fuzz_//'); \
	  seeds=$(top_srcdir)/tests/fuzz/corpus/$$name; \
	  work=$$(mktemp -d); \
	  echo "fuzz-smoke: $$name for $(FUZZ_SECONDS)s"; \
	  ./$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$$work/ $$work $$seeds 2>$$work/log || \
	    { tail -40 $$work/log; ls $$work; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|stat::peak_rss' $$work/log; \
	  rm -rf $$work; \
	done
else
fuzz-smoke:
	@echo "fuzz-smoke: configure with CC=clang --enable-fuzzing first" >&2; exit 1
endif
.PHONY: fuzz-smoke
