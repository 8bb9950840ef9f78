/*
 * The CSV reader every import shares: whole-file decode (UTF-8 or GB18030, BOM or not),
 * RFC 4180 records, header checking, and messages of the form FILE:LINE: FIELD: what.
 * Not for any rule about what a field means: each area validates its own columns.
 */
#ifndef SB_CSV_INTERNAL_H
#define SB_CSV_INTERNAL_H

#include <stddef.h>

typedef struct sb__csv sb__csv;

/** Column description for sb__csv_header: name and whether it must be present. */
typedef struct {
	const char *name;
	int required;
} sb__csv_col;

/* Largest record accepted; a longer one is an error naming its line. */
#define SB_CSV_MAX_RECORD (1u << 20)

/** Read and decode PATH. `display` names the file in messages (NULL: the path). */
int sb__csv_open(sb__csv **out, const char *path);
/** The same over bytes in memory (copied); `name` is used in messages. */
int sb__csv_open_mem(sb__csv **out, const char *name, const char *data, size_t len);
void sb__csv_free(sb__csv *c);

/**
 * Read the header row and map it onto `cols` (n entries): map[i] is the column index of
 * cols[i] in the file, or -1 when absent and optional. Unknown, duplicate and missing
 * columns are errors on line 1.
 */
int sb__csv_header(sb__csv *c, const sb__csv_col *cols, int n, int *map);

/** Next record: 1 when one was read, 0 at the end, negative on error. */
int sb__csv_next(sb__csv *c);
/** Field of the current record by file column index; "" for index -1. */
const char *sb__csv_field(const sb__csv *c, int index);
int sb__csv_nfields(const sb__csv *c);
/** Physical line (1 = header) where the current record starts. */
long sb__csv_line(const sb__csv *c);
const char *sb__csv_name(const sb__csv *c);
/** SHA-256 of the raw file bytes, as 64 hex digits. */
const char *sb__csv_digest(const sb__csv *c);
/** Records read so far and an estimate of the total (for progress). */
size_t sb__csv_offset(const sb__csv *c);
size_t sb__csv_size(const sb__csv *c);
/** The encoding detected: "UTF-8" or "GB18030". */
const char *sb__csv_encoding(const sb__csv *c);

/** Set SB_EINVALID "FILE:LINE: FIELD: message" for the current record and return it. */
int sb__csv_error(const sb__csv *c, const char *field, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 3, 4)))
#endif
	;

#endif
