# signals: per-call state, trend, frustration signals and the suggestion
# policy (core library), their data, docs and unit tests.
libundertone_a_SOURCES += \
	include/undertone/trend.h \
	include/undertone/signals.h \
	include/undertone/call.h \
	include/undertone/policy.h
