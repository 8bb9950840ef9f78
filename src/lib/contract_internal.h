/*
 * What other library areas (payroll tests, the demo) may use of the contract area without
 * going through document issuing. Not public.
 */
#ifndef SB_CONTRACT_INTERNAL_H
#define SB_CONTRACT_INTERNAL_H

#include "shuangbai/contract.h"

/*
 * Record a contract row (no documents), as if issued; audited. An empty `number` gets the
 * next one of the township and the start year. Runs in its own (nested) transaction.
 */
int sb__contract_record(sb_db *db, const sb_contract_info *c);

/*
 * Allocate the next contract number of `township` in `year`: must run inside a write
 * transaction (BEGIN IMMEDIATE) so two processes never get the same serial.
 */
int sb__contract_next_number(char out[48], sb_db *db, const char *township, int year);

/*
 * sb_contract_in_force one contract at a time, in the same order (employer, person, start),
 * without a list: `fn` gets each (valid during the call); a negative return stops the pass
 * and is returned.
 */
int sb__contract_in_force_each(sb_db *db, int year, int month, const char *scope,
				int (*fn)(void *ctx, const sb_contract_info *c), void *ctx);

/* Labour Contract Law Art. 19: the longest probation (months) for a term of `term_months`
 * (0: open-ended). */
int sb__contract_probation_max(int term_months);
/* Art. 19 check: SB_EPOLICY naming the article when the probation is too long. */
int sb__contract_check_probation(int term_months, int probation_months);
/* Art. 20 and the minimum wage: SB_EPOLICY naming the article (minimum_fen 0: unknown). */
int sb__contract_check_pay(int64_t monthly_fen, int64_t probation_fen, int64_t minimum_fen, int probation_months);
/* The last day of a period of `months` starting on `start` (YYYY-MM-DD). */
void sb__contract_add_months(char out[11], const char *start, int months);

#endif
