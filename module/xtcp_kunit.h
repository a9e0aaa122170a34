/* SPDX-License-Identifier: GPL-2.0 */
/* The KUnit suites that xtcp_kunit.ko runs, one per area. */
#ifndef _XTCP_KUNIT_H
#define _XTCP_KUNIT_H

#include <kunit/test.h>

extern struct kunit_suite xtcp_proto_test_suite;
extern struct kunit_suite xtcp_sock_test_suite;
extern struct kunit_suite xtcp_options_test_suite;
extern struct kunit_suite xtcp_seq_test_suite;
extern struct kunit_suite xtcp_rto_test_suite;
extern struct kunit_suite xtcp_cong_test_suite;
extern struct kunit_suite xtcp_route_test_suite;
extern struct kunit_suite xtcp_cookie_test_suite;
extern struct kunit_suite xtcp_ofo_test_suite;
extern struct kunit_suite xtcp_sack_test_suite;
extern struct kunit_suite xtcp_buf_test_suite;

#endif /* _XTCP_KUNIT_H */
