# decisions: the decision store (src/core/dstore*.c) and its tests.
libundertone_a_SOURCES += \
	include/undertone/dstore.h src/core/dstore_internal.h \
	src/core/dstore_schema.c src/core/dstore_canon.c src/core/dstore_record.c \
	src/core/dstore_append.c src/core/dstore_query.c src/core/dstore_verify.c \
	src/core/dstore_sign.c src/core/dstore_prune.c src/core/dstore_merge.c \
	src/core/dstore_stats.c
