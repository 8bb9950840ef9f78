/*
 * The last-error slot of each thread: a code and a message formatted where the failure
 * was found. This file only stores and hands out messages; it never prints them.
 */
#include "config.h"
#include "common_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SB_ERROR_MAX 2048

static _Thread_local char last_message[SB_ERROR_MAX];
static _Thread_local int last_code;

int sb_error_set(int code, const char *fmt, ...)
{
	char tmp[SB_ERROR_MAX];
	va_list ap;

	/* Format into a temporary: arguments may point into last_message itself. */
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	memcpy(last_message, tmp, sizeof(tmp));
	last_code = code;
	return code;
}

void sb_error_prefix(const char *fmt, ...)
{
	char prefix[512], tmp[SB_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	/* Truncation at SB_ERROR_MAX is intended: a message is for a person to read. */
	{
		size_t a = strlen(prefix), b = strlen(last_message);
		if (a > sizeof(tmp) - 3)
			a = sizeof(tmp) - 3;
		if (b > sizeof(tmp) - 3 - a)
			b = sizeof(tmp) - 3 - a;
		memcpy(tmp, prefix, a);
		memcpy(tmp + a, ": ", 2);
		memcpy(tmp + a + 2, last_message, b);
		tmp[a + 2 + b] = '\0';
	}
	memcpy(last_message, tmp, sizeof(tmp));
}

const char *sb_error_last(void)
{
	return last_message;
}

int sb_error_code(void)
{
	return last_code;
}

void sb_error_clear(void)
{
	last_message[0] = '\0';
	last_code = 0;
}

const char *sb_version(void)
{
	return PACKAGE_VERSION;
}
