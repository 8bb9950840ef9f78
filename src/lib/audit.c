/*
 * The hash-chained audit log. Each entry's hash is SHA-256 over its id, time, actor,
 * command, change text and the previous entry's hash (64 zeros for the first), each
 * length-prefixed so that no two different entries hash alike. Verification recomputes the
 * chain from the first entry. Deleting the newest entries leaves a shorter valid chain;
 * that limit is written down in doc/internals/audit.md.
 */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "audit_internal.h"
#include "shuangbai/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void hash_field(EVP_MD_CTX *ctx, const char *s)
{
	char len[24];
	int n = snprintf(len, sizeof(len), "%zu:", strlen(s));
	EVP_DigestUpdate(ctx, len, (size_t)n);
	EVP_DigestUpdate(ctx, s, strlen(s));
}

static int entry_hash(char out[65], int64_t id, const char *at, const char *actor,
		      const char *command, const char *change, const char *prev)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int mdlen = 0;
	char idtext[24];
	EVP_MD_CTX *ctx;
	int i;

	if (sb__fault("crypto") || !(ctx = EVP_MD_CTX_new()))
		return sb_error_set(SB_ECRYPTO, "audit: cannot hash");
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	if (!EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		return sb_error_set(SB_ECRYPTO, "audit: cannot hash");
	}
	hash_field(ctx, idtext);
	hash_field(ctx, at);
	hash_field(ctx, actor);
	hash_field(ctx, command);
	hash_field(ctx, change);
	hash_field(ctx, prev);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

int sb__audit_append(sb_db *db, const char *fmt, ...)
{
	sb__stmt *st = NULL;
	char prev[65], hash[65], at[32];
	int64_t id = 1;
	int error, r;
	va_list ap;
	char *change = NULL;
	int n;
	time_t t = time(NULL);
	struct tm tm;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (!(change = sb__malloc((size_t)n + 1)))
		return SB_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(change, (size_t)n + 1, fmt, ap);
	va_end(ap);

	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	memcpy(prev, zero_hash, 65);
	if ((error = sb__db_prepare(db, &st, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")) < 0)
		goto done;
	if ((r = sb__stmt_step(st)) < 0) {
		error = r;
		goto done;
	}
	if (r == 1) {
		id = sb__stmt_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", sb__stmt_text(st, 1));
		sb__stmt_reset(st);
	}
	if ((error = entry_hash(hash, id, at, sb__db_actor(db), sb__db_command(db), change, prev)) < 0)
		goto done;
	if ((error = sb__db_prepare(db, &st,
				    "INSERT INTO audit_log (id, at, actor, command, change, prev, hash) "
				    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")) < 0 ||
	    (error = sb__stmt_bind_int64(st, 1, id)) < 0 || (error = sb__stmt_bind_text(st, 2, at)) < 0 ||
	    (error = sb__stmt_bind_text(st, 3, sb__db_actor(db))) < 0 ||
	    (error = sb__stmt_bind_text(st, 4, sb__db_command(db))) < 0 ||
	    (error = sb__stmt_bind_text(st, 5, change)) < 0 || (error = sb__stmt_bind_text(st, 6, prev)) < 0 ||
	    (error = sb__stmt_bind_text(st, 7, hash)) < 0)
		goto done;
	error = sb__stmt_run(st);
done:
	free(change);
	return error;
}

int sb_audit_verify(sb_db *db, int64_t *out_entries)
{
	sb__stmt *st = NULL;
	char prev[65], hash[65];
	int64_t count = 0, expect_id = 1;
	int error = 0, r;

	memcpy(prev, zero_hash, 65);
	if ((error = sb__db_prepare(db, &st,
				    "SELECT id, at, actor, command, change, prev, hash FROM audit_log ORDER BY id")) < 0)
		return error;
	while ((r = sb__stmt_step(st)) == 1) {
		int64_t id = sb__stmt_int64(st, 0);
		if (id != expect_id) {
			error = sb_error_set(SB_EINVALID, "audit entry %lld: missing (the next entry is %lld)",
					     (long long)expect_id, (long long)id);
			break;
		}
		if (strcmp(sb__stmt_text(st, 5), prev) != 0) {
			error = sb_error_set(SB_EINVALID,
					     "audit entry %lld: does not follow entry %lld (previous hash differs)",
					     (long long)id, (long long)id - 1);
			break;
		}
		if ((error = entry_hash(hash, id, sb__stmt_text(st, 1), sb__stmt_text(st, 2),
					sb__stmt_text(st, 3), sb__stmt_text(st, 4), prev)) < 0)
			break;
		if (strcmp(hash, sb__stmt_text(st, 6)) != 0) {
			error = sb_error_set(SB_EINVALID,
					     "audit entry %lld: contents do not match its hash (changed after it was written)",
					     (long long)id);
			break;
		}
		memcpy(prev, hash, 65);
		count++;
		expect_id++;
	}
	sb__stmt_reset(st);
	if (r < 0 && error == 0)
		error = r;
	if (out_entries)
		*out_entries = count;
	return error;
}

int sb_audit_list(sb_audit_entry **out, size_t *out_n, sb_db *db, size_t limit)
{
	sb__stmt *st = NULL;
	sb_audit_entry *list = NULL;
	size_t n = 0, cap = 0;
	int error = 0, r;

	*out = NULL;
	*out_n = 0;
	if ((error = sb__db_prepare(db, &st,
				    "SELECT id, at, actor, command, change FROM ("
				    " SELECT * FROM audit_log ORDER BY id DESC LIMIT ?1) ORDER BY id")) < 0 ||
	    (error = sb__stmt_bind_int64(st, 1, limit ? (int64_t)limit : -1)) < 0)
		return error;
	while ((r = sb__stmt_step(st)) == 1) {
		sb_audit_entry *e;
		if (n == cap) {
			sb_audit_entry *p;
			cap = cap ? cap * 2 : 32;
			if (!(p = sb__realloc(list, cap * sizeof(*p)))) {
				error = SB_ENOMEM;
				break;
			}
			list = p;
		}
		e = &list[n];
		e->id = sb__stmt_int64(st, 0);
		e->at = sb__strdup(sb__stmt_text(st, 1));
		e->actor = sb__strdup(sb__stmt_text(st, 2));
		e->command = sb__strdup(sb__stmt_text(st, 3));
		e->change = sb__strdup(sb__stmt_text(st, 4));
		n++;
		if (!e->at || !e->actor || !e->command || !e->change) {
			error = SB_ENOMEM;
			break;
		}
	}
	sb__stmt_reset(st);
	if (r < 0 && error == 0)
		error = r;
	if (error < 0) {
		sb_audit_list_free(list, n);
		return error;
	}
	*out = list;
	*out_n = n;
	return 0;
}

void sb_audit_list_free(sb_audit_entry *list, size_t n)
{
	size_t i;
	if (!list)
		return;
	for (i = 0; i < n; i++) {
		free(list[i].at);
		free(list[i].actor);
		free(list[i].command);
		free(list[i].change);
	}
	free(list);
}
