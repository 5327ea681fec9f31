// SPDX-License-Identifier: GPL-2.0
/*
 * pcarve_kexec: load a kernel with kexec_file_load() and start it, from a
 * test guest (busybox has no kexec, and kexec-tools is not in the guest).
 *
 *   pcarve_kexec load [-p] [-d] KERNEL INITRD CMDLINE
 *	-p loads the crash (kdump) kernel, started when the kernel panics;
 *	-d asks the kernel to log what it loaded where (in dmesg)
 *   pcarve_kexec exec
 *	sync and reboot into the kernel that load loaded
 *
 * Not a KTAP test, a tool.  A guest script prints @@PCARVE-KEXEC@@ before
 * exec (or before it crashes the kernel) so that tests/harness/boot.sh
 * knows where this kernel's output ends.  On failure it prints one line
 * with the errno name and number on stderr and exits 1 (2 on bad usage);
 * the kernel's own reason, if any, is in dmesg.
 */
#include <limits.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <linux/kexec.h>
#include <linux/reboot.h>

#include "pcarve_util.h"

#define ERRNAME(e)	{ e, #e }

/* the errnos kexec and reboot return here; others are shown as numbers */
static const struct {
	int num;
	const char *name;
} errnames[] = {
	ERRNAME(EPERM), ERRNAME(ENOENT), ERRNAME(EINTR), ERRNAME(EIO),
	ERRNAME(E2BIG), ERRNAME(ENOEXEC), ERRNAME(EBADF), ERRNAME(ENOMEM),
	ERRNAME(EACCES), ERRNAME(EFAULT), ERRNAME(EBUSY), ERRNAME(EEXIST),
	ERRNAME(ENODEV), ERRNAME(ENOTDIR), ERRNAME(EISDIR), ERRNAME(EINVAL),
	ERRNAME(EFBIG), ERRNAME(ENOSPC), ERRNAME(EOVERFLOW),
	ERRNAME(EOPNOTSUPP), ERRNAME(EADDRNOTAVAIL), ERRNAME(ENOKEY),
	ERRNAME(EKEYREJECTED),
};

static const char *errname(int e)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errnames); i++)
		if (errnames[i].num == e)
			return errnames[i].name;
	return NULL;
}

/* "pcarve_kexec: WHAT: ENOEXEC (errno 8)", for errno e */
static int fail(int e, const char *what)
{
	const char *name = errname(e);

	if (name)
		fprintf(stderr, "pcarve_kexec: %s: %s (errno %d)\n",
			what, name, e);
	else
		fprintf(stderr, "pcarve_kexec: %s: errno %d\n", what, e);
	return 1;
}

static int bad_usage(void)
{
	fprintf(stderr,
		"usage: pcarve_kexec load [-p] [-d] KERNEL INITRD CMDLINE\n"
		"       pcarve_kexec exec\n");
	return 2;
}

static int load(int argc, char **argv)
{
	unsigned long flags = 0, len;
	char what[PATH_MAX];
	int i, kfd, ifd, e;

	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-p"))
			flags |= KEXEC_FILE_ON_CRASH;
		else if (!strcmp(argv[i], "-d"))
			flags |= KEXEC_FILE_DEBUG;
		else
			return bad_usage();
	}
	if (argc - i != 3)
		return bad_usage();

	kfd = open(argv[i], O_RDONLY);
	if (kfd < 0) {
		e = errno;
		snprintf(what, sizeof(what), "open %s", argv[i]);
		return fail(e, what);
	}
	ifd = open(argv[i + 1], O_RDONLY);
	if (ifd < 0) {
		e = errno;
		snprintf(what, sizeof(what), "open %s", argv[i + 1]);
		return fail(e, what);
	}

	/*
	 * no calls in syscall()'s arguments: nolibc binds them to registers
	 * first, and a call there would clobber the syscall number
	 */
	len = strlen(argv[i + 2]) + 1;
	if (syscall(__NR_kexec_file_load, kfd, ifd, len, argv[i + 2],
		    flags) < 0) {
		e = errno;
		snprintf(what, sizeof(what),
			 "kexec_file_load %s %s (flags 0x%lx)",
			 argv[i], argv[i + 1], flags);
		return fail(e, what);
	}
	close(ifd);
	close(kfd);
	return 0;
}

static int exec(void)
{
	syscall(__NR_sync);
	reboot(LINUX_REBOOT_CMD_KEXEC);
	/* only back when nothing was loaded or the reboot was refused */
	return fail(errno, "reboot(LINUX_REBOOT_CMD_KEXEC)");
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "load"))
		return load(argc - 2, argv + 2);
	if (argc == 2 && !strcmp(argv[1], "exec"))
		return exec();
	return bad_usage();
}
