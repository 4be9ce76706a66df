# theme: themes, configuration and terminal-safe text (issue 7, core half).
libundertone_a_SOURCES += \
	include/undertone/textsafe.h src/core/textsafe.c

check_PROGRAMS += tests/unit/test_textsafe
tests_unit_test_textsafe_SOURCES = tests/unit/test_textsafe.c
tests_unit_test_textsafe_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_textsafe_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_textsafe

libundertone_a_SOURCES += \
	include/undertone/theme.h src/core/theme.c \
	include/undertone/config.h src/core/config_ini.c src/core/config.c \
	src/core/config_console.c src/core/config_analyzer.c

# Shipped themes, installed as $(pkgdatadir)/themes/NAME.theme (nobase keeps
# the themes/ directory), where theme_search_dirs looks via UT_PKGDATADIR.
nobase_dist_pkgdata_DATA += \
	themes/default.theme themes/light.theme themes/high-contrast.theme \
	themes/monochrome.theme themes/colorblind.theme

check_PROGRAMS += tests/unit/test_theme
tests_unit_test_theme_SOURCES = tests/unit/test_theme.c tests/unit/man_example.h
tests_unit_test_theme_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_theme_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_theme

check_PROGRAMS += tests/unit/test_config
tests_unit_test_config_SOURCES = tests/unit/test_config.c tests/unit/man_example.h
tests_unit_test_config_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_config_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_config

dist_man_MANS += doc/undertone-theme.5 doc/undertone.conf.5 doc/undertone-analyzer.conf.5

# libFuzzer targets, built by hand for now (see the comment at their top).
EXTRA_DIST += tests/fuzz/fuzz_theme.c tests/fuzz/fuzz_config.c
