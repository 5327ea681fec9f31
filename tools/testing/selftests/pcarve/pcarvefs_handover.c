// SPDX-License-Identifier: GPL-2.0
/*
 * pcarvefs after a kexec: the trees pcarvefs_fill wrote (pcarvefs_ho.h)
 * are back, name for name and byte for byte, and the pools' accounting
 * matches what the files hold.
 */
#include "pcarvefs_ho.h"
#include "kselftest_harness.h"
#include <dirent.h>
#include <linux/types.h>
#include <time.h>

/* reading every byte of 2 GiB under TCG takes longer than 30 s */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	600

static struct ho_conf conf;

#ifndef NOLIBC
/* what getdents64() returns: nolibc's <dirent.h> has it, a libc does not */
struct linux_dirent64 {
	__u64 d_ino;
	__s64 d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};
#endif

/* entries of a directory, "." and ".." left out; -errno on failure */
static long entries(const char *dir)
{
	char buf[4096];
	long n = 0, len, off;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return -errno;
	while ((len = syscall(__NR_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < len;) {
			struct linux_dirent64 *d = (void *)(buf + off);

			if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
				n++;
			off += d->d_reclen;
		}
	}
	close(fd);
	return len < 0 ? -errno : n;
}

static long long pool_num(int nid, const char *file)
{
	char path[96];

	snprintf(path, sizeof(path), PCARVE_SYS "/node%d/%s", nid, file);
	return read_num(path);
}

static int conf_ok(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, ho_conf(&conf));
	return 1;
}

TEST(trees_come_back_on_mount)
{
	char dir[64], origin[16];
	int n;

	conf_ok(_metadata);
	for (n = 0; n < conf.nr; n++) {
		int nid = conf.node[n].nid;

		snprintf(dir, sizeof(dir), PCARVE_SYS "/node%d/origin", nid);
		ASSERT_LT(0, read_word(dir, origin, sizeof(origin)));
		EXPECT_STREQ(nid == conf.gone ? "boot" : "handover", origin);
		ASSERT_EQ(0, ho_mount(nid, 0));
		snprintf(dir, sizeof(dir), HO_MNT "/n%d", nid);
		if (nid == conf.gone) {
			EXPECT_EQ(0, entries(dir));
			EXPECT_EQ(0, pool_num(nid, "used"));
		} else {
			/* the data directories, links/, and e/ on the first */
			int files = conf.node[n].files;
			long want = (files < HO_DIRS ? files : HO_DIRS) +
				    (files > 0) + (!n && conf.empty);

			EXPECT_EQ(want, entries(dir));
		}
	}
}

TEST(names_sizes_modes_owners_times_flags)
{
	long long checked = 0, gone = 0;
	int n, i;

	conf_ok(_metadata);
	for (n = 0; n < conf.nr; n++) {
		int nid = conf.node[n].nid;

		if (nid == conf.gone)
			continue;
		for (i = 0; i < conf.node[n].files; i++) {
			struct pcarvefs_attr attr = {};
			struct stat st, sl;
			struct ho_file f;
			int fd;

			ho_file(nid, i, conf.mb, &f);
			if (!f.handover) {
				EXPECT_EQ(-1, stat(f.path, &st));
				EXPECT_EQ(ENOENT, errno);
				gone++;
				continue;
			}
			ASSERT_EQ(0, stat(f.path, &st)) {
				TH_LOG("%s: errno %d", f.path, errno);
			}
			EXPECT_EQ(f.size, (unsigned long long)st.st_size);
			EXPECT_EQ(S_IFREG | f.mode, st.st_mode);
			EXPECT_EQ(f.uid, st.st_uid);
			EXPECT_EQ(f.gid, st.st_gid);
			EXPECT_EQ(f.link[0] ? 2 : 1, (int)st.st_nlink);
			EXPECT_EQ(f.atime, (long long)st.st_atime);
			EXPECT_EQ(f.mtime, (long long)st.st_mtime);
			if (f.link[0]) {
				ASSERT_EQ(0, stat(f.link, &sl));
				EXPECT_EQ(st.st_ino, sl.st_ino);
			}
			fd = open(f.path, O_RDONLY);
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, ioctl(fd, PCARVEFS_IOC_GET_ATTR, &attr));
			EXPECT_EQ(PCARVEFS_HANDOVER,
				  attr.flags & PCARVEFS_HANDOVER);
			EXPECT_EQ(nid, (int)attr.nid);
			EXPECT_LE(f.size, attr.allocated);
			close(fd);
			checked++;
		}
	}
	TH_LOG("%lld files as they were, %lld without handover gone", checked,
	       gone);
}

TEST(every_byte)
{
	unsigned long long bytes = 0, bad = 0;
	struct timespec t0, t1;
	long long us;
	int n, i;

	conf_ok(_metadata);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (n = 0; n < conf.nr; n++) {
		int nid = conf.node[n].nid;

		if (nid == conf.gone)
			continue;
		for (i = 0; i < conf.node[n].files; i++) {
			unsigned long long x, k, nw, *p, len;
			struct ho_file f;
			void *map;
			int fd;

			ho_file(nid, i, conf.mb, &f);
			if (!f.handover)
				continue;
			fd = open(f.path, O_RDONLY);
			ASSERT_LE(0, fd);
			len = ho_map_len(fd, f.size);
			ASSERT_NE(0, len);
			map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
			ASSERT_NE(MAP_FAILED, map);
			x = ho_seed(nid, i);
			p = map;
			nw = f.size / 8;
			for (k = 0; k < nw; k++)
				if (p[k] != ho_next(&x) && !bad++)
					TH_LOG("%s: differs at byte %llu",
					       f.path, k * 8);
			if (f.size % 8) {
				unsigned long long last = ho_next(&x);

				if (memcmp((char *)map + nw * 8, &last,
					   f.size % 8))
					bad++;
			}
			munmap(map, len);
			close(fd);
			bytes += f.size;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (t1.tv_sec - t0.tv_sec) * 1000000LL +
	     (t1.tv_nsec - t0.tv_nsec) / 1000;
	TH_LOG("%llu bytes checked, %llu differ (%lld ms)", bytes, bad,
	       us / 1000);
	EXPECT_EQ(0, bad);
	EXPECT_LT(0, bytes);
}

TEST(empty_files)
{
	char dir[64];

	conf_ok(_metadata);
	if (!conf.empty)
		SKIP(return, "no empty files asked for (PCARVEFS_HO_EMPTY)");
	snprintf(dir, sizeof(dir), HO_MNT "/n%d/e", conf.node[0].nid);
	EXPECT_EQ(conf.empty, entries(dir));
}

TEST(pools_count_what_the_files_hold)
{
	int n, i;

	conf_ok(_metadata);
	for (n = 0; n < conf.nr; n++) {
		int nid = conf.node[n].nid;
		unsigned long long held = 0;

		if (nid == conf.gone)
			continue;
		for (i = 0; i < conf.node[n].files; i++) {
			struct pcarvefs_attr attr = {};
			struct ho_file f;
			int fd;

			ho_file(nid, i, conf.mb, &f);
			if (!f.handover)
				continue;
			fd = open(f.path, O_RDONLY);
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, ioctl(fd, PCARVEFS_IOC_GET_ATTR, &attr));
			held += attr.allocated;
			close(fd);
		}
		/* chunks of other owners on the first node */
		if (!n && env_num("PCARVEFS_HO_EXTRA") > 0)
			held += env_num("PCARVEFS_HO_EXTRA");
		TH_LOG("node%d: files and other owners hold %llu bytes, the pool counts %lld used",
		       nid, held, pool_num(nid, "used"));
		EXPECT_EQ((long long)held, pool_num(nid, "used"));
	}
}

TEST_HARNESS_MAIN
