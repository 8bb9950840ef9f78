/*
 * Monthly payroll: run a month for every worker with a contract in force (base, allowances,
 * arrears, social insurance and housing fund, income tax by cumulative withholding, net),
 * show it, close it, export it for finance (signed XML, bank CSV, payslips PDF) and verify
 * an export. Not for the rules' figures themselves (scales, steps, deductions): those are
 * pay.h, whose calculator this area uses.
 */
#ifndef SHUANGBAI_PAYROLL_H
#define SHUANGBAI_PAYROLL_H

#include "common.h"
#include "db.h"
#include "sign.h"

/** One worker's line of a month (all money in fen). */
typedef struct {
	char month[8];              /* YYYY-MM */
	char id_number[19];
	char *name;
	char township_code[13];     /* the employer */
	char contract[48];          /* the contract number */
	char *bank_account;         /* may be "" */
	int days;                   /* calendar days paid */
	int64_t base, allowances, arrears, gross;
	int64_t pension, medical, unemployment, housing_fund;
	int64_t special_deductions; /* declared for this month */
	int64_t tax, net;
} sb_payroll_line;

/** A month's lines, ordered by township, then ID number. */
typedef struct {
	char month[8];
	int closed;
	sb_payroll_line *lines;
	size_t n;
} sb_payroll;

/** What a run did. */
typedef struct {
	int64_t lines;
	int64_t arrears_lines;      /* months of arrears paid */
	int64_t gross, tax, net;    /* totals in fen */
} sb_payroll_stats;

/**
 * Run (or rerun) the payroll of `month` (YYYY-MM) for every contract in force in it under
 * `scope` (NULL: all). Earlier months with a payroll must be closed, the month itself must not
 * be, and no later month may have one (SB_ESTATE). Lines of the month under the scope are
 * replaced. Audited; all or nothing.
 * @param out_stats what was done (may be NULL)
 */
SB_EXTERN(int) sb_payroll_run(sb_payroll_stats *out_stats, sb_db *db, const char *month,
			      const char *scope, sb_progress_fn progress, void *ctx);

/**
 * The lines of `month` under `scope` (NULL: all). Free with sb_payroll_free.
 * @return 0, SB_ENOTFOUND when the month has no payroll
 */
SB_EXTERN(int) sb_payroll_get(sb_payroll **out, sb_db *db, const char *month, const char *scope);
SB_EXTERN(void) sb_payroll_free(sb_payroll *p);

/** Close `month`: it never changes again. SB_ESTATE when already closed or never run. */
SB_EXTERN(int) sb_payroll_close(sb_db *db, const char *month);

/** Files written by an export (paths owned by the struct; free with sb_payroll_export_clear). */
typedef struct {
	char *xml_path, *bank_path, *pdf_path;
	int64_t count, net;
} sb_payroll_export_info;
SB_EXTERN(void) sb_payroll_export_clear(sb_payroll_export_info *e);

/**
 * Export `month` for `scope` (the signing township's code): DIR/payroll-<CODE>-<YYYY-MM>.xml
 * (xsd/payroll.xsd, enveloped XML-DSig by `signer`), DIR/bank-<CODE>-<YYYY-MM>.csv
 * (account,name,net) and DIR/payslips-<CODE>-<YYYY-MM>.pdf (one page per worker). A key signs
 * only its own township's payroll (SB_EPOLICY otherwise). The month must be closed
 * (SB_ESTATE): finance pays what never changes.
 * @param out the files written (may be NULL)
 * @param signer the township's key and certificate (sign.h)
 * @param dir an existing directory
 * @param flags SB_PAYROLL_NO_PAYSLIPS: leave the PDF out (a province-wide export for finance,
 *        whose payslips are printed per township); 0: all three files
 */
SB_EXTERN(int) sb_payroll_export(sb_payroll_export_info *out, sb_db *db, const char *month,
				 const char *scope, const sb_signer *signer, const char *dir,
				 unsigned flags);

/** sb_payroll_export flag: no payslips PDF. */
#define SB_PAYROLL_NO_PAYSLIPS 1u

/** What a verification found. */
typedef struct {
	char month[8];
	char scope[13];
	char *signer;       /* township code of the signing certificate */
	int64_t count, net;
} sb_payroll_verified;
SB_EXTERN(void) sb_payroll_verified_clear(sb_payroll_verified *v);

/**
 * Verify an exported payroll: the signature (chain to `ca_path`, CRL if given), the schema,
 * each line's arithmetic and the header's count and totals; with `db` also that every line
 * is a worker with a signed contract in force that month at the pay the registry ran. The
 * message names the first ghost worker, duplicate or wrong amount (element and line).
 * @param db may be NULL
 * @return 0, SB_ECRYPTO, SB_EXML, SB_EINVALID
 */
SB_EXTERN(int) sb_payroll_verify(sb_payroll_verified *out, const char *path, const char *ca_path,
				 const char *crl_path, sb_db *db);

#endif
