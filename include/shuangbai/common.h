/*
 * Shuangbai public API: the export macro and the few types every area shares.
 * Not for anything area-specific; each area has its own header.
 */
#ifndef SHUANGBAI_COMMON_H
#define SHUANGBAI_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(SB_BUILDING_LIBRARY) && defined(__GNUC__)
#  define SB_EXTERN(type) __attribute__((visibility("default"))) type
#else
#  define SB_EXTERN(type) type
#endif

/**
 * Progress callback for long work (imports, payroll, contract batches).
 * @param done  items finished so far
 * @param total items in all (0 when unknown)
 * @param what  short label of the work ("divisions", "contracts"...)
 * @param ctx   the pointer given with the callback
 */
typedef void (*sb_progress_fn)(uint64_t done, uint64_t total, const char *what, void *ctx);

#endif
