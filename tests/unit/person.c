/* Unit tests of identities: resident ID numbers (GB 11643) and credit codes (GB 32100). */
#include "config.h"
#include "shuangbai.h"
#include "tap.h"

int main(void)
{
	sb_id_info info;
	char buf[19];

	setenv("SHUANGBAI_TODAY", "2026-11-29", 1);
	/* The standard's own example: 11010519491231002X. */
	ok(sb_person_id_check(&info, "11010519491231002X") == 0, "GB 11643 example is valid");
	ok(info.year == 1949 && info.month == 12 && info.day == 31, "birth date derived");
	is_int(info.sex, 2, "even sequence digit: female");
	is_str(info.region, "110105", "address code");
	is_int(sb_person_id_check_char("44010219900307453"), '3', "check digit computed");
	ok(sb_person_id_check(&info, "440102199003074533") == 0, "a computed number validates");
	is_int(info.sex, 1, "odd sequence digit: male");
	ok(sb_person_id_check(NULL, "440102199003074536") == SB_EINVALID, "wrong check digit refused");
	has_msg("check digit should be 3", "message gives the right check digit");
	ok(sb_person_id_check(NULL, "11010519491231002x") == SB_EINVALID, "lower-case x refused");
	has_msg("upper case", "message says upper case");
	ok(sb_person_id_check(NULL, "440102199002304536") == SB_EINVALID, "30 February refused");
	has_msg("not a real date", "message says the date is not real");
	ok(sb_person_id_check(NULL, "440102203001014536") == SB_EINVALID, "future birth refused");
	ok(sb_person_id_check(NULL, "44010219900307453") == SB_EINVALID, "17 characters refused");
	has_msg("must be 18 characters", "message says the length");
	ok(sb_person_id_check(NULL, "4401021990030745A5") == SB_EINVALID, "letter inside refused");
	is_str(sb_person_id_mask(buf, "440102199003074533"), "440102********4533", "mask keeps 6 and 4");

	/* Organisation code check (GB 11714) and the USCC check (GB 32100). */
	is_int(sb_person_orgcode_check_char("D2143569"), 'X', "orgcode D2143569 check is X");
	{
		char code[19] = "11440103MB2C12345";
		char body[9];
		memcpy(body, code + 8, 8);
		body[8] = '\0';
		code[16] = sb_person_orgcode_check_char(body);
		code[17] = '\0';
		{
			char full[19];
			memcpy(full, code, 17);
			full[17] = sb_person_uscc_check_char(code);
			full[18] = '\0';
			ok(sb_person_uscc_check(full) == 0, "constructed USCC validates");
			full[17] = full[17] == '0' ? '1' : '0';
			ok(sb_person_uscc_check(full) == SB_EINVALID, "a changed check character is refused");
			has_msg("check character should be", "message gives the expected character");
		}
	}
	ok(sb_person_uscc_check("91350100M000100Y43") == 0, "published example 91350100M000100Y43 is valid");
	ok(sb_person_uscc_check("91350100M000100Y44") == SB_EINVALID, "its neighbour is not");
	ok(sb_person_uscc_check("9135010OM000100Y43") == SB_EINVALID, "letter O is not in the alphabet");
	has_msg("is not allowed", "message names the character");
	ok(sb_person_uscc_check("ZZ") == SB_EINVALID, "short code refused");
	return tap_done();
}
