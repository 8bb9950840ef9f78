/* Unit tests of the shared services: calendar arithmetic, half-up division, buffers, files. */
#include "config.h"
#include "common_internal.h"
#include "tap.h"

int main(void)
{
	int y, m, d;
	sb_buf b = SB_BUF_INIT;
	char *p;
	const char *dir;
	size_t len;

	is_int(sb__days_from_civil(1970, 1, 1), 0, "epoch is day 0");
	is_int(sb__days_from_civil(2000, 3, 1), 11017, "2000-03-01");
	sb__civil_from_days(sb__days_from_civil(2024, 2, 29), &y, &m, &d);
	ok(y == 2024 && m == 2 && d == 29, "leap day round-trips");
	is_int(sb__days_in_month(2024, 2), 29, "February 2024 has 29 days");
	is_int(sb__days_in_month(1900, 2), 28, "February 1900 has 28 days");
	is_int(sb__days_in_month(2000, 2), 29, "February 2000 has 29 days");
	ok(sb__date_parse("2026-02-29", &y, &m, &d) < 0, "2026-02-29 is not a date");
	ok(sb__date_parse("2026-2-28", &y, &m, &d) < 0, "unpadded month refused");
	ok(sb__date_parse("2026-12-31", &y, &m, &d) == 0 && d == 31, "2026-12-31 parses");
	ok(sb__month_parse("2026-13", &y, &m) < 0, "month 13 refused");
	ok(sb__month_parse("2026-07", &y, &m) == 0 && m == 7, "2026-07 parses");
	is_int(sb__age_on(1991, 5, 1, 2026, 5, 1), 35, "a birthday on the reference date counts");
	is_int(sb__age_on(1991, 5, 2, 2026, 5, 1), 34, "the day before the birthday does not");
	is_int(sb__age_on(2000, 2, 29, 2026, 2, 28), 25, "a 29 February birthday waits for 1 March");

	is_int(sb__div_half_up(5, 2), 3, "2.5 rounds up to 3");
	is_int(sb__div_half_up(-5, 2), -3, "-2.5 rounds away from zero");
	is_int(sb__div_half_up(7, 3), 2, "7/3 rounds to 2");
	is_int(sb__div_half_up(8, 3), 3, "8/3 rounds to 3");

	sb__buf_puts(&b, "ab");
	sb__buf_printf(&b, "%d-%s", 42, "x");
	sb__buf_putc(&b, '!');
	is_str(b.ptr, "ab42-x!", "buffer appends");
	p = sb__buf_detach(&b);
	is_str(p, "ab42-x!", "detach hands over the text");
	free(p);
	/* room made at once: the text then goes in without moving */
	sb__buf_puts(&b, "ab");
	sb__buf_reserve(&b, 100);
	{
		const char *at = b.ptr;
		size_t cap = b.cap;
		ok(cap >= 103, "reserve makes the room asked for");
		sb__buf_reserve(&b, 10);
		ok(b.ptr == at && b.cap == cap, "reserving less than is free changes nothing");
		for (len = 0; len < 100; len++)
			sb__buf_putc(&b, (char)('0' + len % 10));
		ok(b.ptr == at && b.cap == cap && b.len == 102 && strncmp(b.ptr, "ab0123456789", 12) == 0 &&
		   b.ptr[102] == '\0', "…and the text fills it in place");
		sb__buf_putc(&b, 'z');
		ok(b.len == 103 && b.ptr[102] == 'z' && b.ptr[103] == '\0', "…and the buffer grows past it as before");
	}
	sb__buf_free(&b);
	setenv("SHUANGBAI_FAULT", "alloc:1", 1);
	sb__fault_reset();
	sb__buf_reserve(&b, 100);
	unsetenv("SHUANGBAI_FAULT");
	sb__fault_reset();
	sb_error_clear();
	sb__buf_puts(&b, "x");
	ok(sb__buf_failed(&b) < 0, "a reserve that fails marks the buffer failed");
	sb__buf_free(&b);

	dir = tap_tmpdir("util");
	{
		char path[1100];
		snprintf(path, sizeof(path), "%s/f.txt", dir);
		ok(sb__write_file(path, "hello", 5, 0600) == 0, "write_file");
		ok(sb__read_file(&p, &len, path) == 0 && len == 5 && strcmp(p, "hello") == 0, "read_file round-trips");
		free(p);
		{
			struct stat st;
			ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "write_file sets the mode");
		}
		{
			/* a file of many reads: read into a buffer of its size, whole */
			size_t big = 300007, i;
			char *text = malloc(big), *back = NULL;
			for (i = 0; text && i < big; i++)
				text[i] = (char)('a' + (i * 7) % 26);
			snprintf(path, sizeof(path), "%s/big.txt", dir);
			ok(text && sb__write_file(path, text, big, 0600) == 0 && sb__read_file(&back, &len, path) == 0 &&
			   len == big && memcmp(back, text, big) == 0 && back[big] == '\0', "a 300,007-byte file read back whole");
			free(back);
			free(text);
		}
		/* a file that says it has no size (as /proc's do) is read as it comes */
		ok(sb__read_file(&p, &len, "/proc/self/status") == 0 && len > 0 && strlen(p) == len &&
		   strstr(p, "Name:") == p, "a file of no stated size is read to its end");
		free(p);
		snprintf(path, sizeof(path), "%s/missing", dir);
		ok(sb__read_file(&p, &len, path) == SB_EIO, "a missing file is SB_EIO");
		has_msg("missing: cannot open", "the message names the file");
	}
	/* sb__copy: snprintf's "%s" without the format */
	{
		char small[5], exact[4];
		sb__copy(small, sizeof small, "2026-12");
		is_str(small, "2026", "sb__copy cuts to fit and terminates");
		sb__copy(exact, sizeof exact, "abc");
		is_str(exact, "abc", "sb__copy: a string that just fits");
		sb__copy(small, sizeof small, "");
		is_str(small, "", "sb__copy: the empty string");
	}
	return tap_done();
}
