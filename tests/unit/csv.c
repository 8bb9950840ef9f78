/* Unit tests of the CSV reader: encodings, BOMs, line endings, quoting, header rules. */
#include "config.h"
#include "common_internal.h"
#include "csv_internal.h"
#include "tap.h"

static const sb__csv_col cols[] = { { "code", 1 }, { "name", 1 }, { "note", 0 } };

static sb__csv *open_text(const char *name, const char *data, size_t len)
{
	sb__csv *c = NULL;
	if (sb__csv_open_mem(&c, name, data, len) < 0)
		return NULL;
	return c;
}

int main(void)
{
	sb__csv *c;
	int map[3];

	/* UTF-8 with BOM and CRLF, a quoted field with comma, quote and newline. */
	{
		static const char text[] = "\xEF\xBB\xBF" "name,code\r\n\"广州, \"\"市\"\"\",44\r\n\"a\r\nb\",45\r\n";
		c = open_text("t.csv", text, sizeof(text) - 1);
		ok(c != NULL, "BOM + CRLF opens");
		ok(sb__csv_header(c, cols, 3, map) == 0, "header maps in any order");
		ok(map[0] == 1 && map[1] == 0 && map[2] == -1, "optional column absent is -1");
		ok(sb__csv_next(c) == 1, "first record");
		is_str(sb__csv_field(c, map[1]), "广州, \"市\"", "quoted comma and doubled quote");
		is_int(sb__csv_line(c), 2, "first record on line 2");
		ok(sb__csv_next(c) == 1, "second record");
		is_str(sb__csv_field(c, map[1]), "a\nb", "CRLF inside quotes kept as LF");
		is_int(sb__csv_line(c), 3, "second record starts on line 3");
		is_int(sb__csv_next(c), 0, "end");
		is_str(sb__csv_encoding(c), "UTF-8", "encoding UTF-8");
		sb__csv_free(c);
	}
	/* GB18030 without BOM: 广州 is B9E3 D6DD. */
	{
		static const char text[] = "code,name\n44,\xB9\xE3\xD6\xDD\n";
		c = open_text("gb.csv", text, sizeof(text) - 1);
		ok(c != NULL, "GB18030 opens");
		ok(c && sb__csv_header(c, cols, 3, map) == 0 && sb__csv_next(c) == 1, "GB18030 record");
		is_str(c ? sb__csv_field(c, map[1]) : "", "广州", "GB18030 decoded to UTF-8");
		is_str(c ? sb__csv_encoding(c) : "", "GB18030", "encoding GB18030");
		sb__csv_free(c);
	}
	/* GB18030 with its BOM (84 31 95 33). */
	{
		static const char text[] = "\x84\x31\x95\x33" "code,name\n44,\xB9\xE3\n";
		c = open_text("gbb.csv", text, sizeof(text) - 1);
		ok(c && sb__csv_header(c, cols, 3, map) == 0 && sb__csv_next(c) == 1, "GB18030 BOM dropped");
		is_str(c ? sb__csv_field(c, map[1]) : "", "广", "GB18030 with BOM decoded");
		sb__csv_free(c);
	}
	/* Bytes that are neither: 0xFF is never valid in GB18030 nor UTF-8. */
	{
		static const char text[] = "code,name\n44,ok\n45,\xFF\xFF\n";
		c = open_text("bad.csv", text, sizeof(text) - 1);
		ok(c == NULL, "invalid bytes refused");
		has_msg("bad.csv:3: encoding:", "message names file and line 3");
	}
	/* Header problems. */
	{
		static const char t1[] = "code,name,extra\n1,2,3\n";
		static const char t2[] = "code,code,name\n";
		static const char t3[] = "code\n";
		static const char t4[] = "";
		c = open_text("h.csv", t1, sizeof(t1) - 1);
		ok(sb__csv_header(c, cols, 3, map) == SB_EINVALID, "unknown column refused");
		has_msg("h.csv:1: extra: unknown column", "message names the column");
		sb__csv_free(c);
		c = open_text("h.csv", t2, sizeof(t2) - 1);
		ok(sb__csv_header(c, cols, 3, map) == SB_EINVALID, "duplicate column refused");
		has_msg("code: column appears twice", "duplicate named");
		sb__csv_free(c);
		c = open_text("h.csv", t3, sizeof(t3) - 1);
		ok(sb__csv_header(c, cols, 3, map) == SB_EINVALID, "missing required column refused");
		has_msg("name: required column missing", "missing named");
		sb__csv_free(c);
		c = open_text("h.csv", t4, 0);
		ok(sb__csv_header(c, cols, 3, map) == SB_EINVALID, "empty file refused");
		has_msg("the file is empty", "empty said");
		sb__csv_free(c);
	}
	/* Record problems. */
	{
		static const char t1[] = "code,name\n1,2\n3\n";
		static const char t2[] = "code,name\n1,\"open\n";
		static const char t3[] = "code,name\n1,\"a\"b\n";
		static const char t4[] = "code,name\n\n\n1,2\n";
		c = open_text("r.csv", t1, sizeof(t1) - 1);
		sb__csv_header(c, cols, 3, map);
		ok(sb__csv_next(c) == 1 && sb__csv_next(c) == SB_EINVALID, "short record refused");
		has_msg("r.csv:3: record: 1 field, the header has 2", "wrong field count on line 3");
		sb__csv_free(c);
		c = open_text("r.csv", t2, sizeof(t2) - 1);
		sb__csv_header(c, cols, 3, map);
		ok(sb__csv_next(c) == SB_EINVALID, "unclosed quote refused");
		has_msg("quoted field not closed", "unclosed said");
		sb__csv_free(c);
		c = open_text("r.csv", t3, sizeof(t3) - 1);
		sb__csv_header(c, cols, 3, map);
		ok(sb__csv_next(c) == SB_EINVALID, "text after closing quote refused");
		sb__csv_free(c);
		c = open_text("r.csv", t4, sizeof(t4) - 1);
		sb__csv_header(c, cols, 3, map);
		ok(sb__csv_next(c) == 1 && sb__csv_line(c) == 4, "empty lines skipped, physical line kept");
		sb__csv_free(c);
	}
	/* An over-long record. */
	{
		size_t len = SB_CSV_MAX_RECORD + 100, i;
		char *big = malloc(len);
		memcpy(big, "code,name\n1,", 12);
		for (i = 12; i < len - 1; i++)
			big[i] = 'a';
		big[len - 1] = '\n';
		c = open_text("big.csv", big, len);
		sb__csv_header(c, cols, 3, map);
		ok(sb__csv_next(c) == SB_EINVALID, "record over 1 MiB refused");
		has_msg("big.csv:2: record: longer than", "over-long said with its line");
		sb__csv_free(c);
		free(big);
	}
	return tap_done();
}
