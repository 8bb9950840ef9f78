/*
 * Shuangbai (双百): the workforce system of a province's social-work stations. This umbrella
 * header is the whole public API of libshuangbai and nothing else; each area has its own
 * header under shuangbai/.
 */
#ifndef SHUANGBAI_H
#define SHUANGBAI_H

#include "shuangbai/common.h"
#include "shuangbai/error.h"
#include "shuangbai/money.h"
#include "shuangbai/db.h"
#include "shuangbai/person.h"
#include "shuangbai/org.h"
#include "shuangbai/audit.h"
#include "shuangbai/generate.h"
#include "shuangbai/pdf.h"
#include "shuangbai/round.h"
#include "shuangbai/staff.h"
#include "shuangbai/place.h"
#include "shuangbai/pki.h"
#include "shuangbai/sign.h"
#include "shuangbai/contract.h"
#include "shuangbai/pay.h"
#include "shuangbai/payroll.h"

#endif
