/* draw_int: helpers shared by the draw*.c files (curses only here). */
#ifndef UNDERTONE_CONSOLE_DRAW_INT_H
#define UNDERTONE_CONSOLE_DRAW_INT_H

#include <curses.h>

#include "undertone/theme.h"
#include "app.h"

attr_t draw_attr(enum theme_role r);
void draw_text(int y, int x, int width, const char *s, attr_t at, bool ascii);
void draw_fill(int y, int x, int width, attr_t at);
void draw_glyphs(int y, int x, const char *s, const signed char *sign, int cells, attr_t base,
	bool plain);
void draw_header(struct app *a);
void draw_detail(struct app *a, int y0, int h);
void draw_review(struct app *a, int y0, int h);
void draw_status(struct app *a, int y);
void draw_prompt(struct app *a);
void draw_help(struct app *a);

#endif
