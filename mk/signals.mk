# signals: per-call state, trend, frustration signals and the suggestion
# policy (core library), their data, docs and unit tests.
libundertone_a_SOURCES += \
	include/undertone/trend.h src/core/trend.c \
	include/undertone/signals.h src/core/signals_internal.h \
	src/core/signals.c src/core/signals_text.c src/core/signals_explain.c \
	include/undertone/call.h src/core/call.c \
	include/undertone/policy.h src/core/policy_internal.h \
	src/core/policy.c src/core/policy_load.c src/core/policy_suggest.c

