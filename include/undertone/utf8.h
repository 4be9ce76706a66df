/*
 * utf8: strict UTF-8 validation and decoding.
 *
 * Contract: every function takes an explicit byte length and never reads
 * past it; NUL bytes are ordinary data. "Valid" means RFC 3629 UTF-8: no
 * overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
 * No allocation, no locale dependence.
 */
#ifndef UNDERTONE_UTF8_H
#define UNDERTONE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Code point returned for an invalid sequence by utf8_decode. */
#define UTF8_INVALID 0xFFFFFFFFu

/* True if s[0..len) is entirely valid UTF-8. */
bool utf8_valid(const char *s, size_t len);

/*
 * Decode one code point at s[0..len). Stores the number of bytes consumed
 * (at least 1 when len > 0, so callers always advance) in *used and returns
 * the code point, or UTF8_INVALID for a malformed or truncated sequence.
 * Returns UTF8_INVALID with *used = 0 when len == 0.
 */
uint32_t utf8_decode(const char *s, size_t len, size_t *used);

/* Encode cp into out (at least 4 bytes); returns bytes written, 0 if cp invalid. */
size_t utf8_encode(uint32_t cp, char *out);

/* Length of the longest prefix of s[0..len) that does not split a code point
 * and is at most max bytes long. Used to clip text safely. */
size_t utf8_clip(const char *s, size_t len, size_t max);

/* Copy the NUL-terminated src into dst[cap] (cap >= 1), clipped with
 * utf8_clip() so that it fits with its terminator; returns bytes copied. */
size_t utf8_copy_clip(char *dst, size_t cap, const char *src);

#endif
