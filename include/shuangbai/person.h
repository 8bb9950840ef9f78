/*
 * Identities: the 18-character resident ID number (GB 11643-1999) that keys every person,
 * and the 18-character unified social credit code (GB 32100-2015) that keys every employer.
 * Validation, derived birth date and sex, and masking for listings. Not the person registry.
 */
#ifndef SHUANGBAI_PERSON_H
#define SHUANGBAI_PERSON_H

#include "common.h"

/** What a resident ID number says of its holder. */
typedef struct {
	char region[7]; /* address code, 6 digits */
	int year, month, day;
	int sex;        /* 1 male (odd sequence digit), 2 female */
} sb_id_info;

/**
 * Check a resident ID number: 18 characters, 17 digits then a digit or upper-case `X`,
 * a real birth date not after `today` (NULL: the current date), and the ISO 7064 MOD 11-2
 * check character.
 * @param out what it says (may be NULL)
 * @return 0, or SB_EINVALID with a message saying what is wrong (no file context)
 */
SB_EXTERN(int) sb_person_id_check(sb_id_info *out, const char *id);

/** The MOD 11-2 check character ('0'-'9' or 'X') of 17 digits. */
SB_EXTERN(char) sb_person_id_check_char(const char *first17);

/**
 * Check a unified social credit code: 18 characters of 0-9 and A-Y without I, O, S, V, Z;
 * registration department and type, six-digit division code, the embedded organisation code
 * with its GB 11714 check character, and the GB 32100 check character.
 */
SB_EXTERN(int) sb_person_uscc_check(const char *code);

/** The GB 32100 check character of the first 17 characters, or '\0' if they are not valid. */
SB_EXTERN(char) sb_person_uscc_check_char(const char *first17);

/** The GB 11714 check character of an 8-character organisation code body, or '\0'. */
SB_EXTERN(char) sb_person_orgcode_check_char(const char *first8);

/**
 * Mask an ID number for listings: first 6 and last 4 characters shown, the 8 between as
 * `*`. `out` has room for 19 bytes. Text that is not 18 characters is masked whole.
 */
SB_EXTERN(char *) sb_person_id_mask(char *out, const char *id);

#endif
