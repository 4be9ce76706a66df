/*
 * textsafe: make untrusted text safe and measurable for a terminal.
 *
 * Contract: every function takes raw, hostile bytes with an explicit length
 * (NUL is ordinary data) and treats them identically: C0/C1 controls and
 * DEL are removed (TAB, LF, CR, VT, FF become one space each), escape
 * sequences (ESC [ ... final, ESC ] ... BEL/ST, DCS/SOS/PM/APC strings,
 * two-byte and nF escapes, and their 8-bit C1 forms) are removed whole,
 * invalid UTF-8 becomes U+FFFD, invisible format characters (Unicode
 * category Cf: bidi controls U+202A..E and U+2066..9, U+200B/C/E/F, U+061C,
 * BOM, tags, soft hyphen...) are removed except ZWJ (U+200D, for emoji), and
 * U+2028/9 become a space. Widths come from the module's own tables (Unicode 14
 * East Asian Wide/Fullwidth = 2, combining marks and format characters = 0),
 * never from the process locale. In ASCII mode every non-ASCII character is
 * transliterated when a close ASCII form exists (e -> e for é, quotes, dashes)
 * and becomes '?' otherwise; combining marks are dropped.
 * Output goes to caller buffers that are always NUL-terminated when size > 0
 * and never split a code point or a base character from its combining marks
 * (at most TEXTSAFE_MARKS_MAX kept per base; marks with no base are dropped).
 * No allocation, no global state, thread-safe.
 */
#ifndef UNDERTONE_TEXTSAFE_H
#define UNDERTONE_TEXTSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Flags for textsafe_sanitize and textsafe_fit. */
#define TEXTSAFE_ASCII     0x1u  /* output pure printable ASCII */
#define TEXTSAFE_ELLIPSIS  0x2u  /* mark clipped text: U+2026, or '~' in ASCII mode */
#define TEXTSAFE_PAD       0x4u  /* pad with spaces to exactly the column width */
#define TEXTSAFE_RIGHT     0x8u  /* with PAD: pad on the left (right-align) */

/* Combining/zero-width characters kept after one base character; more are
 * dropped (counted as controls), so "zalgo" text cannot grow a cell. */
#define TEXTSAFE_MARKS_MAX 7
/* Output buffer that always holds textsafe_fit's result for cols columns. */
#define TEXTSAFE_FIT_BUFSZ(cols) ((size_t)(cols) * 4 * (TEXTSAFE_MARKS_MAX + 1) + 1)

/* Counts of what sanitizing removed or replaced (for diagnostics/tests). */
struct textsafe_stats {
	size_t controls;    /* C0/C1 controls and DEL removed or turned to space */
	size_t escapes;     /* escape sequences removed */
	size_t invalid;     /* invalid UTF-8 sequences replaced */
	size_t bidi;        /* bidi and other invisible format characters removed */
	size_t truncated;   /* 1 if the output buffer was too small */
};

/*
 * Width in columns of one code point as this module draws it: -1 for a
 * control (never drawn), 0 for combining/zero-width, 2 for wide, else 1.
 */
int textsafe_cpwidth(uint32_t cp);

/*
 * Copy s[0..len) into out[0..outsz) made safe as described above. Returns
 * the number of bytes written (excluding the NUL). If out is too small the
 * output ends at a whole character cluster and stats->truncated is set.
 * stats may be NULL.
 */
size_t textsafe_sanitize(const char *s, size_t len, char *out, size_t outsz,
    unsigned flags, struct textsafe_stats *stats);

/* Display width in columns of s[0..len) after sanitizing (flags: ASCII only). */
size_t textsafe_width(const char *s, size_t len, unsigned flags);

/*
 * Sanitize s[0..len) and fit it into cols columns: clipped by display width
 * (a wide character never straddles the edge), with an ellipsis in the last
 * column if TEXTSAFE_ELLIPSIS and the text did not fit, padded with spaces
 * to exactly cols if TEXTSAFE_PAD. Returns bytes written (excluding NUL);
 * *width (may be NULL) receives the columns the output occupies. If outsz is
 * too small for the result the output is shortened at a cluster boundary.
 * TEXTSAFE_FIT_BUFSZ(cols) bytes always hold the whole result; fewer is safe.
 */
size_t textsafe_fit(const char *s, size_t len, size_t cols, unsigned flags,
    char *out, size_t outsz, size_t *width);

/*
 * Length in bytes of the longest prefix of s[0..len) whose sanitized display
 * width is at most cols, ending at a cluster boundary; *width (may be NULL)
 * receives that prefix's width. For incremental layouts over raw text.
 */
size_t textsafe_prefix(const char *s, size_t len, size_t cols, unsigned flags,
    size_t *width);

/*
 * Pure locale check without touching the process locale: returns true if
 * the effective LC_ALL / LC_CTYPE / LANG value (first non-empty wins, as
 * POSIX says) names a UTF-8 codeset. Pass getenv() results (NULLs allowed).
 */
bool textsafe_locale_is_utf8(const char *lc_all, const char *lc_ctype,
    const char *lang);

#endif
