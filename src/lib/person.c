/*
 * Resident ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015,
 * with the organisation code of GB 11714-1997 inside). Pure functions over strings; the
 * person registry lives with the areas that register people.
 */
#include "config.h"
#include "common_internal.h"
#include "shuangbai/person.h"

#include <string.h>

char sb_person_id_check_char(const char *first17)
{
	/* ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11. */
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char map[] = "10X98765432";
	int sum = 0, i;
	for (i = 0; i < 17; i++) {
		if (first17[i] < '0' || first17[i] > '9')
			return '\0';
		sum += (first17[i] - '0') * w[i];
	}
	return map[sum % 11];
}

int sb_person_id_check(sb_id_info *out, const char *id)
{
	int i, y, m, d, ty, tm, td;
	char expect;

	if (strlen(id) != 18)
		return sb_error_set(SB_EINVALID, "'%s': must be 18 characters, has %zu", id, strlen(id));
	for (i = 0; i < 17; i++)
		if (id[i] < '0' || id[i] > '9')
			return sb_error_set(SB_EINVALID, "'%s': character %d must be a digit", id, i + 1);
	if (!((id[17] >= '0' && id[17] <= '9') || id[17] == 'X')) {
		if (id[17] == 'x')
			return sb_error_set(SB_EINVALID, "'%s': the check character X must be upper case", id);
		return sb_error_set(SB_EINVALID, "'%s': the last character must be a digit or X", id);
	}
	if (id[0] == '0')
		return sb_error_set(SB_EINVALID, "'%s': address code %.6s is not a division", id, id);
	y = (id[6] - '0') * 1000 + (id[7] - '0') * 100 + (id[8] - '0') * 10 + (id[9] - '0');
	m = (id[10] - '0') * 10 + (id[11] - '0');
	d = (id[12] - '0') * 10 + (id[13] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > sb__days_in_month(y, m))
		return sb_error_set(SB_EINVALID, "'%s': birth date %.8s is not a real date", id, id + 6);
	sb__today(&ty, &tm, &td);
	if (sb__days_from_civil(y, m, d) > sb__days_from_civil(ty, tm, td))
		return sb_error_set(SB_EINVALID, "'%s': birth date %.8s is in the future", id, id + 6);
	expect = sb_person_id_check_char(id);
	if (expect != id[17])
		return sb_error_set(SB_EINVALID, "'%s': check digit should be %c", id, expect);
	if (out) {
		memcpy(out->region, id, 6);
		out->region[6] = '\0';
		out->year = y;
		out->month = m;
		out->day = d;
		out->sex = ((id[16] - '0') % 2) ? 1 : 2;
	}
	return 0;
}

/* GB 32100 alphabet: digits and capitals without I, O, S, V, Z. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
	const char *p;
	if (!c)
		return -1;
	p = strchr(uscc_alphabet, c);
	return p ? (int)(p - uscc_alphabet) : -1;
}

char sb_person_uscc_check_char(const char *first17)
{
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
	int sum = 0, i, v;
	for (i = 0; i < 17; i++) {
		if ((v = uscc_value(first17[i])) < 0)
			return '\0';
		sum += v * w[i];
	}
	v = 31 - sum % 31;
	return uscc_alphabet[v == 31 ? 0 : v];
}

char sb_person_orgcode_check_char(const char *first8)
{
	static const int w[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0, i, v;
	for (i = 0; i < 8; i++) {
		char c = first8[i];
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'A' && c <= 'Z')
			v = c - 'A' + 10;
		else
			return '\0';
		sum += v * w[i];
	}
	v = 11 - sum % 11;
	return v == 10 ? 'X' : v == 11 ? '0' : (char)('0' + v);
}

int sb_person_uscc_check(const char *code)
{
	static const char departments[] = "123456789ABCDEFGY";
	char expect;
	int i;

	if (strlen(code) != 18)
		return sb_error_set(SB_EINVALID, "'%s': must be 18 characters, has %zu", code, strlen(code));
	for (i = 0; i < 18; i++)
		if (uscc_value(code[i]) < 0)
			return sb_error_set(SB_EINVALID, "'%s': character %d '%c' is not allowed", code, i + 1,
					    code[i]);
	if (!strchr(departments, code[0]))
		return sb_error_set(SB_EINVALID, "'%s': registration department '%c' is not defined", code,
				    code[0]);
	for (i = 2; i < 8; i++)
		if (code[i] < '0' || code[i] > '9')
			return sb_error_set(SB_EINVALID, "'%s': characters 3-8 must be a division code", code);
	expect = sb_person_uscc_check_char(code);
	if (expect != code[17])
		return sb_error_set(SB_EINVALID, "'%s': check character should be %c", code, expect);
	expect = sb_person_orgcode_check_char(code + 8);
	if (expect != code[16])
		return sb_error_set(SB_EINVALID, "'%s': organisation code %.9s: check character should be %c",
				    code, code + 8, expect);
	return 0;
}

char *sb_person_id_mask(char *out, const char *id)
{
	size_t n = strlen(id), i;
	if (n != 18) {
		for (i = 0; i < 18; i++)
			out[i] = '*';
	} else {
		memcpy(out, id, 6);
		for (i = 6; i < 14; i++)
			out[i] = '*';
		memcpy(out + 14, id + 14, 4);
	}
	out[18] = '\0';
	return out;
}

/* ---- the person registry ---------------------------------------------------------- */

#include <stdio.h>
#include <stdlib.h>

#include "db_internal.h"
#include "audit_internal.h"
#include "person_internal.h"

int sb__person_register(sb_db *db, const char *id_number, const char *name, const char *phone,
			const char *bank_account, int *out_existed, unsigned *out_differs)
{
	sb_id_info info;
	sb__stmt *st = NULL;
	int error, r;
	unsigned differs = 0;
	char birth[11];

	if (out_existed)
		*out_existed = 0;
	if (out_differs)
		*out_differs = 0;
	if ((error = sb_person_id_check(&info, id_number)) < 0)
		return error;
	if ((error = sb__db_prepare(db, &st, "SELECT name, phone, bank_account FROM person WHERE id_number = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, id_number)) < 0)
		return error;
	if ((r = sb__stmt_step(st)) < 0)
		return r;
	if (r == 1) {
		if (strcmp(sb__stmt_text(st, 0), name) != 0)
			differs |= SB_PERSON_NAME;
		if (phone && phone[0] && strcmp(sb__stmt_text(st, 1), phone) != 0)
			differs |= SB_PERSON_PHONE;
		if (bank_account && bank_account[0] && strcmp(sb__stmt_text(st, 2), bank_account) != 0)
			differs |= SB_PERSON_BANK;
		sb__stmt_reset(st);
		if (out_existed)
			*out_existed = 1;
		if (out_differs)
			*out_differs = differs;
		return 0;
	}
	snprintf(birth, sizeof(birth), "%04d-%02d-%02d", info.year, info.month, info.day);
	if ((error = sb__db_prepare(db, &st,
				    "INSERT INTO person (id_number, name, birth, sex, phone, bank_account) "
				    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, id_number)) < 0 || (error = sb__stmt_bind_text(st, 2, name)) < 0 ||
	    (error = sb__stmt_bind_text(st, 3, birth)) < 0 || (error = sb__stmt_bind_int64(st, 4, info.sex)) < 0 ||
	    (error = sb__stmt_bind_text(st, 5, phone && phone[0] ? phone : NULL)) < 0 ||
	    (error = sb__stmt_bind_text(st, 6, bank_account && bank_account[0] ? bank_account : NULL)) < 0 ||
	    (error = sb__stmt_run(st)) < 0)
		return error;
	{
		char masked[19];
		return sb__audit_append(db, "person %s registered", sb_person_id_mask(masked, id_number));
	}
}

int sb__person_name(char **out, sb_db *db, const char *id_number)
{
	char *bank = NULL;
	int error = sb__person_get(out, &bank, db, id_number);
	free(bank);
	return error;
}

/* Name and bank account, for the staff area's worker lists. */
int sb__person_get(char **out_name, char **out_bank, sb_db *db, const char *id_number)
{
	sb__stmt *st = NULL;
	int error, r;

	*out_name = *out_bank = NULL;
	if ((error = sb__db_prepare(db, &st, "SELECT name, bank_account FROM person WHERE id_number = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, id_number)) < 0)
		return error;
	if ((r = sb__stmt_step(st)) < 0)
		return r;
	if (r == 0)
		return sb_error_set(SB_ENOTFOUND, "person %s is not in the registry", id_number);
	*out_name = sb__strdup(sb__stmt_text(st, 0));
	*out_bank = sb__strdup(sb__stmt_text(st, 1));
	sb__stmt_reset(st);
	if (!*out_name || !*out_bank) {
		free(*out_name);
		free(*out_bank);
		*out_name = *out_bank = NULL;
		return SB_ENOMEM;
	}
	return 0;
}

/* Added for readers of a whole province (sb_staff_workers without a scope, payroll): one
 * pass over the table in ID-number order instead of a query per person. */
int sb__person_each(sb_db *db, int (*fn)(void *ctx, const char *id_number, const char *name,
					 const char *bank_account), void *ctx)
{
	sb__stmt *st = NULL;
	int error, r;

	if ((error = sb__db_prepare(db, &st, "SELECT id_number, name, bank_account FROM person ORDER BY id_number")) < 0)
		return error;
	while ((r = sb__stmt_step(st)) == 1)
		if ((error = fn(ctx, sb__stmt_text(st, 0), sb__stmt_text(st, 1), sb__stmt_text(st, 2))) < 0) {
			sb__stmt_reset(st);
			return error;
		}
	return r < 0 ? r : 0;
}
