/*
 * Small services every area uses: checked allocation with the fault hook, the text buffer,
 * calendar arithmetic and whole-file I/O. No rules of the domain live here.
 */
#include "config.h"
#include "common_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct {
	int loaded;
	char kind[32];
	long target;
	int sticky;
	int kill;
	long count;
} fault;

static void fault_load(void)
{
	const char *env = getenv("SHUANGBAI_FAULT");
	const char *colon;
	char *end;
	size_t n;

	fault.loaded = 1;
	fault.target = 0;
	if (!env || !(colon = strchr(env, ':')))
		return;
	n = (size_t)(colon - env);
	if (n == 0 || n >= sizeof(fault.kind))
		return;
	memcpy(fault.kind, env, n);
	fault.kind[n] = '\0';
	errno = 0;
	fault.target = strtol(colon + 1, &end, 10);
	if (errno || fault.target <= 0) {
		fault.target = 0;
		return;
	}
	fault.sticky = (*end == '+');
	fault.kill = (*end == '!');
}

void sb__fault_reset(void)
{
	memset(&fault, 0, sizeof(fault));
}

int sb__fault(const char *kind)
{
	if (!fault.loaded)
		fault_load();
	if (fault.target == 0)
		return 0;
	if (strcmp(fault.kind, "any") != 0 && strcmp(fault.kind, kind) != 0)
		return 0;
	fault.count++;
	/* "KIND:N!" stands for a crash at that point (the crash-consistency tests): the process
	 * dies at once, with no chance to roll back, close files or print. */
	if (fault.kill && fault.count == fault.target)
		raise(SIGKILL);
	if (fault.count == fault.target || (fault.sticky && fault.count > fault.target))
		return 1;
	return 0;
}

static void *nomem(void)
{
	sb_error_set(SB_ENOMEM, "out of memory");
	return NULL;
}

/*
 * A block of many megabytes (a province's lines, workers, contracts) is asked to be backed by
 * the kernel's huge pages where it allows them only on request ("madvise", Debian's
 * default): one page fault for 2 MiB instead of 512, which is a fifth of a million-line
 * payroll's time. Only whole huge pages inside the block are named; a kernel or libc without
 * the request simply ignores it (it is advice, and its failure changes nothing).
 */
#define BIG_BLOCK ((size_t)8 << 20)
static void *big(void *p, size_t size)
{
#if defined(MADV_HUGEPAGE)
	if (p && size >= BIG_BLOCK) {
		uintptr_t lo = ((uintptr_t)p + ((uintptr_t)2 << 20) - 1) & ~(((uintptr_t)2 << 20) - 1);
		uintptr_t hi = ((uintptr_t)p + size) & ~(((uintptr_t)2 << 20) - 1);
		int saved = errno;
		if (hi > lo)
			(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
		errno = saved;
	}
#else
	(void)size;
#endif
	return p;
}

void *sb__malloc(size_t size)
{
	void *p;
	if (sb__fault("alloc"))
		return nomem();
	p = malloc(size ? size : 1);
	return p ? big(p, size) : nomem();
}

void *sb__calloc(size_t n, size_t size)
{
	void *p;
	if (sb__fault("alloc"))
		return nomem();
	p = calloc(n ? n : 1, size ? size : 1);
	return p ? big(p, n && size && n <= SIZE_MAX / size ? n * size : 0) : nomem();
}

void *sb__realloc(void *old, size_t size)
{
	void *p;
	if (sb__fault("alloc"))
		return nomem();
	p = realloc(old, size ? size : 1);
	return p ? big(p, size) : nomem();
}

char *sb__strndup(const char *s, size_t n)
{
	char *p = sb__malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *sb__strdup(const char *s)
{
	return sb__strndup(s, strlen(s));
}

void sb__copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int buf_grow(sb_buf *b, size_t extra)
{
	size_t want;
	char *p;

	if (b->failed)
		return -1;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return 0;
	if (want < b->cap * 2)
		want = b->cap * 2;
	if (want < 64)
		want = 64;
	if (!(p = sb__realloc(b->ptr, want))) {
		b->failed = 1;
		return -1;
	}
	b->ptr = p;
	b->cap = want;
	return 0;
}

void sb__buf_reserve(sb_buf *b, size_t extra)
{
	size_t want;
	char *p;

	if (b->failed || b->len + extra + 1 <= b->cap)
		return;
	want = b->len + extra + 1;
	if (!(p = sb__realloc(b->ptr, want))) {
		b->failed = 1;
		return;
	}
	b->ptr = p;
	b->cap = want;
}

void sb__buf_put(sb_buf *b, const void *data, size_t len)
{
	if (buf_grow(b, len) < 0)
		return;
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void sb__buf_puts(sb_buf *b, const char *s)
{
	sb__buf_put(b, s, strlen(s));
}

void sb__buf_putc(sb_buf *b, char c)
{
	sb__buf_put(b, &c, 1);
}

void sb__buf_printf(sb_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int sb__buf_failed(const sb_buf *b)
{
	return b->failed ? sb_error_set(SB_ENOMEM, "out of memory") : 0;
}

char *sb__buf_detach(sb_buf *b)
{
	char *p = b->ptr;
	if (b->failed) {
		free(b->ptr);
		p = NULL;
	} else if (!p) {
		p = sb__strdup("");
	}
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void sb__buf_free(sb_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

/* Howard Hinnant's days_from_civil: exact for the whole proleptic Gregorian calendar. */
int64_t sb__days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void sb__civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int sb__days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int sb__month_parse(const char *s, int *y, int *m)
{
	if (strlen(s) != 7 || s[4] != '-' || digits(s, 4, y) < 0 || digits(s + 5, 2, m) < 0)
		return -1;
	if (*y < 1900 || *m < 1 || *m > 12)
		return -1;
	return 0;
}

int sb__date_parse(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, y) < 0 ||
	    digits(s + 5, 2, m) < 0 || digits(s + 8, 2, d) < 0)
		return -1;
	if (*y < 1800 || *m < 1 || *m > 12 || *d < 1 || *d > sb__days_in_month(*y, *m))
		return -1;
	return 0;
}

int sb__age_on(int by, int bm, int bd, int y, int m, int d)
{
	int age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

void sb__today(int *y, int *m, int *d)
{
	const char *env = getenv("SHUANGBAI_TODAY");
	time_t t;
	struct tm tm;

	if (env && sb__date_parse(env, y, m, d) == 0)
		return;
	t = time(NULL);
	gmtime_r(&t, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

int sb__read_file(char **out, size_t *out_len, const char *path)
{
	FILE *f = NULL;
	char *data = NULL;
	size_t len = 0, cap = 0, n;
	int error = 0;
	struct stat st;

	*out = NULL;
	if (sb__fault("io") || !(f = fopen(path, "rb"))) {
		error = sb_error_set(SB_EIO, "%s: cannot open: %s", path, strerror(errno ? errno : EIO));
		goto done;
	}
	/* A regular file is read into a buffer of its size (and a little more, to see its end
	 * or that it grew), not one doubled through copies; anything else grows as it comes. */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < (uint64_t)(SIZE_MAX / 2)) {
		cap = (size_t)st.st_size + 65536;
		if (!(data = sb__malloc(cap + 1))) {
			error = SB_ENOMEM;
			goto done;
		}
	}
	for (;;) {
		if (cap - len < 65536) {
			char *p;
			cap = cap ? cap * 2 : 65536 * 2;
			if (!(p = sb__realloc(data, cap + 1))) {
				error = SB_ENOMEM;
				goto done;
			}
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				error = sb_error_set(SB_EIO, "%s: read error", path);
				goto done;
			}
			break;
		}
	}
	if (!data && !(data = sb__malloc(1))) {
		error = SB_ENOMEM;
		goto done;
	}
	data[len] = '\0';
	*out = data;
	data = NULL;
	if (out_len)
		*out_len = len;
done:
	if (f)
		fclose(f);
	free(data);
	return error;
}

int sb__write_parts(const char *path, const sb_part *parts, size_t nparts, int mode)
{
	sb_buf tmp = SB_BUF_INIT;
	int fd = -1, error = 0;
	size_t i;

	sb__buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((error = sb__buf_failed(&tmp)) < 0)
		goto done;
	if (sb__fault("io") || (fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC, mode)) < 0) {
		error = sb_error_set(SB_EIO, "%s: cannot create: %s", path, strerror(errno ? errno : EIO));
		goto done;
	}
	fchmod(fd, (mode_t)mode);
	for (i = 0; i < nparts; i++) {
		const char *p = parts[i].data;
		size_t len = parts[i].len;
		while (len > 0) {
			ssize_t w = write(fd, p, len);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				error = sb_error_set(SB_EIO, "%s: write error: %s", path, strerror(errno));
				goto done;
			}
			p += w;
			len -= (size_t)w;
		}
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		error = sb_error_set(SB_EIO, "%s: write error: %s", path, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0) {
		error = sb_error_set(SB_EIO, "%s: cannot rename into place: %s", path, strerror(errno));
		goto done;
	}
done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp.ptr)
		unlink(tmp.ptr);
	sb__buf_free(&tmp);
	return error;
}

int sb__write_file(const char *path, const void *data, size_t len, int mode)
{
	sb_part part;
	part.data = data;
	part.len = len;
	return sb__write_parts(path, &part, 1, mode);
}

int64_t sb__div_half_up(__int128 num, __int128 den)
{
	__int128 q, r;
	int neg = 0;

	if (num < 0) {
		neg = 1;
		num = -num;
	}
	q = num / den;
	r = num % den;
	if (2 * r >= den)
		q++;
	return (int64_t)(neg ? -q : q);
}
