// SPDX-License-Identifier: GPL-2.0
/*
 * pcarvefs_fill: write the tree pcarvefs_handover checks after a kexec
 * (pcarvefs_ho.h), through mmap, as a virtual machine monitor would.
 *
 *   pcarvefs_fill CAP_BYTES
 *
 * Mounts each node's tree with size=CAP_BYTES (0: no size=).  Not a KTAP
 * test, a tool: prints "files=N bytes=N empty=N" and exits 0, or names
 * what failed and exits 1.
 */
#include "pcarvefs_ho.h"

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "pcarvefs_fill: %s %s: errno %d\n", what, path, errno);
	return 1;
}

static int mkdirs(const char *dir)
{
	char buf[96];
	size_t i;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (i = 1; buf[i]; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		mkdir(buf, 0755);
		buf[i] = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

static int fill(int nid, int i, unsigned long long mb)
{
	struct pcarvefs_attr attr = {};
	struct timespec ts[2];
	unsigned long long x, *p, n, k, len;
	struct ho_file f;
	void *map;
	int fd;

	ho_file(nid, i, mb, &f);
	if (mkdirs(f.dir))
		return fail("mkdir", f.dir);
	fd = open(f.path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return fail("create", f.path);
	if (!f.handover) {
		if (ioctl(fd, PCARVEFS_IOC_GET_ATTR, &attr))
			return fail("get attr", f.path);
		attr.flags &= ~PCARVEFS_HANDOVER;
		if (ioctl(fd, PCARVEFS_IOC_SET_ATTR, &attr))
			return fail("set attr", f.path);
	}
	if (ftruncate(fd, f.size))
		return fail("ftruncate", f.path);
	len = ho_map_len(fd, f.size);
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!len || map == MAP_FAILED)
		return fail("mmap", f.path);
	x = ho_seed(nid, i);
	p = map;
	n = f.size / 8;
	for (k = 0; k < n; k++)
		p[k] = ho_next(&x);
	if (f.size % 8) {
		unsigned long long last = ho_next(&x);

		memcpy((char *)map + n * 8, &last, f.size % 8);
	}
	munmap(map, len);
	if (syscall(__NR_fchmod, fd, f.mode) ||
	    syscall(__NR_fchown, fd, f.uid, f.gid))
		return fail("chmod/chown", f.path);
	close(fd);
	if (f.link[0]) {
		snprintf(f.dir, sizeof(f.dir), HO_MNT "/n%d/links", nid);
		mkdir(f.dir, 0755);
		if (link(f.path, f.link))
			return fail("link", f.link);
	}
	ts[0].tv_sec = f.atime;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = f.mtime;
	ts[1].tv_nsec = 0;
	if (syscall(__NR_utimensat, AT_FDCWD, f.path, ts, 0))
		return fail("utimensat", f.path);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long cap, bytes = 0;
	struct ho_conf c;
	char path[96];
	int n, i, files = 0;

	if (argc != 2 || ho_conf(&c)) {
		fprintf(stderr, "usage: PCARVEFS_HO_NODES=N:FILES,... pcarvefs_fill CAP_BYTES\n");
		return 2;
	}
	cap = strtoull(argv[1], NULL, 0);
	for (n = 0; n < c.nr; n++) {
		if (ho_mount(c.node[n].nid, cap))
			return fail("mount node", "");
		for (i = 0; i < c.node[n].files; i++) {
			struct ho_file f;

			if (fill(c.node[n].nid, i, c.mb))
				return 1;
			ho_file(c.node[n].nid, i, c.mb, &f);
			bytes += f.size;
			files++;
		}
	}
	if (c.empty) {
		snprintf(path, sizeof(path), HO_MNT "/n%d/e", c.node[0].nid);
		mkdir(path, 0755);
	}
	for (i = 0; i < c.empty; i++) {
		int fd;

		snprintf(path, sizeof(path), HO_MNT "/n%d/e/e%05d",
			 c.node[0].nid, i);
		fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return fail("create", path);
		close(fd);
	}
	printf("files=%d bytes=%llu empty=%d\n", files, bytes, c.empty);
	return 0;
}
