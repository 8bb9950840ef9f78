/*
 * What other areas of the library need from the staff area: registering a worker (round
 * hiring, take-over). Not for reading workers: that is the public sb_staff_workers.
 */
#ifndef SB_STAFF_INTERNAL_H
#define SB_STAFF_INTERNAL_H

#include <stdint.h>

#include "shuangbai/db.h"

/** A worker to register; strings are borrowed for the call. */
typedef struct {
	const char *id_number, *name, *township_code, *village_code /* NULL or "" for office */,
	           *kind, *source, *qualification, *start_date, *service_start /* may be NULL */,
	           *phone, *bank_account /* may be NULL */, *round_code, *app_no, *post_id /* NULL unless hired */;
} sb__staff_new;

/**
 * Register person + worker in one go; an existing active worker with the same ID number is
 * not duplicated (*out_existed = 1, nothing changed). Audited. The caller has validated the
 * fields (codes exist, the township has a station, the village a point); the store's
 * constraints catch the rest.
 * @param out_id      the worker's id, new or existing (may be NULL)
 * @param out_existed 1 when an active worker with this ID number was already there (may be NULL)
 */
int sb__staff_add(sb_db *db, const sb__staff_new *w, int64_t *out_id, int *out_existed);

#endif
