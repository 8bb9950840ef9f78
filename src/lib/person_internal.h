/*
 * The person registry for the areas that register people (staff take-over, hiring):
 * one row per resident ID number, with name, birth date and sex derived from the number.
 */
#ifndef SB_PERSON_INTERNAL_H
#define SB_PERSON_INTERNAL_H

#include "shuangbai/db.h"

/* Field bits of sb__person_register's `out_differs`. */
enum { SB_PERSON_NAME = 1, SB_PERSON_PHONE = 2, SB_PERSON_BANK = 4 };

/**
 * Register a person, or find them. The ID number must be valid (sb_person_id_check).
 * When the person exists, nothing is changed and `out_differs` (may be NULL) gets the bits
 * of the given fields that differ from the registry (empty phone or bank are not compared);
 * `out_existed` says whether they existed. A new person is audited.
 */
int sb__person_register(sb_db *db, const char *id_number, const char *name, const char *phone,
			const char *bank_account, int *out_existed, unsigned *out_differs);

/** The registered name of a person (caller frees), or SB_ENOTFOUND. */
int sb__person_name(char **out, sb_db *db, const char *id_number);

/** Name and bank account ("" when none) of a person (caller frees both), or SB_ENOTFOUND. */
int sb__person_get(char **out_name, char **out_bank, sb_db *db, const char *id_number);

/** Every person in ID-number order: fn(ctx, id_number, name, bank_account ("" when none));
 * a negative return from fn stops the pass and is returned. The texts last until fn returns. */
int sb__person_each(sb_db *db, int (*fn)(void *ctx, const char *id_number, const char *name,
					 const char *bank_account), void *ctx);

#endif
