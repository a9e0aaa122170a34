#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test: passes normally, fails when XTCP_CANARY_FAIL=1, so that
# `make check` can prove a failing selftest is counted as a failure.
source "$(dirname "$0")/lib.sh"
ktap_header
check "canary" test "${XTCP_CANARY_FAIL:-0}" != 1
ktap_finished
