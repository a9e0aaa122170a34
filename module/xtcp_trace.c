// SPDX-License-Identifier: GPL-2.0
/* Instantiates the trace events declared in xtcp_trace.h. */
#define CREATE_TRACE_POINTS
#include "xtcp_trace.h"
