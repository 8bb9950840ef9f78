/*
 * Labour contracts (劳动合同) between a township government and its social workers: checked
 * against the Labour Contract Law (Arts. 17, 19, 20), numbered uniquely across the province
 * (<township code>-<year>-<serial>), written as a signed XML (xsd/contract.xsd) and a signed
 * PDF rendered from forms/contract.xml, and verified. Not for keys (pki.h), signature
 * mechanics (sign.h) or pay scales (pay.h).
 */
#ifndef SHUANGBAI_CONTRACT_H
#define SHUANGBAI_CONTRACT_H

#include "common.h"
#include "db.h"
#include "sign.h"

/** One contract as the registry holds it. */
typedef struct {
	char number[48];            /* <township code>-<year>-<serial> */
	int64_t worker_id;
	char id_number[19];
	char township_code[13];     /* the employer */
	char start[11];             /* YYYY-MM-DD */
	char end[11];               /* last day, "" when open-ended; earlier when terminated */
	char probation_end[11];     /* last day of probation, "" when none */
	int64_t monthly_fen;        /* contract wage */
	int64_t probation_fen;      /* wage during probation */
} sb_contract_info;

/**
 * Signed contracts in force on at least one day of YEAR-MONTH, whose employer lies under
 * `scope` (NULL: all), ordered by township then ID number.
 * @param out   array (caller frees with sb_contract_info_free); NULL when none
 * @param out_n its length
 * @return 0, or a negative SB_E... code
 */
SB_EXTERN(int) sb_contract_in_force(sb_contract_info **out, size_t *out_n, sb_db *db, int year,
				    int month, const char *scope);

/** Free a list from sb_contract_in_force (NULL is fine). */
SB_EXTERN(void) sb_contract_info_free(sb_contract_info *list);

/** Options of sb_contract_issue; zero-initialise, then set what differs. */
typedef struct {
	const char *township;      /* employer township code (required) */
	const char *out_dir;       /* where <number>.xml and <number>.pdf go (required) */
	const char *id_number;     /* only this person (NULL: every worker without a contract) */
	const char *start;         /* YYYY-MM-DD (NULL: the worker's start date) */
	int term_years;            /* fixed term in years (0: 3 years) */
	int open_ended;            /* 1: no fixed end */
	int probation_months;      /* -1: default (2 for recruits, 0 for taken-over workers) */
	int64_t monthly_fen;       /* wage when no pay policy applies, or instead of the scale (0: none) */
	int64_t probation_fen;     /* probation wage (0: the policy's percentage of the wage) */
	const char *ca_path;       /* when set: refuse a signer not issued by this CA */
	const char *crl_path;      /* when set: refuse a revoked signer */
	sb_progress_fn progress;   /* may be NULL */
	void *ctx;
} sb_contract_issue_opts;

/**
 * Issue, sign and record the contracts of a township's workers who have none (or of one
 * person). Every contract is checked first; one refusal refuses the batch and nothing is
 * written: SB_EPOLICY naming the article (Art. 17 missing clause, Art. 19 probation, Art. 20
 * probation wage or minimum wage), or the signer's township not being the employer.
 * Documents are written under temporary names, the rows committed, then the files renamed.
 * @param out_count contracts issued (may be NULL)
 * @param signer    the township's key and certificate
 * @return 0, or SB_EPOLICY, SB_ENOTFOUND, SB_EINVALID, SB_ECRYPTO, SB_EIO, SB_EDB
 */
SB_EXTERN(int) sb_contract_issue(size_t *out_count, sb_db *db, const sb_signer *signer,
				 const sb_contract_issue_opts *opts);

/** What verifying a contract document found. */
typedef struct {
	char number[48];
	char township[13];   /* the employer named in the document = the signer's township */
	char *worker_name;
	char *employer_name;
} sb_contract_verified;

/** Free what sb_contract_verify filled in (not the struct itself). */
SB_EXTERN(void) sb_contract_verified_clear(sb_contract_verified *v);

/**
 * Verify a contract document (.xml or .pdf by content): signature, chain to the CA, the
 * CRL when given, the signer's township equal to the employer, and (XML) the schema.
 * @param out filled on success (clear with sb_contract_verified_clear); may be NULL
 * @return 0, SB_ECRYPTO (signature or modification), SB_EPOLICY (chain, revoked, wrong
 *         township), SB_EXML (schema), SB_EIO
 */
SB_EXTERN(int) sb_contract_verify(sb_contract_verified *out, const char *path, const char *ca_path,
				  const char *crl_path);

#endif
