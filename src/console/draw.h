/*
 * draw: the curses screen (the only console files that include curses).
 *
 * Contract: draw_init starts curses on the terminal (mouse, keypad, colour
 * pairs from the theme resolved for the terminal's depth) and returns -1
 * with a message for terminals it refuses (dumb). draw_frame draws the
 * whole state into curses' virtual screen and refreshes; curses then sends
 * only the cells that changed. draw_input reads every pending key without
 * blocking and hands them to app_key/app_mouse as config key codes.
 */
#ifndef UNDERTONE_CONSOLE_DRAW_H
#define UNDERTONE_CONSOLE_DRAW_H

#include "app.h"

#define DRAW_MIN_COLS 50
#define DRAW_MIN_ROWS 12

int draw_init(struct app *a, const char *theme_arg, char *err, size_t errsz);
void draw_end(void);
void draw_frame(struct app *a);
/* Returns the number of keys handled. */
int draw_input(struct app *a);
/* Name of the theme in use (for messages). */
const char *draw_theme_name(void);
#endif
