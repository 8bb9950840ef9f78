/* Appending to the audit log, for every area that changes the registry. */
#ifndef SB_AUDIT_INTERNAL_H
#define SB_AUDIT_INTERNAL_H

#include "shuangbai/db.h"

/** Append one entry describing a change; must run inside the command's transaction. */
int sb__audit_append(sb_db *db, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif
