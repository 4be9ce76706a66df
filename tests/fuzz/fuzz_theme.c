/*
 * libFuzzer target: theme parsing and resolution, plus textsafe's output
 * invariants on the same bytes (theme names and error text reach the
 * screen through textsafe, and the brief keeps fuzz targets to two files).
 *
 * Build by hand (not wired into make yet), from the source tree:
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Iinclude tests/fuzz/fuzz_theme.c src/core/theme.c src/core/config_ini.c \
 *     src/core/textsafe.c src/core/utf8.c -linih -o fuzz_theme
 *   ./fuzz_theme -max_total_time=60 themes/
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "undertone/textsafe.h"
#include "undertone/theme.h"
#include "undertone/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct theme th;

static void
check_theme(const char *s, size_t n)
{
	struct theme_style st;
	size_t i;
	int r, d;

	theme_init(&th);
	theme_parse(&th, s, n, "fuzz");
	if (th.nerrors > THEME_ERRORS_MAX)
		abort();
	for (i = 0; i < th.nerrors; i++)
		if (memchr(th.errors[i].msg, '\0', sizeof(th.errors[i].msg)) == NULL)
			abort();
	for (r = 0; r < THEME_ROLE__COUNT; r++)
		for (d = THEME_DEPTH_MONO; d <= THEME_DEPTH_TRUECOLOR; d++) {
			st = theme_resolve(&th, (enum theme_role)r, (enum theme_depth)d);
			if (d != THEME_DEPTH_TRUECOLOR &&
			    (st.fg.kind == THEME_COLOR_RGB || st.bg.kind == THEME_COLOR_RGB))
				abort();
			if (d == THEME_DEPTH_8 && ((st.fg.kind == THEME_COLOR_INDEX && st.fg.index > 7) ||
			    (st.bg.kind == THEME_COLOR_INDEX && st.bg.index > 7)))
				abort();
			if (d == THEME_DEPTH_MONO && (st.fg.kind != THEME_COLOR_DEFAULT ||
			    st.bg.kind != THEME_COLOR_DEFAULT))
				abort();
		}
}

/* Sanitized output: valid UTF-8 (or ASCII), no controls, width within cols. */
static void
check_textsafe(const char *s, size_t n, unsigned flags)
{
	char out[TEXTSAFE_FIT_BUFSZ(12)];
	size_t len, w, i, cols = n % 13;

	len = textsafe_fit(s, n, cols, flags | TEXTSAFE_ELLIPSIS | TEXTSAFE_PAD, out,
	    sizeof(out), &w);
	if (len >= sizeof(out) || out[len] != '\0' || w != cols || !utf8_valid(out, len) ||
	    textsafe_width(out, len, flags) != cols)
		abort();
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c < 0x20 || c == 0x7f || ((flags & TEXTSAFE_ASCII) && c >= 0x80))
			abort();
	}
	/* Sanitizing is idempotent. */
	{
		static char a[4096], b[4096];
		size_t la = textsafe_sanitize(s, n, a, sizeof(a), flags, NULL);
		size_t lb = textsafe_sanitize(a, la, b, sizeof(b), flags, NULL);
		if (la != lb || memcmp(a, b, la) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	check_theme(s, size);
	check_textsafe(s, size, 0);
	check_textsafe(s, size, TEXTSAFE_ASCII);
	return 0;
}
