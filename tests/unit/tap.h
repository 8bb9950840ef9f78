/*
 * A small TAP producer for the unit tests: each check is one test point, so the test
 * driver counts checks, and a failing check prints where it is and what it saw.
 */
#ifndef SB_TAP_H
#define SB_TAP_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int tap_count;
static int tap_fail;

static inline int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	tap_count++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_fail++;
		printf("#   at %s:%d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, name)                                                                    \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		if (!tap_ok(g_ == w_, __FILE__, __LINE__, "%s", name))                             \
			printf("#   got %lld, want %lld\n", g_, w_);                                   \
	} while (0)
#define is_str(got, want, name)                                                                    \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (!tap_ok(g_ && w_ && strcmp(g_, w_) == 0, __FILE__, __LINE__, "%s", name))      \
			printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)");   \
	} while (0)
/* The last error message contains `part`. */
#define has_msg(part, name)                                                                        \
	do {                                                                                       \
		const char *m_ = sb_error_last();                                                  \
		if (!tap_ok(strstr(m_, (part)) != NULL, __FILE__, __LINE__, "%s", name))            \
			printf("#   message '%s' lacks '%s'\n", m_, (part));                           \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_fail ? 1 : 0;
}

/* A fresh scratch directory tests/tmp/NAME under the build directory. */
static inline const char *tap_tmpdir(const char *name)
{
	static char path[1024];
	char cmd[1200];
	snprintf(path, sizeof(path), "tests/tmp/unit-%s", name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", path, path);
	if (system(cmd) != 0) {
		printf("Bail out! cannot make %s\n", path);
		exit(1);
	}
	return path;
}

/* Write `text` to DIR/NAME; returns the path (static buffer). */
static inline const char *tap_write(const char *dir, const char *name, const char *text)
{
	static char path[2048];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")) || fwrite(text, 1, strlen(text), f) != strlen(text)) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	fclose(f);
	return path;
}

#endif
