/*
 * The audit log: every change to the registry appends an entry (time, actor, command, what
 * changed) holding the SHA-256 of the entry before it, so that an edit made behind the
 * program's back breaks the chain. Not a history of values: the areas' tables hold those.
 */
#ifndef SHUANGBAI_AUDIT_H
#define SHUANGBAI_AUDIT_H

#include "common.h"
#include "db.h"

/**
 * Walk the whole chain and recompute every hash.
 * @param out_entries number of entries checked (may be NULL)
 * @return 0 when unbroken; SB_EINVALID with the first bad entry named otherwise
 */
SB_EXTERN(int) sb_audit_verify(sb_db *db, int64_t *out_entries);

/** One audit entry, for listing. */
typedef struct {
	int64_t id;
	char *at, *actor, *command, *change;
} sb_audit_entry;

/**
 * The last `limit` entries (all when 0), oldest first. Free with sb_audit_list_free().
 */
SB_EXTERN(int) sb_audit_list(sb_audit_entry **out, size_t *out_n, sb_db *db, size_t limit);
SB_EXTERN(void) sb_audit_list_free(sb_audit_entry *list, size_t n);

#endif
