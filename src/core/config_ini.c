/*
 * config_ini: line-numbered INI reading on top of inih (see config.h).
 *
 * inih reports only the first syntax error and passes no line numbers to
 * the handler, so the text reaches it through our own line reader: it
 * counts lines (inih asks for exactly one line per call), refuses long
 * lines and NUL bytes before inih could split or cut them, and strips
 * leading blanks so an indented line is never a continuation. Further
 * syntax errors are found by re-running inih with the lines already
 * reported blanked out and the key handler switched off.
 */
#include "undertone/config.h"

#include <ini.h>
#include <stdio.h>
#include <string.h>

#define CI_PASSES_MAX 64

struct ci_state {
	const char *text;       /* memory source, or NULL */
	size_t len, off;
	FILE *fp;               /* file source when text is NULL */
	size_t max_bytes, consumed;
	unsigned line;
	bool over;              /* max_bytes reached */
	bool quiet;             /* later passes: no reader errors, no keys */
	unsigned blank[CI_PASSES_MAX];
	size_t nblank;
	config_ini_kv_fn kv;
	config_ini_err_fn err;
	void *user;
};

static int
ci_getc(struct ci_state *s)
{
	int c;

	if (s->consumed >= s->max_bytes) {
		if (s->text ? s->off < s->len : (c = getc(s->fp)) != EOF)
			s->over = true;
		return EOF;
	}
	if (s->text)
		c = s->off < s->len ? (unsigned char)s->text[s->off++] : EOF;
	else
		c = getc(s->fp);
	if (c != EOF)
		s->consumed++;
	return c;
}

static bool
ci_is_blanked(const struct ci_state *s, unsigned line)
{
	size_t i;

	for (i = 0; i < s->nblank; i++)
		if (s->blank[i] == line)
			return true;
	return false;
}

static void
ci_error(struct ci_state *s, unsigned line, const char *msg)
{
	if (!s->quiet && s->err)
		s->err(s->user, line, msg);
}

/* Read the rest of a bad line so the next call starts on a fresh one. */
static void
ci_skip_line(struct ci_state *s)
{
	int c;

	while ((c = ci_getc(s)) != EOF && c != '\n')
		;
}

/* inih's reader: one line per call, like fgets. */
static char *
ci_reader(char *str, int num, void *stream)
{
	struct ci_state *s = stream;
	size_t n = 0, cap = num > 1 ? (size_t)num - 1 : 0;
	bool nul = false, lead = true;
	int c;

	if (cap == 0)
		return NULL;
	c = ci_getc(s);
	if (c == EOF) {
		if (s->over)
			ci_error(s, s->line + 1, "input too large; the rest is ignored");
		return NULL;
	}
	s->line++;
	for (; c != EOF; c = ci_getc(s)) {
		if (lead && (c == ' ' || c == '\t'))
			continue;
		lead = false;
		if (c == '\0')
			nul = true;
		if (n == cap - 1 && c != '\n') {
			ci_skip_line(s);
			ci_error(s, s->line, "line too long; ignored");
			strcpy(str, "\n");
			return str;
		}
		str[n++] = (char)c;
		if (c == '\n')
			break;
	}
	str[n] = '\0';
	if (nul) {
		ci_error(s, s->line, "NUL byte in line; ignored");
		strcpy(str, "\n");
	} else if (ci_is_blanked(s, s->line)) {
		strcpy(str, "\n");
	}
	return str;
}

static int
ci_handler(void *user, const char *section, const char *name, const char *value)
{
	struct ci_state *s = user;

	if (!s->quiet && s->kv)
		s->kv(s->user, section, name, value, s->line);
	return 1;    /* never an inih error: only syntax errors are */
}

static bool
ci_rewind(struct ci_state *s)
{
	s->off = 0;
	s->consumed = 0;
	s->line = 0;
	s->over = false;
	return s->text || fseek(s->fp, 0, SEEK_SET) == 0;
}

void
config_ini_parse(const char *text, size_t len, FILE *fp, size_t max_bytes,
    config_ini_kv_fn kv, config_ini_err_fn err, void *user)
{
	struct ci_state s;
	int bad;

	memset(&s, 0, sizeof(s));
	s.text = text;
	s.len = text ? len : 0;
	s.fp = fp;
	s.max_bytes = max_bytes;
	s.kv = kv;
	s.err = err;
	s.user = user;
	if (!text && !fp)
		return;
	while (s.nblank < CI_PASSES_MAX) {
		bad = ini_parse_stream(ci_reader, &s, ci_handler, &s);
		if (bad <= 0 || ci_is_blanked(&s, (unsigned)bad))
			break;
		s.quiet = false;
		ci_error(&s, (unsigned)bad, "syntax error: expected 'key = value' or '[section]'");
		s.blank[s.nblank++] = (unsigned)bad;
		s.quiet = true;
		if (!ci_rewind(&s))
			break;
	}
}
