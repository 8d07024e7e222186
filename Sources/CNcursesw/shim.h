#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600 -D_DEFAULT_SOURCE, so the wide-character
   API is turned on here. The Glibc module is already built, so only the ncurses macros
   matter. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <stdio.h>
#include <termios.h>
/* Debian and Homebrew put the wide-character headers under ncursesw/; macOS's SDK ships
   one ncurses, wide-character capable, as plain curses.h. */
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#else
#include <curses.h>
#include <term.h>
#endif

/* glibc declares wcwidth only under _XOPEN_SOURCE, which the prebuilt Glibc module lacks. */
extern int wcwidth(wchar_t c);
static inline int nc_wcwidth(wchar_t c) { return wcwidth(c); }

/* C globals are errors in Swift 6 ("not concurrency-safe"): read them through functions. */
static inline WINDOW *nc_stdscr(void) { return stdscr; }
static inline int nc_colors(void) { return COLORS; }
static inline int nc_color_pairs(void) { return COLOR_PAIRS; }

/* A_* come from the function-like macro NCURSES_BITS(). */
static const attr_t NC_A_NORMAL = A_NORMAL;
static const attr_t NC_A_BOLD = A_BOLD;
static const attr_t NC_A_DIM = A_DIM;
static const attr_t NC_A_REVERSE = A_REVERSE;
static const attr_t NC_A_UNDERLINE = A_UNDERLINE;
#ifdef A_ITALIC
static const attr_t NC_A_ITALIC = A_ITALIC;
#else
static const attr_t NC_A_ITALIC = A_UNDERLINE; /* ncurses before 5.9 (macOS's SDK) has no italics */
#endif

/* Mouse masks come from the function-like macro NCURSES_MOUSE_MASK(). */
static const mmask_t NC_BUTTON1_PRESSED = BUTTON1_PRESSED;
static const mmask_t NC_BUTTON1_RELEASED = BUTTON1_RELEASED;
static const mmask_t NC_BUTTON1_CLICKED = BUTTON1_CLICKED;
static const mmask_t NC_BUTTON1_DOUBLE_CLICKED = BUTTON1_DOUBLE_CLICKED;
static const mmask_t NC_BUTTON4_PRESSED = BUTTON4_PRESSED; /* wheel up */
static const mmask_t NC_BUTTON5_PRESSED = BUTTON5_PRESSED; /* wheel down */
static const mmask_t NC_ALL_MOUSE_EVENTS = ALL_MOUSE_EVENTS;
static const mmask_t NC_REPORT_MOUSE_POSITION = REPORT_MOUSE_POSITION;

/* Colour pairs above 255 do not fit COLOR_PAIR(): ncurses 6.1 and later take the pair
   through wattr_set's opts pointer and init_extended_pair. macOS's SDK ships ncurses 5.7,
   which has neither; the console's pairs (one per theme role) fit a short there. */
#if defined(NCURSES_VERSION_MAJOR) && (NCURSES_VERSION_MAJOR > 6 || (NCURSES_VERSION_MAJOR == 6 && NCURSES_VERSION_MINOR >= 1))
static inline int nc_wattr_set_ext(WINDOW *w, attr_t a, int pair) { return wattr_set(w, a, 0, &pair); }
static inline int nc_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }
static inline void nc_set_escdelay(int ms) { set_escdelay(ms); }
#else
static inline int nc_wattr_set_ext(WINDOW *w, attr_t a, int pair) { return wattr_set(w, a, (short)pair, NULL); }
static inline int nc_init_pair(int pair, int fg, int bg) { return init_pair((short)pair, (short)fg, (short)bg); }
static inline void nc_set_escdelay(int ms) { ESCDELAY = ms; }
#endif

/* The terminfo capability strings the crash handler writes to restore the terminal; NULL
   when the terminal lacks one. tigetstr returns (char *)-1 for a non-string capability. */
static inline const char *nc_tigetstr(const char *name) {
    char *value = tigetstr((char *)name);
    if (value == (char *)-1) return NULL;
    return value;
}
#endif
