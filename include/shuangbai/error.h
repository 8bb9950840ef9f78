/*
 * Error codes and the per-thread last-error message. Every fallible library function
 * returns 0 or a negative SB_E... code and sets the message where the failure is found;
 * the command reads it with sb_error_last(). Not for printing: the library never prints.
 */
#ifndef SHUANGBAI_ERROR_H
#define SHUANGBAI_ERROR_H

#include "common.h"

enum {
	SB_OK = 0,
	SB_ERROR = -1,     /* generic failure */
	SB_EINVALID = -2,  /* bad input data: file, line, field in the message */
	SB_ENOTFOUND = -3, /* a named thing does not exist */
	SB_EDB = -4,       /* the database failed */
	SB_EXML = -5,      /* XML could not be parsed or is not valid */
	SB_ECRYPTO = -6,   /* a key, certificate or signature operation failed */
	SB_EPOLICY = -7,   /* a rule of law or policy forbids it */
	SB_EIO = -8,       /* reading or writing a file failed */
	SB_ENOMEM = -9,    /* out of memory */
	SB_EEXISTS = -10,  /* already there, and different */
	SB_ESTATE = -11,   /* not allowed at this step (out of order, closed month) */
	SB_EUSAGE = -12,   /* the caller asked for something meaningless */
	SB_EBUSY = -13     /* the database stayed locked past the busy timeout */
};

/**
 * Set the last error of this thread. The message is formatted with printf rules and
 * copied, so arguments may point into buffers that the next call overwrites.
 * @param code an SB_E... code (negative)
 * @return code, so that `return sb_error_set(...)` reads naturally
 */
SB_EXTERN(int) sb_error_set(int code, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;

/** Prefix the current message with "PREFIX: " (adds context on the way up). */
SB_EXTERN(void) sb_error_prefix(const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 1, 2)))
#endif
	;

/** The last error message of this thread; never NULL ("" when none). Valid until the next set. */
SB_EXTERN(const char *) sb_error_last(void);

/** The code of the last error of this thread, 0 when none. */
SB_EXTERN(int) sb_error_code(void);

/** Forget the last error. */
SB_EXTERN(void) sb_error_clear(void);

/** The library's version string, e.g. "0.1.0". */
SB_EXTERN(const char *) sb_version(void);

#endif
