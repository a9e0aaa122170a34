// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the VM harness: loading it makes the kernel report a
 * problem on purpose, so `make check` can prove that vm-run fails a run whose
 * kernel log is not clean even though the command itself succeeded.
 *   kind=warn  a WARN() splat (default)
 *   kind=leak  an unreferenced allocation for kmemleak to find
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *kind = "warn";
module_param(kind, charp, 0444);
MODULE_PARM_DESC(kind, "what to provoke: warn or leak");

static void *xtcp_splat_leak;

static int __init xtcp_splat_init(void)
{
	if (!strcmp(kind, "leak")) {
		/* Dropping the only reference makes the block unreferenced. */
		xtcp_splat_leak = kmalloc(512, GFP_KERNEL);
		xtcp_splat_leak = NULL;
		return 0;
	}
	WARN(1, "xtcp_splat: deliberate warning for the harness self-test\n");
	return 0;
}

static void __exit xtcp_splat_exit(void)
{
}

module_init(xtcp_splat_init);
module_exit(xtcp_splat_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xtcp harness self-test: provokes kernel reports");
