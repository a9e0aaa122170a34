// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_kunit.ko: every KUnit suite of xtcp in one module, run when it is
 * loaded next to xtcp.ko.
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "xtcp_kunit.h"

kunit_test_suites(&xtcp_proto_test_suite, &xtcp_sock_test_suite,
		  &xtcp_route_test_suite, &xtcp_options_test_suite,
		  &xtcp_seq_test_suite, &xtcp_rto_test_suite,
		  &xtcp_cong_test_suite, &xtcp_cookie_test_suite,
		  &xtcp_ofo_test_suite, &xtcp_sack_test_suite,
		  &xtcp_buf_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for xtcp");
MODULE_IMPORT_NS(XTCP_KUNIT);
